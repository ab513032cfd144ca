#!/usr/bin/env python3
"""The live side of `agentlog serve`, measured: how fast a hook event written by a separate
`agentlog-hook` process reaches connected Server-Sent Events clients, and whether the server keeps
up with many of them while it answers API requests.

    python3 Benchmarks/live-load.py --agentlog .build/release/agentlog --hook .build/release/agentlog-hook \
        --db /tmp/agentlog.db [--clients 200] [--rate 100] [--seconds 60] [--events 20]

It starts the server on a free loopback port, opens --clients SSE streams on /api/v1/events/stream,
then for --seconds sends --rate API requests a second (a mix a dashboard sends) on keep-alive
connections while a hook process writes an event every --seconds/--events seconds. It prints the
delivery latency (hook exit to arrival, over every client and event), the API latency percentiles
and every error; it exits 1 if a request failed, a stream broke or an event was lost. Only
127.0.0.1 is contacted; the hook events go to session `live-load-bench` of --db."""
import argparse, asyncio, os, re, signal, statistics, subprocess, sys, time

parser = argparse.ArgumentParser()
parser.add_argument("--agentlog", default=".build/release/agentlog")
parser.add_argument("--hook", default=".build/release/agentlog-hook")
parser.add_argument("--db", required=True)
parser.add_argument("--clients", type=int, default=200)
parser.add_argument("--rate", type=int, default=100)
parser.add_argument("--seconds", type=float, default=60)
parser.add_argument("--events", type=int, default=20)
args = parser.parse_args()

env = dict(os.environ, HOME=os.environ.get("BENCH_HOME", "/tmp/agentlog-bench-home"))
os.makedirs(env["HOME"], exist_ok=True)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(len(values) * p)) - 1))] if values else float("nan")


async def main():
    server = subprocess.Popen([args.agentlog, "--db", args.db, "serve", "--port", "0"], stderr=subprocess.PIPE,
                              stdout=subprocess.DEVNULL, env=env)
    try:
        match = re.search(r":(\d+) ", server.stderr.readline().decode())
        if not match:
            sys.exit("the server did not start")
        port = int(match.group(1))
        errors = []
        arrivals = {}  # event payload marker -> list of arrival times
        written = {}   # marker -> time the hook process exited

        async def stream_client(index, ready):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET /api/v1/events/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"retry: 1000")
            if not head.startswith(b"HTTP/1.1 200"):
                errors.append(f"stream {index}: {head[:80]!r}")
            ready.set()
            try:
                while True:
                    line = await reader.readline()
                    if not line:
                        errors.append(f"stream {index} closed by the server")
                        return
                    found = re.search(rb'"tool_use_id":"(bench-\d+)"', line)
                    if found:
                        arrivals.setdefault(found.group(1).decode(), []).append(time.perf_counter())
            except asyncio.CancelledError:
                writer.close()

        readies = [asyncio.Event() for _ in range(args.clients)]
        streams = [asyncio.create_task(stream_client(i, readies[i])) for i in range(args.clients)]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 30)

        routes = ["/api/v1/status", "/api/v1/sessions?limit=50", "/api/v1/reports?group=daily", "/api/v1/agents",
                  "/api/v1/claims", "/api/v1/events?limit=20", "/api/v1/runs"]
        latencies = []

        async def api_worker(worker, count, interval, start):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            for n in range(count):
                target = start + n * interval
                await asyncio.sleep(max(0, target - time.perf_counter()))
                route = routes[(worker + n) % len(routes)]
                began = time.perf_counter()
                writer.write(f"GET {route} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))
                await reader.readexactly(length)
                latencies.append((time.perf_counter() - began) * 1000)
                if not head.startswith(b"HTTP/1.1 200"):
                    errors.append(f"{route}: {head[:60]!r}")
            writer.close()

        async def hooks():
            for n in range(args.events):
                await asyncio.sleep(args.seconds / (args.events + 1))
                marker = f"bench-{n}"
                payload = ('{"hook_event_name":"PostToolUse","session_id":"live-load-bench","cwd":"/bench","tool_name":"Edit",'
                           f'"tool_use_id":"{marker}","tool_input":{{"file_path":"/bench/{n}.txt"}}}}')
                process = await asyncio.create_subprocess_exec(args.hook, "--db", args.db, stdin=asyncio.subprocess.PIPE,
                                                               stdout=asyncio.subprocess.DEVNULL, env=env)
                await process.communicate(payload.encode())
                written[marker] = time.perf_counter()

        workers = 10
        per_worker = int(args.rate * args.seconds / workers)
        start = time.perf_counter()
        await asyncio.gather(hooks(), *(api_worker(w, per_worker, workers / args.rate, start + w / args.rate) for w in range(workers)))
        await asyncio.sleep(1.5)
        for task in streams:
            task.cancel()
        delays = [(t - written[m]) * 1000 for m, times in arrivals.items() if m in written for t in times]
        lost = sum(args.clients - len(arrivals.get(m, [])) for m in written)
        print(f"{args.clients} SSE clients, {len(latencies)} API requests in {args.seconds:.0f} s ({len(latencies) / args.seconds:.0f}/s), "
              f"{len(written)} hook events\n")
        print("| measure | p50 | p95 | p99 | max |")
        print("|---|---|---|---|---|")
        print(f"| API request | {statistics.median(latencies):.1f} ms | {percentile(latencies, .95):.1f} ms | "
              f"{percentile(latencies, .99):.1f} ms | {max(latencies):.1f} ms |")
        if delays:
            print(f"| hook exit → event at a client | {statistics.median(delays):.0f} ms | {percentile(delays, .95):.0f} ms | "
                  f"{percentile(delays, .99):.0f} ms | {max(delays):.0f} ms |")
        print(f"\nevents delivered: {len(delays)} of {len(written) * args.clients}; lost: {lost}; errors: {len(errors)}")
        for error in errors[:10]:
            print("  " + error)
        return 1 if errors or lost else 0
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=15)

sys.exit(asyncio.run(main()))
