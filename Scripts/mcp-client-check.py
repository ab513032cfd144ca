#!/usr/bin/env python3
"""An independent client against `agentlog mcp`: the official Python MCP SDK (PyPI `mcp`) drives
real server processes on a fresh demo history (`agentlog demo --keep`) and checks end to end:
1. initialize and tools/list: 16 tools, each with a closed input schema and an output schema;
2. every tool with good arguments: structuredContent valid (Draft 2020-12) against its outputSchema,
   naming its schema; the paging of list_sessions and get_session;
3. bad arguments are tool errors naming the argument; an unknown tool is a protocol error;
4. resources: list, template, a session as Markdown, today's usage, unknown resources;
5. two agents, two server processes and the real `agentlog-hook --guard-claims=strict|warn`:
   claim, conflict, release, expiry, failed paths, verdicts;
6. a --read-only server offers no writing tools; 7. Streamable HTTP at `agentlog serve`'s /mcp.

    .build/ci-venv/bin/python Scripts/mcp-client-check.py --agentlog .build/debug/agentlog

Needs `pip install mcp jsonschema`. HOME is a temporary folder; only 127.0.0.1 is contacted."""
import argparse, contextlib, itertools, json, os, re, shutil, subprocess, sys, tempfile, time
from script_support import stop
from datetime import timedelta
from importlib.metadata import version as package_version

import anyio, jsonschema
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
try:  # SDK 2 names
    from mcp import MCPError as ProtocolError
    from mcp.client.streamable_http import streamable_http_client as http_client
except ImportError:  # SDK 1 names
    from mcp.shared.exceptions import McpError as ProtocolError
    from mcp.client.streamable_http import streamablehttp_client as http_client

TOOLS = ["search", "list_sessions", "get_session", "get_usage", "get_tool_calls", "recent_edits", "get_failed_paths",
         "get_open_errors", "list_agents", "get_claims", "list_runs", "note_failed_path", "claim_files", "release_files",
         "check_claims", "note_verdict"]
WRITING = {"note_failed_path", "claim_files", "release_files", "note_verdict"}
READ_TIMEOUT = 30.0 if int(package_version("mcp").split(".")[0]) >= 2 else timedelta(seconds=30)
passed = []
HOOK_CALLS = itertools.count(1)  # each payload a new tool call: a repeated tool_use_id is a duplicate, not guarded again


class CheckFailed(Exception):
    """A check that did not hold; its message says what came back."""


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def wire(model):
    """A result as it was on the wire (camelCase), whichever SDK version parsed it."""
    return model.model_dump(by_alias=True, mode="json", exclude_none=True)


def read_text(path):
    with open(path) as file:
        return file.read()


def text_of(result):
    return "".join(part.get("text", "") for part in result.get("content", []))


class Setup:
    """The demo history, the project folder the agents work in, and the processes' environment."""

    def __init__(self, args):
        self.agentlog, self.hook = args.agentlog, args.hook
        self.home = tempfile.mkdtemp(prefix="agentlog-mcp-")
        self.project = os.path.realpath(os.path.join(self.home, "project"))
        os.makedirs(os.path.join(self.project, "src"))
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith("AGENTLOG_") and key != "CLAUDE_SESSION_ID"}
        self.env["HOME"] = self.home
        self.demo = None
        self.errlog = open(os.path.join(self.home, "mcp-stderr.log"), "w+")

    def prepare(self):
        """Writes the demo history (`agentlog demo --keep`)."""
        demo = subprocess.run([self.agentlog, "demo", "--keep"], capture_output=True, text=True, env=self.env, timeout=120)
        match = re.search(r"Kept (\S+)\.", demo.stdout + demo.stderr)
        self.demo = match and match.group(1)
        check(self.demo, f"agentlog demo did not keep its folder: {demo.stderr[-400:]}")
        self.db = os.path.join(self.demo, "agentlog.db")

    def cleanup(self):
        self.errlog.close()
        shutil.rmtree(self.home, ignore_errors=True)
        if self.demo:
            shutil.rmtree(self.demo, ignore_errors=True)


@contextlib.asynccontextmanager
async def stdio_session(setup, *options):
    """An initialized session with a new `agentlog --db DB mcp OPTIONS` process in the project."""
    params = StdioServerParameters(command=setup.agentlog, args=["--db", setup.db, "mcp", *options],
                                   env=setup.env, cwd=setup.project)
    async with stdio_client(params, errlog=setup.errlog) as streams:
        async with ClientSession(streams[0], streams[1], read_timeout_seconds=READ_TIMEOUT) as session:
            yield session, wire(await session.initialize())


