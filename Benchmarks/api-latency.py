#!/usr/bin/env python3
"""Latency of `agentlog serve`'s JSON API and dashboard pages on a database: starts the server on a free loopback
port, sends each route N times one after another (keep-alive, HTTP/1.1) and prints p50/p95 per
route as a Markdown table; the server is stopped at the end.

    python3 Benchmarks/api-latency.py --agentlog .build/release/agentlog --db /tmp/agentlog.db [--runs 50]

Only 127.0.0.1 is contacted. The routes are requested as a dashboard would; the baseline row is
`/api/v1/agents` on a database without hook events (routing, JSON and HTTP, no real query)."""
import argparse, http.client, os, re, signal, statistics, subprocess, sys, time

parser = argparse.ArgumentParser()
parser.add_argument("--agentlog", default=".build/release/agentlog")
parser.add_argument("--db", required=True)
parser.add_argument("--runs", type=int, default=50)
args = parser.parse_args()

env = dict(os.environ, HOME=os.environ.get("BENCH_HOME", "/tmp/agentlog-bench-home"))
os.makedirs(env["HOME"], exist_ok=True)
server = subprocess.Popen([args.agentlog, "--db", args.db, "serve", "--port", "0"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
try:
    line = server.stderr.readline().decode()
    match = re.search(r":(\d+) ", line)
    if not match:
        sys.exit(f"the server did not start: {line}")
    port = int(match.group(1))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def timed(path):
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            sys.exit(f"{path}: {response.status} {body[:200]!r}")
        return elapsed, len(body)

    sessions = timed("/api/v1/sessions?limit=1")
    connection.request("GET", "/api/v1/sessions?limit=1")
    first = connection.getresponse().read().decode()
    session = re.search(r'"id":"([^"]+)"', first).group(1)
    routes = ["/api/v1/agents", "/api/v1/status", "/api/v1/reports?group=daily&timezone=UTC", "/api/v1/reports?group=model",
              "/api/v1/sessions?limit=50", f"/api/v1/sessions/{session[:8]}", "/api/v1/search?q=error&limit=20",
              "/", "/?period=all", "/sessions", f"/sessions/{session}"]
    print(f"Server on 127.0.0.1:{port}, database {args.db}, {args.runs} requests per route after one warm-up\n")
    print("| route | p50 | p95 | max | bytes |")
    print("|---|---|---|---|---|")
    for route in routes:
        timed(route)
        times = []
        size = 0
        for _ in range(args.runs):
            elapsed, size = timed(route)
            times.append(elapsed)
        times.sort()
        print(f"| `{route}` | {statistics.median(times):.1f} ms | {times[int(len(times) * 0.95) - 1]:.1f} ms | {times[-1]:.1f} ms | {size:,} |")
finally:
    server.send_signal(signal.SIGINT)
    server.wait(timeout=10)
