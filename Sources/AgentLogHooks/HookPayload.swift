import AgentLogJSON

/// The fields of a Claude Code hook payload that agentlog acts on; the whole payload is kept as
/// received. Payloads carry no id and no time: the receiver stamps them.
///
/// ```swift
/// let payload = try HookPayload(bytes: Array(#"{"hook_event_name":"Stop","session_id":"s1"}"#.utf8))
/// payload.event   // "Stop"
/// ```
public struct HookPayload: Sendable, Equatable {
    /// `hook_event_name`: SessionStart, PreToolUse, … or a name this build does not know.
    public var event: String
    /// `session_id`: the Claude Code session the event belongs to.
    public var sessionId: String
    /// `cwd`: the session's working directory (the project).
    public var cwd: String?
    /// `tool_name`: the tool a PreToolUse or PostToolUse event is about (Edit, Bash, …).
    public var toolName: String?
    /// `tool_use_id`: the id of that tool call, shared by its Pre- and PostToolUse events.
    public var toolUseId: String?
    /// The subagent the event is about (SubagentStart/Stop, and calls made inside a subagent).
    public var agentId: String?
    /// `agent_type`: the kind of subagent `agentId` names.
    public var agentType: String?
    /// SessionStart: startup | resume | clear | compact.
    public var source: String?
    /// PreCompact: manual | auto.
    public var trigger: String?
    /// `tool_input.file_path` (or `notebook_path`).
    public var filePath: String?
    /// `tool_input.command`, for Bash.
    public var command: String?
    /// UserPromptSubmit's prompt, cut to 2 KB.
    public var prompt: String?
    /// PostToolUseFailure's error, cut to 2 KB.
    public var error: String?
    /// PostToolUse's `duration_ms`, when Claude Code sends it.
    public var durationMs: Int?
    /// A model's verdict: `decision` (allow, block, approve, deny) and `reason`.
    public var decision: String?
    /// The verdict's `reason`, cut to 2 KB.
    public var reason: String?
    /// The payload as received.
    public var bytes: [UInt8]
    /// FNV-1a (64 bit) of `bytes`.
    public var hash: UInt64

    /// Reads the fields out of a payload as received (whitespace around the object is ignored);
    /// throws when it is not a JSON object or has no `hook_event_name` or `session_id`.
    public init(bytes received: [UInt8]) throws(HookError) {
        // Whitespace around the object means nothing (a shell's echo adds a newline).
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
        let start = received.firstIndex { !isSpace($0) } ?? received.endIndex
        let end = (received.lastIndex { !isSpace($0) } ?? received.startIndex - 1) + 1
        let bytes = start < end ? Array(received[start..<end]) : []
        self.bytes = bytes
        hash = FNV1a.hash(bytes)
        var members: [JSONScanner.Member] = []
        var input: [JSONScanner.Member] = []
        var syntaxError: JSONSyntaxError?
        let fields: [String?] = bytes.withUnsafeBytes { raw in
            let json = JSONScanner(raw)
            do {
                try json.scanObject(into: &members, nestedIn: "tool_input", into: &input)
            } catch let error as JSONSyntaxError {
                syntaxError = error
                return []
            } catch {
                syntaxError = JSONSyntaxError(offset: 0, reason: "\(error)")
                return []
            }
            func text(_ name: StaticString, _ from: [JSONScanner.Member], max: Int = 4096) -> String? {
                json.value(name, in: from).flatMap { $0.kind == .string ? json.string($0, maxBytes: max) : nil }
            }
            return [
                text("hook_event_name", members), text("session_id", members), text("cwd", members),
                text("tool_name", members), text("tool_use_id", members), text("agent_id", members),
                text("agent_type", members), text("source", members), text("trigger", members),
                text("file_path", input) ?? text("notebook_path", input), text("command", input, max: 2048),
                text("prompt", members, max: 2048), text("error", members, max: 2048),
                json.value("duration_ms", in: members).flatMap { json.int($0) }.map(String.init),
                text("decision", members), text("reason", members, max: 2048),
            ]
        }
        if let syntaxError { throw HookError("the payload is not a JSON object: \(syntaxError)") }
        guard let event = fields[0], !event.isEmpty else { throw HookError("the payload has no hook_event_name") }
        guard let session = fields[1], !session.isEmpty else { throw HookError("the payload has no session_id") }
        self.event = event
        sessionId = session
        cwd = fields[2]
        toolName = fields[3]
        toolUseId = fields[4]
        agentId = fields[5]
        agentType = fields[6]
        source = fields[7]
        trigger = fields[8]
        filePath = fields[9]
        command = fields[10]
        prompt = fields[11]
        error = fields[12]
        durationMs = fields[13].flatMap { Int($0) }
        decision = fields[14]
        reason = fields[15]
    }

    /// One line for the audit log: the tool and its file or command, or the start of a prompt.
    public var summary: String {
        if let toolName {
            let target = filePath ?? command.map { String($0.prefix(120)) }
            return target.map { "\(toolName) \($0)" } ?? toolName
        }
        if let prompt { return String(prompt.prefix(120)) }
        return source ?? trigger ?? agentType ?? ""
    }
}