class Client:
    """A session and the output schemas of its server's tools."""

    def __init__(self, session, schemas):
        self.session, self.schemas = session, schemas

    async def ok(self, name, arguments):
        """Calls a tool that must succeed; its structured content, checked against its outputSchema."""
        result = wire(await self.session.call_tool(name, arguments))
        check(not result.get("isError"), f"{name} {arguments} failed: {text_of(result)}")
        content = result.get("structuredContent")
        check(isinstance(content, dict), f"{name} {arguments}: no structuredContent")
        error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(self.schemas[name]).iter_errors(content))
        check(error is None, f"{name} {arguments}: structuredContent breaks the outputSchema at "
                             f"{list(error.absolute_path) if error else ''}: {error.message if error else ''}")
        schema = self.schemas[name]
        consts = [branch["properties"]["schema"]["const"] for branch in schema.get("anyOf", [schema])]
        check(content.get("schema") in consts, f"{name}: schema is {content.get('schema')!r}, the outputSchema says {consts!r}")
        check(json.loads(text_of(result)) == content, f"{name}: the text content is not the structured content as JSON")
        return content

    async def bad(self, name, arguments, *words):
        """Calls a tool that must answer a tool error whose message holds each of `words`."""
        result = wire(await self.session.call_tool(name, arguments))
        message = text_of(result)
        check(result.get("isError") is True, f"{name} {arguments} should be a tool error, answered {message[:200]!r}")
        for word in words:
            check(word.lower() in message.lower(), f"{name} {arguments}: the error {message!r} does not mention {word!r}")


async def check_listing(session, info, expected=TOOLS):
    """initialize's server name and tools/list; a Client over the session."""
    check(info["serverInfo"]["name"] == "agentlog", f"server name is {info['serverInfo']['name']!r}")
    tools = {tool["name"]: tool for tool in wire(await session.list_tools())["tools"]}
    check(sorted(tools) == sorted(expected), f"tools/list: {sorted(tools)}, expected {sorted(expected)}")
    for name, tool in tools.items():
        inputs = tool.get("inputSchema", {})
        check(inputs.get("type") == "object" and inputs.get("additionalProperties") is False,
              f"{name}: inputSchema is not a closed object: {json.dumps(inputs)[:200]}")
        check(isinstance(tool.get("outputSchema"), dict), f"{name}: no outputSchema")
        jsonschema.Draft202012Validator.check_schema(inputs)
        jsonschema.Draft202012Validator.check_schema(tool["outputSchema"])
    return Client(session, {name: tool["outputSchema"] for name, tool in tools.items()})


async def check_good_calls(client, setup):
    called = set()

    async def ok(name, arguments):
        called.add(name)
        return await client.ok(name, arguments)

    rows = (await ok("list_sessions", {"limit": 50}))["rows"]
    check(len(rows) >= 3, f"the demo history has only {len(rows)} sessions")
    first = await ok("list_sessions", {"limit": 1})
    check(first["nextCursor"], "list_sessions limit 1 gave no nextCursor")
    second = await ok("list_sessions", {"limit": 1, "cursor": first["nextCursor"]})
    check(second["rows"] and second["rows"][0]["id"] == rows[1]["id"] != first["rows"][0]["id"],
          f"the page after the cursor is not the second session: {[r['id'] for r in second['rows']]}")
    await ok("list_sessions", {"agent": "claude", "period": "all", "errors": False, "timezone": "UTC"})

    word = re.search(r"[A-Za-z]{6,}", rows[0]["title"]).group(0)
    check((await ok("search", {"q": word, "limit": 5}))["rows"], f"search for {word!r}, from a session title, found nothing")
    await ok("search", {"q": "test", "thinking": True})
    await ok("search", {"q": "error OR failed", "errors_only": True, "agent": "all"})

    longest = max(rows, key=lambda row: row["messages"])["id"]
    whole = await ok("get_session", {"id": longest[:8]})
    check(whole["turnCount"] >= 2 and whole["turns"], f"session {longest} has {whole['turnCount']} turns")
    small = await ok("get_session", {"id": longest, "max_characters": 1000})
    size = len(json.dumps(small["turns"], separators=(",", ":")))
    check((len(small["turns"]) < len(whole["turns"]) or small["clipped"]) and small["nextFrom"] is not None,
          f"get_session max_characters 1000: {len(small['turns'])} turns, clipped {small['clipped']}, nextFrom {small['nextFrom']}")
    check(size < 3000, f"get_session max_characters 1000 answered {size} characters of turns")
    rest = await ok("get_session", {"id": longest, "from": small["nextFrom"], "limit": 1})
    check(rest["turns"] and rest["turns"][0] != small["turns"][0], "get_session from nextFrom gave the same turn again")

    for group in ("daily", "model", "session"):
        check((await ok("get_usage", {"group": group, "period": "all"}))["rows"], f"get_usage group {group} has no rows")
    await ok("get_usage", {"group": "monthly", "breakdown": "agent", "since": "2020-01-01", "until": "2099-12-31"})
    blocks = await ok("get_usage", {"group": "blocks", "period": "all"})
    check(blocks["schema"] == "agentlog.blocks.v1" and blocks["blocks"], f"get_usage group blocks: {str(blocks)[:200]}")
    with_calls = next(row["id"] for row in rows if row["toolCalls"] > 0)
    calls = await ok("get_tool_calls", {"session": with_calls})
    check(calls["rows"] and calls["total"] == len(calls["rows"]), f"get_tool_calls: {calls['total']} / {len(calls['rows'])}")
    await ok("get_tool_calls", {"session": with_calls, "errors_only": True, "limit": 2})
    for name in ("recent_edits", "get_open_errors", "list_runs"):
        await ok(name, {"limit": 5})
    await ok("list_agents", {})
    await ok("note_failed_path", {"approach": "caching the parser", "reason": "stale results", "session": "session-check"})
    await ok("get_failed_paths", {"project": setup.project})
    claim = await ok("claim_files", {"paths": ["src/check.swift"], "session": "session-check", "ttl_seconds": 60})
    check(claim["claimed"] == [os.path.join(setup.project, "src/check.swift")], f"claim_files: {claim}")
    await ok("get_claims", {"path": "check.swift"})
    await ok("check_claims", {"paths": ["src/check.swift"]})
    check((await ok("release_files", {"session": "session-check"}))["released"] == 1, "release_files released nothing")
    await ok("note_verdict", {"decision": "approve", "reason": "looks right", "session": "session-check"})
    check(called == set(TOOLS), f"tools not called: {set(TOOLS) - called}")
    return rows


