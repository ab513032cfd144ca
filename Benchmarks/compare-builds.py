#!/usr/bin/env python3
"""Before/after figures for a change that touches sync or reports: two release builds of
`agentlog`, the same tree, runs interleaved so that both see the same machine noise.

  python3 Benchmarks/compare-builds.py --old OLD/agentlog --new NEW/agentlog --tree /tmp/claude-1000 \
      [--cold 3] [--warm 11] [--reports 11] [--telemetry]

Cold sync: a new database each run. Nothing-changed sync, sync after 1 MB appended to the largest
transcript (--appends; the file is cut back to its size afterwards) and reports: on the database the last cold sync of
each build made. With --telemetry, every Claude usage row of each build's database
also gets a telemetry call (same request id, a tenth more output tokens, linked to its usage
row as the receiver links it) before the reports, so `--source best` has every call to replace. HOME points at an empty folder; nothing of this machine's own
agent folders is read. Prints medians (ms) and new/old ratios as a Markdown table."""
import argparse, os, shutil, sqlite3, statistics, subprocess, tempfile, time

def run(binary, args, home):
    env = {"HOME": home, "PATH": "/usr/bin:/bin", "TZ": "UTC"}
    start = time.perf_counter()
    done = subprocess.run([binary] + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{binary} {' '.join(args)} failed: {done.stderr.decode()[:400]}")
    return elapsed

def add_telemetry(db):
    con = sqlite3.connect(db)
    con.execute("""INSERT OR IGNORE INTO telemetry_requests (key, request_id, session_id, model, timestamp, input_tokens,
                   output_tokens, cache_creation_tokens, cache_read_tokens, cost_pico, received_at, usage_id)
                   SELECT u.request_id, u.request_id, s.session_id, u.model, COALESCE(u.timestamp, 0), u.input_tokens,
                          u.output_tokens + u.output_tokens / 10, u.cache_creation_tokens, u.cache_read_tokens, NULL, 0, u.id
                   FROM usage u JOIN sessions s ON s.id = u.session_id WHERE s.agent = 'claude' AND u.request_id <> ''""")
    count = con.execute("SELECT COUNT(*) FROM telemetry_requests").fetchone()[0]
    con.commit()
    con.close()
    return count

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--old", required=True)
    parser.add_argument("--new", required=True)
    parser.add_argument("--tree", required=True)
    parser.add_argument("--cold", type=int, default=3)
    parser.add_argument("--warm", type=int, default=11)
    parser.add_argument("--reports", type=int, default=11)
    parser.add_argument("--appends", type=int, default=5, help="syncs after 1 MB appended to one file (the tree is changed)")
    parser.add_argument("--telemetry", action="store_true", help="add a telemetry call per usage row before the reports (new build only)")
    options = parser.parse_args()
    work = tempfile.mkdtemp(prefix="agentlog-compare-")
    home = os.path.join(work, "home")
    os.makedirs(home)
    builds = {"old": options.old, "new": options.new}
    results = {}
    def record(name, build, value):
        results.setdefault(name, {"old": [], "new": []})[build].append(value)
    try:
        dbs = {}
        for index in range(options.cold):
            for build, binary in builds.items():
                db = os.path.join(work, f"{build}-{index}.db")
                record("cold sync", build, run(binary, ["--db", db, "sync", "--path", options.tree, "--quiet"], home))
                if build in dbs:
                    for suffix in ("", "-wal", "-shm"):
                        if os.path.exists(dbs[build] + suffix): os.remove(dbs[build] + suffix)
                dbs[build] = db
        for _ in range(options.warm):
            for build, binary in builds.items():
                record("nothing-changed sync", build, run(binary, ["--db", dbs[build], "sync", "--path", options.tree, "--quiet"], home))
        # 1 MB of the tree's own lines appended to its largest transcript, then both builds sync it
        # (in turn first, so that neither always finds the page cache warmer).
        largest = max((os.path.join(folder, name) for folder, _, names in os.walk(options.tree) for name in names if name.endswith(".jsonl")),
                      key=os.path.getsize)
        original_size = os.path.getsize(largest)
        with open(largest, "rb") as source:
            lines = source.read(4 << 20).split(b"\n")[:-1]
        chunk, size = [], 0
        for line in lines * 64:
            if size >= 1 << 20: break
            chunk.append(line)
            size += len(line) + 1
        for index in range(options.appends):
            with open(largest, "ab") as target:
                target.write(b"\n".join(chunk) + b"\n")
            for build in (("old", "new") if index % 2 == 0 else ("new", "old")):
                record("sync after 1 MB appended", build, run(builds[build], ["--db", dbs[build], "sync", "--path", options.tree, "--quiet"], home))
        os.truncate(largest, original_size)  # the tree as it was
        if options.telemetry:
            print(f"telemetry calls added: {add_telemetry(dbs['new'])}")
        for _ in range(options.reports):
            for build, binary in builds.items():
                for kind in ("daily", "project", "session"):
                    record(f"report {kind} --no-sync", build, run(binary, ["--db", dbs[build], "report", kind, "--no-sync"], home))
        print("| measurement | old | new | new / old |\n|---|---|---|---|")
        for name, values in results.items():
            old, new = statistics.median(values["old"]), statistics.median(values["new"])
            print(f"| {name}, median of {len(values['old'])} | {old:.1f} ms | {new:.1f} ms | {new / old:.2f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
