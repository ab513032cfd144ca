import AgentLogJSON
/// What one session's lines in a batch established about the session itself.
public struct SessionFacts: Sendable, Equatable {
    /// The session's working directory, from the first line that names one.
    public var cwd: String?
    /// The latest non-empty git branch the lines name.
    public var gitBranch: String?
    /// The agent's version, from the latest line that names one.
    public var version: String?
    /// The earliest time a line of the session carries, ms since 1970.
    public var firstTimestamp: Int64?
    /// The latest time a line of the session carries, ms since 1970.
    public var lastTimestamp: Int64?
    /// The latest title line in the batch; `titleIsCustom` says whether the user set it.
    public var title: String?
    /// Whether the user set `title` (a `custom-title` line) rather than the agent.
    public var titleIsCustom = false
    /// The earliest prompt in the batch and its time.
    public var firstPrompt: String?
    /// When `firstPrompt` was sent, ms since 1970.
    public var firstPromptAt: Int64?

    /// Facts that establish nothing yet.
    public init() {}

    mutating func see(_ timestamp: Int64?) {
        guard let timestamp else { return }
        if firstTimestamp.map({ timestamp < $0 }) ?? true { firstTimestamp = timestamp }
        if lastTimestamp.map({ timestamp > $0 }) ?? true { lastTimestamp = timestamp }
    }
}

/// A message of a session, ready for the store.
public struct MessageRecord: Sendable, Equatable {
    /// The session the message belongs to.
    public var sessionId: String
    /// The parsed message.
    public var entry: ClaudeEntry
    /// The subagent the message belongs to (a file's agent id, or an inline sidechain's).
    public var agentId: String?
    /// 1-based line number in the source file.
    public var line: Int
    /// A later record of the same message replaces the stored one (Gemini rewrites messages);
    /// otherwise the first record stands.
    public var replacesEarlier = false
}

/// A usage record with the session and moment it belongs to.
public struct UsageRow: Sendable, Equatable {
    /// The session the usage belongs to.
    public var sessionId: String
    /// The subagent that made the request; `nil` for the main conversation.
    public var agentId: String?
    /// When the response was written, ms since 1970.
    public var timestamp: Int64?
    /// The response's ids, model and token counts.
    public var usage: UsageRecord

    /// A usage row with the given fields.
    public init(sessionId: String, agentId: String?, timestamp: Int64?, usage: UsageRecord) {
        self.sessionId = sessionId
        self.agentId = agentId
        self.timestamp = timestamp
        self.usage = usage
    }
}

/// A tool call as the assistant issued it, with its result when the same batch holds it.
public struct ToolCallRow: Sendable, Equatable {
    /// The session the call belongs to.
    public var sessionId: String
    /// The subagent that made the call; `nil` for the main conversation.
    public var agentId: String?
    /// The message that issued the call.
    public var messageUuid: String
    /// When the call was issued, ms since 1970.
    public var timestamp: Int64?
    /// The call itself: tool, input and the files it touches.
    public var use: ToolUse
    /// The call's result, when this batch holds it.
    public var result: ToolResult?
    /// When the result arrived, ms since 1970.
    public var resultTimestamp: Int64?
}

/// A tool call's result, paired with the call by tool_use id.
public struct ToolResultRow: Sendable, Equatable {
    /// The session the result belongs to.
    public var sessionId: String
    /// When the result arrived, ms since 1970.
    public var timestamp: Int64?
    /// The result, naming its call by ``ToolResult/toolUseId``.
    public var result: ToolResult
}

/// One reading of a rate-limit window, as an agent reported it (Codex's `token_count` events).
public struct RateLimitRow: Sendable, Equatable {
    /// The agent's session id.
    public var sessionId: String
    /// The window's name: `primary` (5 hours) or `secondary` (weekly) for Codex.
    public var window: String
    /// When it was read, ms since 1970.
    public var observedAt: Int64
    /// How much of the window is used, 0–100.
    public var usedPercent: Double
    /// The window's length in minutes, where given.
    public var windowMinutes: Int?
    /// When the window resets, ms since 1970, where given.
    public var resetsAt: Int64?