async def check_bad_calls(client):
    for name, arguments, *words in [
            ("list_sessions", {"bogus": 1}, "bogus"), ("list_sessions", {"limit": "x"}, "limit"),
            ("list_sessions", {"limit": 100000}, "limit", "200"), ("list_sessions", {"cursor": "not-a-cursor"}, "cursor"),
            ("search", {}, "q", "required"), ("get_session", {"id": "no-such-session-zz"}, "no-such-session-zz", "found"),
            ("get_usage", {"since": "yesterday-ish"}, "since"), ("get_usage", {"since": "2026-13-45"}, "since", "not a date"),
            ("get_usage", {"since": "2026-12-01", "until": "2026-11-01"}, "until"), ("get_usage", {"group": "hourly"}, "group"),
            ("get_usage", {"timezone": "Mars/Olympus"}, "time zone"), ("list_agents", {"status": "sleeping"}, "status"),
            ("claim_files", {"paths": "src/a.swift"}, "paths"), ("note_verdict", {"decision": "maybe"}, "decision")]:
        await client.bad(name, arguments, *words)
    try:
        await client.session.call_tool("no_such_tool", {})
        raise CheckFailed("calling an unknown tool was not a protocol error")
    except ProtocolError as error:
        check("no_such_tool" in str(error), f"the unknown-tool error does not name it: {error}")
    await client.session.send_ping()
    check(len(wire(await client.session.list_tools())["tools"]) == 16, "the server lost its tools after an unknown tool")


async def check_resources(session, session_id):
    resources = [resource["uri"] for resource in wire(await session.list_resources())["resources"]]
    check("agentlog://usage/today" in resources, f"resources/list: {resources}")
    templates = [t["uriTemplate"] for t in wire(await session.list_resource_templates())["resourceTemplates"]]
    check("agentlog://session/{id}" in templates, f"resources/templates/list: {templates}")
    markdown = wire(await session.read_resource(f"agentlog://session/{session_id}"))["contents"][0]
    check("Turn" in markdown.get("text", "") and markdown.get("mimeType") == "text/markdown",
          f"agentlog://session/{session_id}: {json.dumps(markdown)[:300]}")
    usage = wire(await session.read_resource("agentlog://usage/today"))["contents"][0]
    check(json.loads(usage["text"]).get("schema") == "agentlog.report.v1", f"agentlog://usage/today: {usage['text'][:200]}")
    for uri in ("agentlog://nothing", "agentlog://session/no-such-session-zz"):
        try:
            await session.read_resource(uri)
            raise CheckFailed(f"reading {uri} did not fail")
        except ProtocolError:
            pass
    await session.send_ping()


