#!/usr/bin/env python3
"""The OTLP receiver under an exporter's load: `agentlog serve --no-sync --otlp` on a new
database and free ports, then N export requests of B `claude_code.api_request` events each (as
Claude Code's exporter shapes them), one after another on one keep-alive connection, JSON or
gzipped JSON. Prints p50/p95 per request and events stored per second; checks that every event
was stored once (a resend of the first request adds nothing).

  python3 Benchmarks/otlp-load.py --agentlog .build/release/agentlog [--requests 200] [--batch 100]"""
import argparse, gzip, http.client, json, os, re, shutil, sqlite3, statistics, subprocess, tempfile, time

def export(batch, offset):
    records = []
    for index in range(batch):
        n = offset + index
        attributes = {"event.name": "api_request", "event.timestamp": "2026-12-01T12:00:00.000Z", "event.sequence": str(n),
                      "session.id": f"session-{n // 500}", "prompt.id": f"prompt-{n // 20}", "model": "claude-sonnet-4-5",
                      "input_tokens": str(100 + n % 50), "output_tokens": str(200 + n % 70), "cache_read_tokens": str(5000 + n),
                      "cache_creation_tokens": "120", "cost_usd": "0.0123", "duration_ms": "2300", "request_id": f"req_bench_{n}",
                      "query_source": "repl_main_thread", "terminal.type": "xterm-256color", "user.account_uuid": "acct"}
        records.append({"timeUnixNano": "1764590400000000000", "observedTimeUnixNano": "1764590400000000000", "severityNumber": 9,
                        "body": {"stringValue": "claude_code.api_request"},
                        "attributes": [{"key": k, "value": {"stringValue": v}} for k, v in attributes.items()]})
    return json.dumps({"resourceLogs": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "claude-code"}}]},
                                         "scopeLogs": [{"scope": {"name": "com.anthropic.claude_code.events"}, "logRecords": records}]}]}).encode()

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agentlog", required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--batch", type=int, default=100)
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="agentlog-otlp-")
    db = os.path.join(work, "agentlog.db")
    env = {"HOME": work, "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen([options.agentlog, "--db", db, "serve", "--no-sync", "--port", "0", "--otlp", "--otlp-port", "0"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        port = None
        deadline = time.time() + 30
        while port is None and time.time() < deadline:
            line = server.stderr.readline()
            found = re.search(r"receiving OTLP on http://127\.0\.0\.1:(\d+)", line)
            if found: port = int(found.group(1))
        if port is None: raise SystemExit("the receiver did not start")
        for encoding in ("json", "gzip"):
            connection = http.client.HTTPConnection("127.0.0.1", port)
            times = []
            offset = 0 if encoding == "json" else options.requests * options.batch
            bodies = [export(options.batch, offset + i * options.batch) for i in range(options.requests)]
            headers = {"Content-Type": "application/json"}
            if encoding == "gzip":
                bodies = [gzip.compress(body) for body in bodies]
                headers["Content-Encoding"] = "gzip"
            started = time.perf_counter()
            for body in bodies:
                begin = time.perf_counter()
                connection.request("POST", "/v1/logs", body=body, headers=headers)
                answer = connection.getresponse()
                answer.read()
                if answer.status != 200: raise SystemExit(f"status {answer.status}")
                times.append((time.perf_counter() - begin) * 1000)
            total = time.perf_counter() - started
            connection.request("POST", "/v1/logs", body=bodies[0], headers=headers)
            connection.getresponse().read()
            times.sort()
            size = statistics.mean(len(b) for b in bodies) / 1024
            print(f"{encoding}: {options.requests} requests of {options.batch} events ({size:.0f} kB each): "
                  f"p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms, "
                  f"{options.requests * options.batch / total:,.0f} events/s")
        stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM telemetry_requests").fetchone()[0]
        expected = 2 * options.requests * options.batch
        print(f"stored {stored} of {expected} events" + (" ✓" if stored == expected else " ✗"))
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