    /// A reading with these values.
    public init(sessionId: String, window: String, observedAt: Int64, usedPercent: Double, windowMinutes: Int?, resetsAt: Int64?) {
        self.sessionId = sessionId
        self.window = window
        self.observedAt = observedAt
        self.usedPercent = usedPercent
        self.windowMinutes = windowMinutes
        self.resetsAt = resetsAt
    }
}

/// A subagent of a session, with whatever is known about it so far.
public struct SubagentRow: Sendable, Equatable {
    /// The session the subagent ran in.
    public var sessionId: String
    /// The subagent's id (`a2271d1` of `agent-a2271d1.jsonl`, or a synthetic one for a sidechain).
    public var agentId: String
    /// The kind of subagent (`subagent_type`), when known.
    public var agentType: String?
    /// The short description of its job (from its Task call or meta file), when known.
    public var description: String?
    /// The Task/Agent tool call that spawned it, when the transcript says so.
    public var parentToolUseId: String?
    /// Whether the current source file is this subagent's own transcript.
    public var ownsFile: Bool

    /// A subagent row; everything but the ids is optional.
    public init(sessionId: String, agentId: String, agentType: String? = nil, description: String? = nil,
                parentToolUseId: String? = nil, ownsFile: Bool = false) {
        self.sessionId = sessionId
        self.agentId = agentId
        self.agentType = agentType
        self.description = description
        self.parentToolUseId = parentToolUseId
        self.ownsFile = ownsFile
    }
}

/// A line that could not be ingested, with where it is and why.
public struct RejectedLine: Sendable, Equatable {
    /// 1-based line number.
    public var line: Int
    /// Byte offset of the start of the line in its file.
    public var byteOffset: Int64
    /// Why the line was rejected (`invalid JSON: …`).
    public var reason: String

    /// A rejected line at `line` (1-based) and `byteOffset`, with its reason.
    public init(line: Int, byteOffset: Int64, reason: String) {
        self.line = line
        self.byteOffset = byteOffset
        self.reason = reason
    }
}

/// Everything parsed from one run of lines of one source file, ready for one store transaction.
public struct RecordBatch: Sendable {
    /// The agent whose file the lines come from.
    public var agent: AgentKind
    /// What the lines say about each session; written through ``facts(_:_:)``.
    public private(set) var sessions: [String: SessionFacts] = [:]
    /// Messages of the conversation, in line order.
    public var messages: [MessageRecord] = []
    /// Usage rows, one per (message id, request id); see ``addUsage(_:)``.
    public var usages: [UsageRow] = []
    /// Tool calls, with their results when the batch holds them; see ``addToolCall(_:)``.
    public var toolCalls: [ToolCallRow] = []
    /// Results whose calls are not in this batch; see ``addToolResult(_:)``.
    public var toolResults: [ToolResultRow] = []
    /// Subagents the lines establish or tell more about.
    public var subagents: [SubagentRow] = []
    /// Rate-limit readings, where the agent reports them.
    public var rateLimits: [RateLimitRow] = []
    /// Older `summary` lines: a title for the session holding message `leafUuid`.
    public var summaries: [(leafUuid: String, summary: String)] = []
    /// Lines that could not be ingested.
    public var rejected: [RejectedLine] = []
    /// Lines read, including blank, skipped and rejected ones.
    public var lineCount = 0
    /// Bookkeeping lines deliberately not stored as records.
    public var skippedCount = 0
    /// Where a usage key and a tool call already are in this batch, to merge repeats here
    /// rather than in the database.
    private var usageIndex: [String: Int] = [:]
    private var toolCallIndex: [String: Int] = [:]
    /// The session the last ``facts(_:_:)`` call updated, and where it is: most lines name the
    /// same session as the line before, so that one needs no hashing.
    private var lastFacts: (sessionId: String, index: Dictionary<String, SessionFacts>.Index)?

    /// An empty batch for lines of an `agent` file.
    public init(agent: AgentKind) { self.agent = agent }

