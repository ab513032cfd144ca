#!/usr/bin/env python3
"""A real browser over the dashboard: starts `agentlog serve` on a fresh demo history, loads the
overview, the sessions list, a session, search, projects, agents and settings in headless
Chromium, checks from the DOM (after the page's script ran) that the charts and the conversation
rendered, and writes screenshots at 1400x900 and 390x844, light and dark, into --out.

    python3 Scripts/browser-check.py --agentlog .build/debug/agentlog [--out .build/screenshots]

Exits 1 naming each check that failed; 0 when all passed. Only 127.0.0.1 is contacted; HOME is
a temporary folder, so no agent folder of this machine is read. Bounded: every browser run has a
timeout, and the whole script stops the server at the end."""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.request
from script_support import stop

parser = argparse.ArgumentParser()
parser.add_argument("--agentlog", default=".build/debug/agentlog")
parser.add_argument("--out", default=".build/screenshots")
parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser") or "chromium")
args = parser.parse_args()

home = tempfile.mkdtemp(prefix="agentlog-browser-")
env = dict(os.environ, HOME=home)
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def browser(*flags, url, timeout=60):
    command = [args.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               f"--user-data-dir={home}/chromium", *flags, url]
    return subprocess.run(command, capture_output=True, timeout=timeout, env=env)


demo = subprocess.run([args.agentlog, "demo", "--keep"], capture_output=True, text=True, env=env, timeout=120)
match = re.search(r"Kept (\S+)\.", demo.stdout + demo.stderr)
if not match:
    sys.exit(f"agentlog demo did not keep its folder: {demo.stdout[-400:]} {demo.stderr[-400:]}")
database = os.path.join(match.group(1), "agentlog.db")
server = subprocess.Popen([args.agentlog, "--db", database, "serve", "--port", "0"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)
try:
    line = server.stderr.readline().decode()
    port = int(re.search(r":(\d+) ", line).group(1))
    base = f"http://127.0.0.1:{port}"
    sessions = json.load(urllib.request.urlopen(f"{base}/api/v1/sessions?limit=50", timeout=10))["rows"]
    session = max(sessions, key=lambda row: row["toolCalls"])["id"]
    os.makedirs(args.out, exist_ok=True)

    overview = browser("--dump-dom", url=f"{base}/?period=all").stdout.decode()
    check(overview.count('<svg class="chart"') == 2, "overview: two charts")
    check(len(re.findall(r'<rect class="s\d"', overview)) > 5, "overview: the charts have bars")
    check('<svg class="heatmap"' in overview, "overview: the activity heatmap")
    check(overview.count('href="/sessions/') >= 8, "overview: recent sessions listed")
    check('data-theme="' in overview, "overview: the script set a theme")

    page = browser("--dump-dom", url=f"{base}/sessions/{session}").stdout.decode()
    check(page.count('<section class="turn') >= 1, "session: turns rendered")
    check('class="msg prompt"' in page and 'class="msg assistant"' in page, "session: prompt and replies rendered")
    check(page.count('<details class="tool') >= 1, "session: tool calls rendered, collapsible")

    for path, marker in [("/sessions", 'class="sessions rows"'), ("/search?q=widget", "<mark>"), ("/projects", "Projects with runs"),
                         ("/agents", "Who edits what"), ("/settings", "Stored settings")]:
        check(marker in browser("--dump-dom", url=base + path).stdout.decode(), f"{path}: rendered")

    for name, path in [("overview", "/?period=all"), ("session", f"/sessions/{session}"), ("sessions", "/sessions"),
                       ("search", "/search?q=widget"), ("projects", "/projects"), ("agents", "/agents")]:
        for width, height in [(1400, 900), (390, 844)]:
            for theme in ["light", "dark"]:
                target = os.path.join(args.out, f"{name}-{width}x{height}-{theme}.png")
                flags = [f"--window-size={width},{height}", f"--screenshot={target}"]
                if theme == "dark":
                    flags.append("--force-dark-mode")
                browser(*flags, url=base + path)
                check(os.path.exists(target) and os.path.getsize(target) > 10_000, f"screenshot {os.path.basename(target)}")
finally:
    stop(server)
    shutil.rmtree(home, ignore_errors=True)
    if match:
        shutil.rmtree(match.group(1), ignore_errors=True)

print(f"\n{len(failures)} failed" if failures else "\nall browser checks passed; screenshots in " + args.out)
sys.exit(1 if failures else 0)
