#!/usr/bin/env python3
"""An independent client against the JSON API: schemathesis, from PyPI, generates requests from
/openapi.json for every operation (good and bad values, undeclared methods, stateful chains from
the links between them) against `agentlog serve` on a fresh demo history, and checks that no
answer is a 5xx and every answer conforms to the schema the spec declares.

    python3 Scripts/api-schema-check.py --agentlog .build/debug/agentlog --schemathesis .build/ci-venv/bin/schemathesis

The live streams (`…/stream`) never end, so they are left to LiveEventTests. Only 127.0.0.1 is
contacted; HOME is a temporary folder. Bounded by --max-examples and a timeout."""
import argparse, os, re, shutil, subprocess, sys, tempfile
from script_support import stop

parser = argparse.ArgumentParser()
parser.add_argument("--agentlog", default=".build/debug/agentlog")
parser.add_argument("--schemathesis", default="schemathesis")
parser.add_argument("--max-examples", type=int, default=40)
parser.add_argument("--timeout", type=int, default=900)
args = parser.parse_args()
# Absolute: schemathesis runs in a temporary folder (see below).
args.schemathesis = os.path.abspath(args.schemathesis) if os.sep in args.schemathesis else (shutil.which(args.schemathesis) or args.schemathesis)

home = tempfile.mkdtemp(prefix="agentlog-schema-")
env = dict(os.environ, HOME=home)
demo = subprocess.run([args.agentlog, "demo", "--keep"], capture_output=True, text=True, env=env, timeout=120)
match = re.search(r"Kept (\S+)\.", demo.stdout + demo.stderr)
if not match:
    sys.exit(f"agentlog demo did not keep its folder: {demo.stderr[-400:]}")
server = subprocess.Popen([args.agentlog, "--db", os.path.join(match.group(1), "agentlog.db"), "serve", "--port", "0"],
                          stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
try:
    port = int(re.search(r":(\d+) ", server.stderr.readline().decode()).group(1))
    # Every check but negative_data_rejection: the spec is deliberately narrower than the server in
    # places (it lists example time zones and plain words for q; the server takes any zone name and
    # the whole query language), so a request outside the spec may rightly succeed.
    command = [args.schemathesis, "run", f"http://127.0.0.1:{port}/openapi.json", "--checks", "all",
               "--exclude-checks", "negative_data_rejection",
               "--max-examples", str(args.max_examples), "--exclude-path-regex", ".*/stream$", "--seed", "7420"]
    print(" ".join(command), flush=True)
    # The hooks add what the spec cannot say (until after since); they are imported by module name.
    scripts = os.path.dirname(os.path.abspath(__file__))
    hooks_env = dict(env, SCHEMATHESIS_HOOKS="schemathesis_hooks", PYTHONPATH=scripts + os.pathsep + env.get("PYTHONPATH", ""))
    # Run in the temporary folder: schemathesis keeps a cache in its working directory.
    result = subprocess.run(command, timeout=args.timeout, env=hooks_env, cwd=home)
    code = result.returncode
finally:
    stop(server)
    shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(match.group(1), ignore_errors=True)
sys.exit(code)
