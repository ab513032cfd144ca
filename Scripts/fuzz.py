#!/usr/bin/env python3
"""Runs every fuzz harness of agentlog-fuzz (Fuzz/agentlog-fuzz) for a while each:

  python3 Scripts/fuzz.py --fuzzer .build/debug/agentlog-fuzz [--seconds 60] [--only claude,codex] [--findings DIR]

A harness that crashes (a trap, a signal) leaves the input it was running in its last-input
file; this script saves it under --findings, says how to replay it, and starts the harness
again until its time is up. A harness that reports a broken property stops with its input
saved. Exits 1 when anything was found. Harnesses: claude, codex, gemini, hooks, settings,
search, redaction."""
import argparse, os, struct, subprocess, sys, time

HARNESSES = ["claude", "codex", "gemini", "hooks", "settings", "search", "redaction"]

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fuzzer", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--only", default=",".join(HARNESSES))
    parser.add_argument("--findings", default=".build/fuzz-findings")
    parser.add_argument("--seed", type=int, default=None)
    options = parser.parse_args()
    os.makedirs(options.findings, exist_ok=True)
    found = 0
    for name in options.only.split(","):
        deadline = time.time() + options.seconds
        last = os.path.join(options.findings, f"{name}.last-input")
        runs = 0
        while time.time() < deadline:
            left = max(1, deadline - time.time())
            command = [options.fuzzer, name, "--seconds", f"{left:.0f}", "--last-input", last]
            if options.seed is not None:
                command += ["--seed", str(options.seed + runs)]
            done = subprocess.run(command, capture_output=True, text=True, timeout=left + 300)
            runs += 1
            if done.returncode == 0:
                print(done.stdout.strip())
                break
            if done.returncode == 1:
                print(f"{name}: {done.stdout.strip()}")
                found += 1
                break
            # Killed by a signal: the mapped file holds the input that crashed it.
            with open(last, "rb") as mapped:
                length = struct.unpack("<Q", mapped.read(8))[0]
                data = mapped.read(length) if length < (4 << 20) else b""
            crash = os.path.join(options.findings, f"{name}-crash-{int(time.time())}-{runs}.bin")
            with open(crash, "wb") as out:
                out.write(data)
            found += 1
            print(f"{name}: crashed ({done.returncode}; {done.stderr.strip()[-300:]}); input saved to {crash}; "
                  f"replay with {options.fuzzer} {name} --replay {crash}")
        if os.path.exists(last):
            os.remove(last)
    print(f"fuzzing: {found} findings")
    sys.exit(1 if found else 0)

if __name__ == "__main__":
    main()
