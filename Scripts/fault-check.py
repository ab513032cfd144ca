#!/usr/bin/env python3
"""Faults that try to lose or corrupt history, on real processes and a real file system:

  python3 Scripts/fault-check.py --agentlog .build/debug/agentlog [--kills 200] [--size-mb 50] [--time-limit 1800]

1. kill -9 of `agentlog sync` at random moments, each from an empty database, on a scaled tree
   of at least --size-mb: after each, `db check` passes and a resumed sync gives the clean run's
   totals (sessions, messages, responses, tool calls, every token bucket). Then kill -9 of an app
   that embeds the library (agentlog-app-probe) in the middle of its appends, --app-kills times:
   every message it saw saved is there, whole and in order.
2. Four syncs of the same tree started at once give the clean run's totals.
3. A read-only database (the file made 0444, the sync run as nobody): one clear error, exit 1,
   the file unchanged; once writable again, a sync completes with the clean totals. The library's
   writes on it: one error, the file unchanged.
4. A full disk (a small tmpfs, when this machine lets us mount one): the sync fails with one
   clear error and leaves a sound database; once the disk has room, a sync completes with the
   clean totals. The library writes until the disk is full: one error, what it saved kept. The hook, its database's disk full, keeps the payload in its fallback spool
   and a later command replays it.

Every database lives in a temporary folder; HOME points at an empty one. Prints one line per
check and a summary; exits 1 on the first failure, with what differed."""
import argparse, json, os, pwd, random, shutil, subprocess, sys, tempfile, time

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agentlog", required=True)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--app-kills", type=int, default=50)
    parser.add_argument("--size-mb", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--time-limit", type=float, default=1800, help="stop the kill loop after this many seconds")
    options = parser.parse_args()
    agentlog = os.path.abspath(options.agentlog)
    hook = os.path.join(os.path.dirname(agentlog), "agentlog-hook")
    work = tempfile.mkdtemp(prefix="agentlog-faults-")
    os.chmod(work, 0o777)
    home = os.path.join(work, "home")
    os.makedirs(home)
    env = {"HOME": home, "PATH": "/usr/bin:/bin", "TZ": "UTC"}
    started = time.time()
    try:
        tree = os.path.join(work, "tree")
        scaler = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "tools", "scale-corpus.py")
        subprocess.run([sys.executable, scaler, "--size-mb", str(options.size_mb), "--seed", str(options.seed), "--out", tree],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(tree) for f in fs)

        def run(db, *args, user=None, check=True):
            command = [agentlog, "--db", db, *args]
            if user:
                uid, gid = pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid
                command = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", *command]
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            if check and done.returncode != 0:
                fail(f"{' '.join(args)} exited {done.returncode}: {done.stderr.strip()[:500]}")
            return done

        def totals(db):
            status = json.loads(run(db, "db", "status", "--format", "json").stdout)
            report = json.loads(run(db, "report", "model", "--format", "json", "--no-sync", "--source", "transcript").stdout)
            keys = ("sessions", "messages", "usageRecords", "toolCalls", "subagents")
            return {**{k: status[k] for k in keys}, **{k: v for k, v in report["totals"].items() if k.endswith("Tokens") or k == "responses"}}

        def sync(db, **kw):
            return run(db, "sync", "--path", tree, "--quiet", **kw)

        clean_db = os.path.join(work, "clean.db")
        begin = time.perf_counter()
        sync(clean_db)
        clean_seconds = time.perf_counter() - begin
        clean = totals(clean_db)
        print(f"tree: {size / 1e6:.1f} MB, clean sync {clean_seconds:.2f} s: {clean}")

        # 1. kill -9 at random moments.
        generator = random.Random(options.seed)
        killed = completed = 0
        for index in range(options.kills):
            if time.time() - started > options.time_limit:
                print(f"kill -9: stopped after {index} of {options.kills} (--time-limit {options.time_limit:.0f} s)")
                break
            db = os.path.join(work, f"kill-{index}.db")
            process = subprocess.Popen([agentlog, "--db", db, "sync", "--path", tree, "--quiet"], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(generator.uniform(0, clean_seconds))
            process.kill()
            process.wait()
            if process.returncode == -9:
                killed += 1
            else:
                completed += 1
            if os.path.exists(db):
                check = run(db, "db", "check", "--archive-sample", "20", "--search-sample", "0", check=False)
                if check.returncode != 0:
                    fail(f"kill {index}: db check failed after kill -9: {check.stdout.strip()[:500]} {check.stderr.strip()[:300]}")
            sync(db)
            after = totals(db)
            if after != clean:
                fail(f"kill {index}: resumed totals differ: {diff(clean, after)}")
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
        print(f"kill -9 of sync: {killed + completed} runs ({killed} killed mid-sync, {completed} finished first), "
              f"each checked and resumed to the clean totals")

        # 1b. kill -9 of an app that embeds the library, in the middle of its appends.
        probe = os.path.join(os.path.dirname(agentlog), "agentlog-app-probe")
        app_db = os.path.join(work, "app.db")
        saved = 0
        for index in range(options.app_kills):
            process = subprocess.Popen([probe, "write", app_db, "app-session"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(generator.uniform(0.05, 0.6))
            process.kill()
            out, _ = process.communicate()
            lines = out.decode().split("\n")
            whole = [line for line in lines[:-1] if line.strip().isdigit()]
            saved = int(whole[-1]) if whole else saved
            verified = subprocess.run([probe, "verify", app_db, "app-session", str(saved)], env=env, capture_output=True, text=True)
            if verified.returncode != 0:
                fail(f"app kill {index}: {verified.stdout.strip()} {verified.stderr.strip()[:300]}")
            check = run(app_db, "db", "check", "--archive-sample", "0", "--search-sample", "0", check=False)
            if check.returncode != 0:
                fail(f"app kill {index}: db check failed: {check.stdout.strip()[:300]} {check.stderr.strip()[:300]}")
        print(f"kill -9 of an app embedding the library: {options.app_kills} kills, {saved} messages saved, "
              f"every one the app saw saved is there, whole and in order; db check passes")

        # 2. Four syncs at once.
        db = os.path.join(work, "four.db")
        processes = [subprocess.Popen([agentlog, "--db", db, "sync", "--path", tree, "--quiet"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(4)]
        for process in processes:
            _, errors = process.communicate()
            if process.returncode != 0:
                fail(f"one of four syncs at once exited {process.returncode}: {errors.strip()[:400]}")
        if totals(db) != clean:
            fail(f"four syncs at once: totals differ: {diff(clean, totals(db))}")
        print("four syncs at once: all exited 0, totals equal the clean run's")

        # 3. A read-only database.
        db = os.path.join(work, "readonly.db")
        half = os.path.join(work, "half")
        shutil.copytree(tree, half, ignore=lambda folder, names: names[len(names) // 2:] if folder == tree else [])
        run(db, "sync", "--path", half, "--quiet")
        # The files become nobody's (as a database handed to another user would be).
        for suffix in ("", "-wal", "-shm", ".sync.lock"):
            if os.path.exists(db + suffix):
                os.chmod(db + suffix, 0o644)
                os.chown(db + suffix, pwd.getpwnam("nobody").pw_uid, pwd.getpwnam("nobody").pw_gid)
        os.chmod(db, 0o444)
        before = open(db, "rb").read()
        refused = run(db, "sync", "--path", tree, "--quiet", user="nobody", check=False)
        lines = [line for line in refused.stderr.splitlines() if line.strip()]
        if refused.returncode != 1 or len(lines) != 1 or not any(word in lines[0].lower() for word in ("permission denied", "read-only", "readonly database")):
            fail(f"read-only database: expected one error and exit 1, got {refused.returncode}: {refused.stderr.strip()[:400]}")
        if open(db, "rb").read() != before:
            fail("read-only database: the file changed")
        os.chmod(db, 0o644)
        run(db, "sync", "--path", tree, "--quiet", user="nobody")
        if totals(db) != clean:
            fail(f"read-only then writable: totals differ: {diff(clean, totals(db))}")
        print(f"read-only database: refused with one sentence ({lines[0][:120]}), unchanged; writable again, synced to the clean totals")
        # The library on a read-only database: one error, nothing changed.
        os.chmod(db, 0o444)
        uid, gid = pwd.getpwnam("nobody").pw_uid, pwd.getpwnam("nobody").pw_gid
        before = open(db, "rb").read()
        written = subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", probe, "write", db, "ro-session"],
                                 env=env, capture_output=True, text=True, timeout=60)
        if written.returncode != 1 or written.stdout.strip() or len(written.stderr.strip().splitlines()) != 1:
            fail(f"library on a read-only database: expected one error and exit 1, got {written.returncode}: {written.stderr.strip()[:300]}")
        if open(db, "rb").read() != before:
            fail("library on a read-only database: the file changed")
        os.chmod(db, 0o644)
        print(f"library on a read-only database: one error ({written.stderr.strip()[:120]}), the file unchanged")

        # 4. A full disk.
        disk = os.path.join(work, "disk")
        os.makedirs(disk)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", disk], capture_output=True).returncode != 0:
            print("full disk: skipped (this machine does not let us mount a tmpfs)")
        else:
            try:
                full_disk(run, totals, clean, disk, tree, hook, env, agentlog, probe)
            finally:
                subprocess.run(["umount", disk], capture_output=True)
        print(f"fault checks passed in {time.time() - started:.0f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)

def full_disk(run, totals, clean, disk, tree, hook, env, agentlog, probe):
    db = os.path.join(disk, "agentlog.db")
    # An app that embeds the library writes until the disk is full: one error, a sound database,
    # every message it saw saved still there.
    app_db = os.path.join(disk, "app.db")
    spare = os.path.join(disk, "spare")
    with open(spare, "wb") as out:
        out.write(b"\0" * (1 << 20))  # room to give back before the check
    written = subprocess.run([probe, "write", app_db, "full-session"], env=env, capture_output=True, text=True, timeout=600)
    numbers = [line for line in written.stdout.split("\n") if line.strip().isdigit()]
    if written.returncode != 1 or "full" not in written.stderr.lower():
        fail(f"library on a full disk: expected exit 1 saying the disk is full, got {written.returncode}: {written.stderr.strip()[:300]}")
    os.remove(spare)
    verified = subprocess.run([probe, "verify", app_db, "full-session", numbers[-1] if numbers else "0"], env=env, capture_output=True, text=True)
    if verified.returncode != 0:
        fail(f"library on a full disk: {verified.stdout.strip()} {verified.stderr.strip()[:300]}")
    os.remove(app_db)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(app_db + suffix):
            os.remove(app_db + suffix)
    print(f"library on a full disk: {len(numbers)} messages saved, then one error ({written.stderr.strip()[:100]}); {verified.stdout.strip()}")
    refused = run(db, "sync", "--path", tree, "--quiet", check=False)
    lines = [line for line in refused.stderr.splitlines() if line.strip()]
    if refused.returncode != 1 or not lines or "full" not in refused.stderr.lower():
        fail(f"full disk: expected exit 1 and an error saying the disk is full, got {refused.returncode}: {refused.stderr.strip()[:400]}")
    check = run(db, "db", "check", "--archive-sample", "20", "--search-sample", "0", check=False)
    if check.returncode != 0:
        fail(f"full disk: db check failed: {check.stdout.strip()[:400]} {check.stderr.strip()[:300]}")
    # The hook, with no room for its database or its spool beside it, keeps the payload in the
    # fallback spool under /tmp.
    filler = os.path.join(disk, "filler")
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
    hooked_db = os.path.join(disk, "hooked.db")
    payload = '{"hook_event_name":"SessionStart","session_id":"disk-full","cwd":"/p","source":"startup"}'
    hooked = subprocess.run([hook, "--db", hooked_db], input=payload, env=env, capture_output=True, text=True)
    if hooked.returncode != 0 or "lost" in hooked.stderr or "/tmp/agentlog-spool-" not in hooked.stderr:
        fail(f"full disk: the hook did not keep its event in the fallback spool: {hooked.returncode} {hooked.stderr.strip()[:300]}")
    os.remove(filler)
    subprocess.run(["mount", "-o", "remount,size=600m", disk], check=True)
    run(db, "sync", "--path", tree, "--quiet")
    if totals(db) != clean:
        fail(f"full disk, then room: totals differ: {diff(clean, totals(db))}")
    events = json.loads(run(hooked_db, "events", "--format", "json", "--session", "disk-full").stdout)
    if not events.get("rows"):
        fail("full disk: the hook's spooled event was not replayed once there was room")
    print(f"full disk: sync refused with one error ({lines[-1][:120]}), database sound; the hook spooled its event "
          f"elsewhere ({hooked.stderr.strip()[:100]}); with room, synced to the clean totals and replayed the event")

def diff(expected, actual):
    return {k: (expected.get(k), actual.get(k)) for k in set(expected) | set(actual) if expected.get(k) != actual.get(k)}

def fail(message):
    print(f"FAILED: {message}", file=sys.stderr)
    sys.exit(1)

if __name__ == "__main__":
    main()
