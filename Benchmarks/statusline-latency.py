#!/usr/bin/env python3
"""Whole-process latency of the statusline on a real-sized history.

Runs, interleaved and one after another, each measured from spawn to exit:
  - start:       `agentlog-statusline --help` (the same binary, no database: the process-start baseline)
  - statusline:  `agentlog-statusline --db COPY` with a realistic payload on stdin (stores it, reads
                 today's cost, the active 5-hour block, the session's cost and the budgets)
  - cli:         `agentlog statusline --db COPY`, the same through the main executable
and prints p50 / p95 of each, and the statusline's ratio to the baseline.

    python3 Benchmarks/statusline-latency.py --statusline .build/release/agentlog-statusline \
        --agentlog .build/release/agentlog --db /tmp/bench/1gb.db --runs 200

The database is copied first (the runs write statusline rows); HOME points at an empty folder.
Histories made by scale-corpus.py end months ago, so the copy's rollups are moved forward by whole
hours until their latest response is 20 minutes old: today and the active block then hold real
work, as they do for a user in the middle of a session.
"""
import argparse, json, os, shutil, sqlite3, statistics, subprocess, tempfile, time


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--statusline", required=True)
    parser.add_argument("--agentlog", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="statusline-bench-")
    try:
        db = os.path.join(work, "agentlog.db")
        source = sqlite3.connect(args.db)
        target = sqlite3.connect(db)
        source.backup(target)
        source.close()
        latest = target.execute("SELECT MAX(slot) FROM usage_rollup WHERE responses > 0").fetchone()[0]
        hours = max(0, (int(time.time() * 1000) - 20 * 60_000 - (latest + 1) * 900_000) // 3_600_000)
        for table in ("usage_rollup", "session_usage_rollup"):
            # Through negative slots, so the primary key never meets itself half-way.
            target.execute(f"UPDATE {table} SET slot = -(slot + ?)", (hours * 4,))
            target.execute(f"UPDATE {table} SET slot = -slot")
        target.commit()
        # The session with the most usage, and its folder: the payload Claude Code would send there.
        session, cwd = target.execute("""
            SELECT s.session_id, COALESCE(s.cwd, '') FROM sessions s JOIN usage u ON u.session_id = s.id
            WHERE s.agent = 'claude' GROUP BY s.id ORDER BY COUNT(*) DESC LIMIT 1""").fetchone()
        size = os.path.getsize(args.db)
        target.close()
        home = os.path.join(work, "home")
        os.makedirs(home)
        env = dict(os.environ, HOME=home, NO_COLOR="1")
        env.pop("AGENTLOG_DB", None)
        env.pop("AGENTLOG_PRICES", None)
        # Two budgets, one of them for the session's project, so their sums are part of each run.
        subprocess.run([args.agentlog, "--db", db, "budget", "set", "daily", "50"], env=env, check=True, capture_output=True)
        subprocess.run([args.agentlog, "--db", db, "budget", "set", "weekly", "200", "--project", cwd or "/"], env=env,
                       check=True, capture_output=True)
        payload = json.dumps({
            "session_id": session, "transcript_path": "/dev/null", "cwd": cwd,
            "model": {"id": "claude-opus-4-6", "display_name": "Opus 4.6"},
            "workspace": {"current_dir": cwd, "project_dir": cwd}, "version": "2.1.0",
            "cost": {"total_cost_usd": 1.25, "total_duration_ms": 100000},
            "context_window": {"context_window_size": 200000, "used_percentage": 41.5,
                               "current_usage": {"input_tokens": 1200, "cache_read_input_tokens": 80000}},
            "rate_limits": {"five_hour": {"used_percentage": 35, "resets_at": int(time.time()) + 7200},
                            "seven_day": {"used_percentage": 12, "resets_at": int(time.time()) + 86400 * 3}},
        }).encode()
        commands = {
            "start": ([args.statusline, "--help"], None),
            "statusline": ([args.statusline, "--db", db], payload),
            "cli": ([args.agentlog, "--db", db, "statusline"], payload),
        }
        line = subprocess.run(commands["statusline"][0], input=payload, env=env, capture_output=True, check=True).stdout.decode().strip()
        times = {name: [] for name in commands}
        for run in range(args.runs):
            # Vary the reading now and then, so some runs store a new rate-limit row.
            for name, (command, data) in commands.items():
                if data is not None and run % 10 == 0:
                    data = data.replace(b'"used_percentage": 35', b'"used_percentage": %d' % (35 + run // 10))
                started = time.perf_counter()
                subprocess.run(command, input=data, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                times[name].append((time.perf_counter() - started) * 1000)
        print(f"database: {size / 1e9:.2f} GB, {args.runs} runs each, interleaved")
        print(f"line: {line}")
        for name, values in times.items():
            print(f"{name:11s} p50 {statistics.median(values):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms")
        base = statistics.median(times["start"])
        print(f"statusline / start (p50): {statistics.median(times['statusline']) / base:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
