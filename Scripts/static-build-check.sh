#!/usr/bin/env bash
# The build for machines without Swift (README, "install"): Swift's runtime linked into the four
# executables. Builds it, checks that no Swift library is needed at run time, and runs the demo,
# the hook, the statusline and serve from a copy with a bare environment (no /opt/swift on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib --scratch-path .build-static
bin=.build-static/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in agentlog agentlog-hook agentlog-statusline agentlog-server; do
    if ldd "$bin/$name" | grep -q 'libswift\|libFoundation\|libdispatch'; then
        echo "static build: $name still needs Swift's libraries:" >&2
        ldd "$bin/$name" | grep 'libswift\|libFoundation\|libdispatch' >&2
        exit 1
    fi
    cp "$bin/$name" "$work/"
done
mkdir -p "$work/home"
run() { env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }
demo=$(run "$work/agentlog" demo)
grep -q 'agentlog report daily' <<<"$demo" || { echo "static build: the demo did not run" >&2; exit 1; }
echo '{"hook_event_name":"Stop","session_id":"static-check","cwd":"/tmp"}' | run "$work/agentlog-hook" --db "$work/home/a.db"
events=$(run "$work/agentlog" --db "$work/home/a.db" events --format json)
grep -q 'static-check' <<<"$events" || { echo "static build: the hook's event is not in the database" >&2; exit 1; }
line=$(echo '{"model":{"display_name":"Opus"},"cost":{"total_cost_usd":0.5}}' | run "$work/agentlog-statusline" --db "$work/home/a.db" --no-color)
[ "$line" = "Opus · \$0.50 · today \$0.00" ] || { echo "static build: statusline printed '$line'" >&2; exit 1; }
# serve runs agentlog-server beside agentlog: it starts, answers on its port, and stops on Ctrl-C.
env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$work/agentlog" --db "$work/home/a.db" serve --port 0 --no-sync \
    >/dev/null 2>"$work/serve.log" </dev/null &
server=$!
trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q 'listening on' "$work/serve.log" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.log" | head -n 1)
[ -n "$port" ] || { echo "static build: serve did not start: $(cat "$work/serve.log")" >&2; exit 1; }
python3 -c "import json, sys, urllib.request; json.load(urllib.request.urlopen(f'http://127.0.0.1:{sys.argv[1]}/api/v1/status', timeout=10))" "$port" \
    || { echo "static build: serve did not answer /api/v1/status" >&2; exit 1; }
kill -INT "$server"
wait "$server" || { echo "static build: serve did not stop cleanly on Ctrl-C" >&2; exit 1; }
trap 'rm -rf "$work"' EXIT
echo "static build: agentlog, agentlog-hook, agentlog-statusline and agentlog-server run without Swift's libraries"
