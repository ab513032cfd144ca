#!/usr/bin/env python3
"""Checks the shape rules of the sources: every public declaration has a doc comment, no Swift
file is over 400 lines, only the store's modules import GRDB, and the modules the hook and the
statusline executables are made of never import Foundation (they start in milliseconds because
they do not load it), and the `agentlog` executable's own modules never import the server's (the
MCP SDK loads FoundationNetworking, 10 ms at every start: serve and mcp run in agentlog-server). Prints each offence as
file:line and exits 1 if there is any."""
import pathlib, re, sys

root = pathlib.Path(__file__).resolve().parent.parent
GRDB_ALLOWED = {"AgentLogDatabase", "AgentLogHistory", "AgentLogStore"}
NO_FOUNDATION = {"AgentLogJSON", "AgentLogSQLite", "AgentLogPricing", "AgentLogIngest", "AgentLogSpend", "AgentLogStatusline",
                 "AgentLogHooks", "agentlog-hook", "agentlog-statusline"}
NO_SERVER = {"AgentLogCLI", "agentlog"}
SERVER_MODULES = r'(AgentLogServer|AgentLogServerCLI|AgentLogMCP|AgentLogOTLP|MCP|Hummingbird\w*|ServiceLifecycle|NIO\w*|FoundationNetworking)'
DECL = re.compile(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:public|open)\s+(?:(?:static|final|override|mutating|nonisolated|indirect|convenience|required|lazy|weak)\s+)*'
                  r'(?:func|var|let|init|subscript|struct|enum|class|protocol|typealias|extension|case|actor)\b')
problems = []
for path in sorted((root / "Sources").rglob("*.swift")):
    module = path.relative_to(root / "Sources").parts[0]
    lines = path.read_text(encoding="utf-8").split("\n")
    rel = path.relative_to(root)
    if len(lines) > 401:
        problems.append(f"{rel}: {len(lines) - 1} lines (split past 400)")
    if "Generated" in path.parts:
        continue  # protoc's output (Scripts/generate-otlp.sh): short files, its own doc comments
    in_literal = False
    for number, line in enumerate(lines, 1):
        if line.count('"""') % 2 == 1:
            in_literal = not in_literal
            continue
        if in_literal:
            continue
        if re.match(r'^\s*(?:@_exported\s+|@testable\s+)?import\s+(GRDB|GRDBSQLite)\b', line) and module not in GRDB_ALLOWED:
            if not (module in {"AgentLogSQLite"} and "GRDBSQLite" in line):
                problems.append(f"{rel}:{number}: {module} imports {line.split()[-1]}")
        if re.match(r'^\s*(?:@_exported\s+)?import\s+(Foundation|FoundationEssentials)\b', line) and module in NO_FOUNDATION:
            problems.append(f"{rel}:{number}: {module} imports Foundation (it must start without it)")
        if re.match(r'^\s*(?:@\w+\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?' + SERVER_MODULES + r'\b', line) and module in NO_SERVER:
            problems.append(f"{rel}:{number}: {module} imports {line.split()[-1]} (the server's half lives in AgentLogServerCLI)")
        if not DECL.match(line) or re.match(r'^\s*public\s+extension\b|^\s*extension\b', line):
            continue
        if re.match(r'^\s*(public\s+)?extension\b', line):
            continue
        previous = number - 2
        while previous >= 0 and re.match(r'^\s*@', lines[previous]):
            previous -= 1
        if previous < 0 or not re.match(r'^\s*(///|\*/|/\*\*)', lines[previous]):
            # Members that restate a protocol requirement are documented there.
            if re.search(r'\b(description|hash\(into|==|encode\(to|init\(from|makeIterator|next\(\))', line):
                continue
            problems.append(f"{rel}:{number}: public declaration without a doc comment: {line.strip()[:90]}")
# The same rule where it would come in: the dependencies Package.swift gives the CLI.
package = (root / "Package.swift").read_text(encoding="utf-8")
cli = re.search(r'\.target\(name: "AgentLogCLI", dependencies: \[(.*?)\]\)', package, re.S)
if cli is None:
    problems.append("Package.swift: no AgentLogCLI target found")
else:
    for name in re.findall(r'"([\w-]+)"', cli.group(1)):
        if re.fullmatch(SERVER_MODULES + r'|swift-nio|hummingbird|swift-sdk|swift-service-lifecycle', name):
            problems.append(f"Package.swift: AgentLogCLI depends on {name} (the server's half lives in AgentLogServerCLI)")
for problem in problems:
    print(problem)
print(f"{len(problems)} shape problems")
sys.exit(1 if problems else 0)