async def expect_hook(setup, mode, session, path, code, *words):
    """Runs the real PreToolUse hook of `session` about to edit `path`: its exit code must be `code`
    and its message (stderr when blocking, else additionalContext) must hold `words`."""
    payload = {"session_id": session, "transcript_path": os.path.join(setup.home, "x.jsonl"), "cwd": setup.project,
               "permission_mode": "acceptEdits", "hook_event_name": "PreToolUse", "tool_name": "Edit",
               "tool_input": {"file_path": path, "old_string": "a", "new_string": "b"}, "tool_use_id": f"toolu_{next(HOOK_CALLS)}"}
    with anyio.fail_after(30):
        done = await anyio.run_process([setup.hook, "--db", setup.db, f"--guard-claims={mode}"], check=False,
                                       input=json.dumps(payload).encode(), env=setup.env, cwd=setup.project)
    out, err = done.stdout.decode(), done.stderr.decode()
    message = err if done.returncode == 2 else json.loads(out or "{}").get("hookSpecificOutput", {}).get("additionalContext", "")
    check(done.returncode == code and all(word in message for word in words),
          f"--guard-claims={mode} hook of {session}: exit {done.returncode} (expected {code}), stdout {out!r}, stderr {err!r}")


async def check_coordination(setup, schemas):
    path = os.path.join(setup.project, "src/a.swift")
    async with stdio_session(setup) as (session_a, _), stdio_session(setup) as (session_b, _):
        a, b = Client(session_a, schemas), Client(session_b, schemas)
        # 30 s, not 3: the conflict steps must not race the expiry on a loaded machine (expiry is checked below).
        claim = await a.ok("claim_files", {"paths": ["src/a.swift"], "session": "session-A", "ttl_seconds": 30, "intent": "refactor"})
        check(claim["claimed"] == [path] and not claim["conflicts"], f"A's claim_files: {claim}")
        seen = await b.ok("check_claims", {"paths": ["src/a.swift"], "session": "session-B"})
        check(seen["free"] is False and [(c["session"], c["intent"]) for c in seen["conflicts"]] == [("session-A", "refactor")],
              f"B's check_claims: {seen}")
        taken = await b.ok("claim_files", {"paths": ["src/a.swift"], "session": "session-B"})
        check(not taken["claimed"] and taken["conflicts"][0]["session"] == "session-A", f"B's claim_files: {taken}")
        await expect_hook(setup, "strict", "session-B", path, 2, path, "claimed")
        await expect_hook(setup, "warn", "session-B", path, 0, path, "claimed")
        await expect_hook(setup, "strict", "session-A", path, 0)
        released = await a.ok("release_files", {"session": "session-A"})
        check(released["released"] >= 1, f"A's release_files: {released}")
        seen = await b.ok("check_claims", {"paths": [path], "session": "session-B"})
        check(seen["free"] is True and not seen["conflicts"], f"B's check_claims after the release: {seen}")
        await expect_hook(setup, "strict", "session-B", path, 0)
        passed.append("claim, conflict (check_claims, claim_files, strict and warn hooks), release")

        await a.ok("claim_files", {"paths": [path], "session": "session-A", "ttl_seconds": 5})
        seen = await b.ok("check_claims", {"paths": ["src/a.swift"], "session": "session-B"})
        check(seen["free"] is False, f"B does not see A's 5-second claim: {seen}")
        await anyio.sleep(6)
        seen = await b.ok("check_claims", {"paths": ["src/a.swift"], "session": "session-B"})
        check(seen["free"] is True, f"A's 5-second claim still holds after 6 seconds: {seen}")
        await expect_hook(setup, "strict", "session-B", path, 0)
        check(not (await b.ok("get_claims", {"path": "src/a.swift"}))["rows"], "get_claims lists an expired claim")
        listed = await b.ok("get_claims", {"path": "src/a.swift", "include_released": True})
        check(any(row["session"] == "session-A" for row in listed["rows"]), f"get_claims include_released: {listed}")
        passed.append("claim expiry (check_claims, hook, get_claims)")

        await a.ok("note_failed_path", {"approach": "inline the cache", "reason": "breaks the tests", "file": "src/a.swift",
                                        "session": "session-A"})
        notes = (await b.ok("get_failed_paths", {"project": setup.project}))["rows"]
        check(any(n["approach"] == "inline the cache" and n["file"] == path and n["session"] == "session-A" for n in notes),
              f"B's get_failed_paths does not show A's note: {notes}")
        verdict = await a.ok("note_verdict", {"decision": "block", "reason": "tests fail", "session": "session-A"})
        check(verdict["seq"] >= 1 and verdict["decision"] == "block" and verdict["session"] == "session-A", f"note_verdict: {verdict}")
        passed.append("failed path noted by A seen by B; verdict recorded")