    /// Lets `change` rewrite what the batch says about each session (redaction masks secrets
    /// in titles and first prompts this way), by session id.
    public mutating func rewriteSessionFacts(_ change: (String, inout SessionFacts) -> Void) {
        for key in Array(sessions.keys) { change(key, &sessions[key]!) }
        lastFacts = nil
    }

    /// Adds a usage row, or merges it into the row of the same (message id, request id): the
    /// line with the largest (output, input, cache creation, cache read) counts wins, and the
    /// earliest time is kept.
    public mutating func addUsage(_ row: UsageRow) {
        let key = row.usage.messageId + "\u{0}" + row.usage.requestId
        guard let index = usageIndex[key] else {
            usageIndex[key] = usages.count
            usages.append(row)
            return
        }
        let kept = usages[index]
        if let time = row.timestamp, kept.timestamp.map({ time < $0 }) ?? true { usages[index].timestamp = time }
        let rank = { (t: TokenCounts) in [t.output, t.input, t.cacheCreation, t.cacheRead] }
        if rank(kept.usage.tokens).lexicographicallyPrecedes(rank(row.usage.tokens)) {
            usages[index].usage = row.usage
        }
    }

    /// Adds a tool call issued by the assistant.
    public mutating func addToolCall(_ row: ToolCallRow) {
        toolCallIndex[row.sessionId + "\u{0}" + row.use.id] = toolCalls.count
        toolCalls.append(row)
    }

    /// Adds a tool result: onto its call when the call is in this batch, else on its own.
    public mutating func addToolResult(_ row: ToolResultRow) {
        if let index = toolCallIndex[row.sessionId + "\u{0}" + row.result.toolUseId] {
            toolCalls[index].result = row.result
            toolCalls[index].resultTimestamp = row.timestamp
        } else {
            toolResults.append(row)
        }
    }

    /// Whether the batch holds anything for the store besides the file position.
    public var isEmpty: Bool {
        sessions.isEmpty && messages.isEmpty && usages.isEmpty && toolCalls.isEmpty && toolResults.isEmpty
            && subagents.isEmpty && summaries.isEmpty && rejected.isEmpty
    }

    /// Updates the facts of session `sessionId` (starting from empty ones when the batch has none).
    public mutating func facts(_ sessionId: String, _ update: (inout SessionFacts) -> Void) {
        if let lastFacts, lastFacts.sessionId == sessionId {
            update(&sessions.values[lastFacts.index])
            return
        }
        if sessions[sessionId] == nil { sessions[sessionId] = SessionFacts() }
        let index = sessions.index(forKey: sessionId)!
        lastFacts = (sessionId, index)
        update(&sessions.values[index])
    }
}

extension RecordBatch {
    /// Counts one JSONL line and validates it as a JSON object, writing its members into
    /// `members`. A blank line is counted as skipped and an invalid one as rejected (with its
    /// line and reason); both give `nil`.
    public mutating func scan(_ line: UnsafeRawBufferPointer, number: Int, offset: Int64,
                              into members: inout [JSONScanner.Member]) -> JSONScanner? {
        var nested: [JSONScanner.Member] = []
        return scan(line, number: number, offset: offset, into: &members, nestedIn: nil, into: &nested)
    }

    /// ``scan(_:number:offset:into:)`` that also collects the members of the object held by the
    /// top-level member `key` (see ``JSONScanner/scanObject(into:nestedIn:into:)``).
    public mutating func scan(_ line: UnsafeRawBufferPointer, number: Int, offset: Int64, into members: inout [JSONScanner.Member],
                              nestedIn key: StaticString?, into nested: inout [JSONScanner.Member]) -> JSONScanner? {
        lineCount += 1
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            skippedCount += 1
            return nil
        }
        let json = JSONScanner(line)
        do {
            try json.scanObject(into: &members, nestedIn: key, into: &nested)
        } catch {
            rejected.append(RejectedLine(line: number, byteOffset: offset, reason: "invalid JSON: \(error.description)"))
            return nil
        }
        return json
    }
}
