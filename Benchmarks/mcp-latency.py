#!/usr/bin/env python3
"""Latency of `agentlog mcp` on a database: how long a new server process takes to answer
`initialize`, and each tool call's round trip through one warm stdio server, as p50/p95 over N
calls, printed as a Markdown table.

    python3 Benchmarks/mcp-latency.py --agentlog .build/release/agentlog --db /tmp/agentlog.db [--runs 30]

The client writes JSON-RPC lines to the server's stdin and reads its answers (no SDK in
between, so the figures are the server's and the pipe's). The baseline row is `agentlog
--version`-style process start: `agentlog mcp --help`, which loads the same executable and exits.
Writing tools write into the database given (claims are released again); use a copy."""
import argparse, json, os, statistics, subprocess, sys, time

parser = argparse.ArgumentParser()
parser.add_argument("--agentlog", default=".build/release/agentlog")
parser.add_argument("--db", required=True)
parser.add_argument("--runs", type=int, default=30)
parser.add_argument("--starts", type=int, default=15)
args = parser.parse_args()
args.agentlog = os.path.abspath(args.agentlog)
env = dict(os.environ, HOME=os.environ.get("BENCH_HOME", "/tmp/agentlog-bench-home"))
os.makedirs(env["HOME"], exist_ok=True)
INITIALIZE = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Server:
    """One `agentlog mcp` process and a JSON-RPC line client of it."""

    def __init__(self):
        self.process = subprocess.Popen([args.agentlog, "--db", args.db, "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=env, cwd=env["HOME"])
        self.next_id = 0

    def request(self, method, params=None):
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        self.process.stdin.flush()
        while True:
            answer = json.loads(self.process.stdout.readline())
            if answer.get("id") == self.next_id:
                return answer

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


def start_times():
    """From spawning `agentlog mcp` to its initialize answer, each in a new process."""
    times = []
    for _ in range(args.starts):
        start = time.perf_counter()
        process = subprocess.Popen([args.agentlog, "--db", args.db, "mcp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, env=env)
        process.stdin.write((json.dumps(INITIALIZE) + "\n").encode())
        process.stdin.flush()
        json.loads(process.stdout.readline())
        times.append((time.perf_counter() - start) * 1000)
        process.stdin.close()
        process.wait(timeout=10)
    return times


def baseline_times():
    times = []
    for _ in range(args.starts):
        start = time.perf_counter()
        subprocess.run([args.agentlog, "mcp", "--help"], stdout=subprocess.DEVNULL, env=env, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return times


server = Server()
server.request("initialize", INITIALIZE["params"])
first = server.request("tools/call", {"name": "list_sessions", "arguments": {"limit": 200}})["result"]["structuredContent"]["rows"]
biggest = max(first, key=lambda row: row["toolCalls"])["id"]
project = os.path.join(env["HOME"], "project")
calls = [
    ("search", {"q": "error", "limit": 10}),
    ("search", {"q": "\"test failed\"", "limit": 10, "agent": "claude"}),
    ("list_sessions", {"limit": 20}),
    ("list_sessions", {"limit": 20, "tool": "Bash", "errors": True}),
    ("get_session", {"id": biggest}),
    ("get_session", {"id": biggest, "from": 10, "limit": 5}),
    ("get_usage", {"group": "daily"}),
    ("get_usage", {"group": "model", "period": "30d"}),
    ("get_usage", {"group": "project", "breakdown": "agent"}),
    ("get_tool_calls", {"session": biggest, "limit": 100}),
    ("recent_edits", {"limit": 30}),
    ("get_failed_paths", {}),
    ("get_open_errors", {}),
    ("list_agents", {}),
    ("get_claims", {}),
    ("list_runs", {}),
    ("check_claims", {"paths": ["src/a.swift", "src/b.swift"], "session": "bench-b"}),
    ("claim_files", {"paths": ["src/a.swift"], "session": "bench-a", "ttl_seconds": 60}),
    ("release_files", {"session": "bench-a"}),
    ("note_failed_path", {"approach": "benchmark", "reason": "measuring", "project": project}),
    ("note_verdict", {"decision": "approve", "reason": "benchmark", "session": "bench-a"}),
]
rows = []
for name, arguments in calls:
    times = []
    for run in range(args.runs + 2):
        start = time.perf_counter()
        answer = server.request("tools/call", {"name": name, "arguments": arguments})
        elapsed = (time.perf_counter() - start) * 1000
        result = answer.get("result") or {}
        if result.get("isError") or "error" in answer:
            sys.exit(f"{name} {arguments}: {json.dumps(answer)[:300]}")
        if run >= 2:  # the first two warm the caches
            times.append(elapsed)
    size = len(json.dumps(result))
    rows.append((f"{name} {json.dumps(arguments) if arguments else ''}".strip(), statistics.median(times), percentile(times, 0.95), size))
list_times = []
for _ in range(args.runs):
    start = time.perf_counter()
    server.request("tools/list")
    list_times.append((time.perf_counter() - start) * 1000)
server.close()

starts, baseline = start_times(), baseline_times()
print(f"| call | p50 ms | p95 ms | answer bytes |\n|---|---:|---:|---:|")
print(f"| process start: `agentlog mcp --help` (baseline) | {statistics.median(baseline):.1f} | {percentile(baseline, 0.95):.1f} | |")
print(f"| start to `initialize` answered | {statistics.median(starts):.1f} | {percentile(starts, 0.95):.1f} | |")
print(f"| tools/list | {statistics.median(list_times):.1f} | {percentile(list_times, 0.95):.1f} | |")
for label, p50, p95, size in rows:
    print(f"| {label.replace('|', '/')} | {p50:.1f} | {p95:.1f} | {size:,} |")