async def check_read_only(setup):
    async with stdio_session(setup, "--read-only") as (session, info):
        await check_listing(session, info, [name for name in TOOLS if name not in WRITING])
        try:
            result = wire(await session.call_tool("claim_files", {"paths": ["src/a.swift"]}))
            check(result.get("isError") and "read-only" in text_of(result), f"read-only claim_files: {result}")
        except ProtocolError as error:
            check("read-only" in str(error), f"read-only claim_files error does not say read-only: {error}")


async def check_http(setup):
    log_path = os.path.join(setup.home, "serve-stderr.log")
    with open(log_path, "w") as log:
        server = subprocess.Popen([setup.agentlog, "--db", setup.db, "serve", "--port", "0", "--no-sync"],
                                  stdout=subprocess.DEVNULL, stderr=log, env=setup.env, cwd=setup.project)
    try:
        for _ in range(300):
            found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", read_text(log_path))
            if found or server.poll() is not None:
                break
            await anyio.sleep(0.1)
        check(found, f"agentlog serve did not say where it listens: {read_text(log_path)[-400:]}")
        port = int(found.group(1))
        async with http_client(f"http://127.0.0.1:{port}/mcp") as streams:
            async with ClientSession(streams[0], streams[1], read_timeout_seconds=READ_TIMEOUT) as session:
                client = await check_listing(session, wire(await session.initialize()))
                hits = await client.ok("search", {"q": "test", "limit": 3})
                seen = await client.ok("check_claims", {"paths": [os.path.join(setup.project, "src/a.swift")]})
                check(seen["free"] is True, f"check_claims over HTTP: {seen}")
        passed.append(f"Streamable HTTP (port {port}): initialize, 16 tools, search ({len(hits['rows'])} hits), check_claims")
    finally:
        stop(server)


async def run_checks(setup, timeout):
    with anyio.fail_after(timeout):
        async with stdio_session(setup) as (session, info):
            client = await check_listing(session, info)
            passed.append(f"initialize (agentlog {info['serverInfo'].get('version')}, protocol {info['protocolVersion']}); "
                          "16 tools, closed input schemas, output schemas")
            rows = await check_good_calls(client, setup)
            passed.append("all 16 tools with good arguments: structuredContent valid against outputSchema; paging")
            await check_bad_calls(client)
            passed.append("bad arguments are tool errors naming the argument; an unknown tool is a protocol error")
            await check_resources(session, rows[0]["id"])
            passed.append("resources: list, template, session Markdown, usage today, unknown resources")
        await check_coordination(setup, client.schemas)
        await check_read_only(setup)
        passed.append("--read-only: no writing tools, claim_files refused")
        await check_http(setup)


def describe(error):
    """The leaf errors of an exception group, or the error itself."""
    if isinstance(error, BaseExceptionGroup):
        return "; ".join(describe(inner) for inner in error.exceptions)
    return f"{type(error).__name__}: {error}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agentlog", default=".build/debug/agentlog")
    parser.add_argument("--hook", help="agentlog-hook (default: beside --agentlog)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds for everything")
    args = parser.parse_args()
    args.agentlog = os.path.abspath(args.agentlog)
    args.hook = os.path.abspath(args.hook or os.path.join(os.path.dirname(args.agentlog), "agentlog-hook"))
    for binary in (args.agentlog, args.hook):
        if not os.access(binary, os.X_OK):
            sys.exit(f"mcp-client-check: {binary} is not an executable")
    started = time.monotonic()
    setup = None
    try:
        setup = Setup(args)
        setup.prepare()
        anyio.run(run_checks, setup, args.timeout)
    except BaseException as error:  # noqa: BLE001 - every failure ends in one clear message
        if isinstance(error, TimeoutError):
            error = TimeoutError(f"the checks took longer than {args.timeout} seconds")
        print(f"mcp-client-check FAILED: {describe(error)}", file=sys.stderr)
        log = read_text(setup.errlog.name)[-1500:] if setup else ""
        if log.strip():
            print(f"agentlog mcp stderr (last lines):\n{log}", file=sys.stderr)
        sys.exit(1)
    finally:
        if setup:
            setup.cleanup()
    print(f"mcp-client-check passed in {time.monotonic() - started:.1f} s (mcp SDK {package_version('mcp')}):")
    for line in passed:
        print(f"  ok  {line}")


if __name__ == "__main__":
    main()
