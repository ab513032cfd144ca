import MCP

/// The JSON Schemas of the documents the tools answer: the CLI's `--format json` result types
/// (`agentlog.<thing>.v1`), as `tools/list` declares them and the client checks them.
enum OutputSchemas {
    static let text: Value = ["type": "string"]
    static let textOrNull: Value = ["type": ["string", "null"]]
    static let integer: Value = ["type": "integer"]
    static let integerOrNull: Value = ["type": ["integer", "null"]]
    static let number: Value = ["type": "number"]
    /// A cost in dollars, or null when none of it could be priced.
    static let costOrNull: Value = ["type": ["number", "null"]]
    static let boolean: Value = ["type": "boolean"]
    static let booleanOrNull: Value = ["type": ["boolean", "null"]]
    /// An ISO 8601 time, or null.
    static let time: Value = ["type": ["string", "null"], "description": "ISO 8601, UTC"]
    static let texts: Value = array(text)

    static func array(_ items: Value) -> Value { ["type": "array", "items": items] }

    /// An object with these properties, every one of them required (the result types always
    /// write every key; null where there is no value) unless listed in `optional`.
    static func object(_ properties: [String: Value], optional: Set<String> = []) -> Value {
        ["type": "object", "properties": .object(properties),
         "required": .array(properties.keys.filter { !optional.contains($0) }.sorted().map { .string($0) })]
    }

    /// A result document: `schema` names it, then its own members.
    static func document(_ name: String, _ properties: [String: Value], optional: Set<String> = []) -> Value {
        object(properties.merging(["schema": ["const": .string(name)]]) { first, _ in first }, optional: optional)
    }

    static let tokens: Value = object(["input": integer, "output": integer, "cacheCreation": integer, "cacheRead": integer,
                                       "total": integer])

    static let sessions = document("agentlog.sessions.v1", [
        "rows": array(object([
            "id": text, "agent": text, "project": textOrNull, "startedAt": time, "endedAt": time, "durationMs": integerOrNull,
            "messages": integer, "subagents": integer, "toolCalls": integer, "inputTokens": integer, "outputTokens": integer,
            "cacheCreationTokens": integer, "cacheReadTokens": integer, "totalTokens": integer, "costUSD": costOrNull,
            "costComplete": boolean, "title": textOrNull, "gitBranch": textOrNull,
        ], optional: ["subagents"])),
        "nextCursor": textOrNull,
    ], optional: ["nextCursor"])

    static let search = document("agentlog.search.v1", [
        "rows": array(object([
            "session": text, "agent": text, "kind": ["enum": ["message", "tool_call", "title"]], "message": textOrNull,
            "timestamp": time, "role": text, "snippet": text, "score": number, "turn": integer,
        ], optional: ["turn"])),
    ])

    static let session = document("agentlog.session.v1", [
        "session": object([
            "id": text, "agent": text, "project": textOrNull, "title": textOrNull, "models": texts, "startedAt": time,
            "endedAt": time, "messages": integer, "toolCalls": integer, "failedToolCalls": integer, "subagents": integer,
            "compactions": integer, "tokens": tokens, "costUSD": costOrNull, "costComplete": boolean,
        ]),
        "turns": array(object([
            "index": integer, "startedAt": time, "hasError": boolean, "tokens": tokens, "costUSD": number,
            "cumulativeTokens": tokens, "cumulativeCostUSD": number, "entries": array(["type": "object"]),
            "omittedEntries": integer,
        ], optional: ["omittedEntries"])),
        "turnCount": integer, "nextFrom": integerOrNull, "clipped": boolean,
    ])

    static let usage = document("agentlog.report.v1", [
        "report": text,
        "rows": array(object(["totalTokens": integer, "costUSD": costOrNull, "costComplete": boolean, "responses": integer,
                              "models": texts], optional: [])),
        "totals": object(["sessions": integer, "totalTokens": integer, "costUSD": costOrNull, "costComplete": boolean]),
        "unpriced": array(object(["model": text, "totalTokens": integer])),
    ])

    static let blocks = document("agentlog.blocks.v1", [
        "now": time, "tokenLimit": integerOrNull,
        "blocks": array(object([
            "start": time, "end": time, "firstActivity": time, "lastActivity": time, "active": boolean, "inputTokens": integer,
            "outputTokens": integer, "cacheCreationTokens": integer, "cacheReadTokens": integer, "totalTokens": integer,
            "costUSD": costOrNull, "costComplete": boolean, "responses": integer, "models": texts, "limitPercent": number,
        ], optional: ["limitPercent"])),
        "projection": ["anyOf": [["type": "null"], object([
            "tokensPerMinute": number, "costPerHourUSD": number, "remainingMinutes": integer, "projectedTokens": integer,
            "projectedCostUSD": number, "projectedLimitPercent": number,
        ], optional: ["projectedLimitPercent"])]],
    ])

    /// `get_usage`: a report, or with group=blocks the blocks.
    static let usageOrBlocks: Value = ["type": "object", "anyOf": [usage, blocks]]

    static let toolCalls = document("agentlog.tool-calls.v1", [
        "session": text, "total": integer,
        "rows": array(object([
            "toolUseId": text, "name": textOrNull, "agentId": textOrNull, "filePath": textOrNull, "input": textOrNull,
            "inputLength": integerOrNull, "output": text, "outputLength": integerOrNull, "isError": booleanOrNull,
            "startedAt": time, "endedAt": time,
        ])),
    ])

    static let edits = document("agentlog.edits.v1", [
        "rows": array(object([
            "path": text, "operation": text, "session": text, "agent": text, "agentId": textOrNull, "project": textOrNull,
            "toolUseId": text, "timestamp": time,
        ])),
    ])

    static let failedPaths = document("agentlog.failed-paths.v1", [
        "rows": array(object(["project": textOrNull, "session": textOrNull, "approach": text, "reason": text, "file": textOrNull,
                              "createdAt": time])),
    ])

    static let openErrors = document("agentlog.open-errors.v1", [
        "rows": array(object(["session": text, "agentId": text, "tool": textOrNull, "path": text, "category": text,
                              "attempt": integer, "error": textOrNull, "at": time, "project": textOrNull])),
    ])

    static let agents = document("agentlog.agents.v1", [
        "rows": array(object(["session": text, "agentId": text, "agentType": textOrNull, "project": textOrNull,
                              "status": ["enum": ["running", "completed", "failed", "aborted_stale"]], "startedAt": time,
                              "endedAt": time, "lastEventAt": time])),
    ])

    static let claimFields: [String: Value] = [
        "path": text, "session": text, "agentId": text, "project": textOrNull, "tool": text, "expiresAt": time,
        "intent": textOrNull,
    ]

    static let claims = document("agentlog.claims.v1", [
        "rows": array(object(claimFields.merging(["writes": integer, "firstAt": time, "lastAt": time]) { first, _ in first })),
    ])

    static let conflict = object(claimFields.merging(["agentType": textOrNull, "lastAt": time]) { first, _ in first })

    static let runs = document("agentlog.runs.v1", [
        "rows": array(object(["id": integer, "pid": integerOrNull, "host": text, "project": textOrNull, "name": textOrNull,
                              "status": text, "exitCode": integerOrNull, "startedAt": time, "endedAt": time, "args": texts,
                              "wrapperPid": integerOrNull])),
        "abandonedSessions": array(object(["session": text, "project": textOrNull, "startedAt": time, "lastEventAt": time])),
    ])

    static let note = document("agentlog.note.v1", [
        "project": textOrNull, "session": textOrNull, "approach": text, "reason": text, "file": textOrNull,
    ])

    static let claim = document("agentlog.claim.v1", ["claimed": texts, "expiresAt": time, "conflicts": array(conflict)])
    static let claimCheck = document("agentlog.claim-check.v1", ["paths": texts, "free": boolean, "conflicts": array(conflict)])
    static let release = document("agentlog.release.v1", ["released": integer])
    static let verdict = document("agentlog.verdict.v1", [
        "session": text, "seq": integer, "decision": text, "reason": textOrNull, "at": time,
    ])
}
