import AgentLogIngest
import AgentLogJSON

extension TranscriptThread {
    /// Failed tool calls in this thread and the subagents under it.
    public var failedCalls: Int {
        entries.reduce(0) { count, entry in
            switch entry {
            case .toolCall(let call, let subagent): count + (call.isError == true ? 1 : 0) + (subagent?.failedCalls ?? 0)
            case .subagent(let nested): count + nested.failedCalls
            case .message, .compaction: count
            }
        }
    }

    /// Compactions in this thread.
    public var compactions: Int {
        entries.reduce(0) { count, entry in
            if case .compaction = entry { return count + 1 }
            return count
        }
    }
}

/// `agentlog.session.v1` (`agentlog show --format json`): the header under `session` and the
/// conversation as `turns`, each with its `entries` (`message`, `tool_call` with a nested
/// `subagent`, `compaction`, `subagent`) and its own and running tokens and cost. Built
/// straight into a ``JSONOutput`` and written as bytes: a 10,000-message session takes
/// milliseconds.
extension SessionTranscript: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.session.v1"

    /// The session's JSON (see the type's description).
    public func encode(to encoder: any Encoder) throws {
        try TranscriptJSON.members(self).encode(to: encoder)
    }
}

/// `agentlog.session.v1` for a page of turns: the same document with only the turns from
/// position `from` (0-based) on, at most `limit` of them, plus `turnCount` (all of them) and
/// `nextFrom` (where the next page starts, or null). A huge session comes page by page.
public struct SessionTranscriptPage: SchemaResult {
    /// The schema's name (the whole transcript's).
    public static let schema = SessionTranscript.schema
    /// The session.
    public var transcript: SessionTranscript
    /// The position of the first turn shown.
    public var from: Int
    /// At most this many turns.
    public var limit: Int

    /// A page of `transcript`'s turns.
    public init(_ transcript: SessionTranscript, from: Int, limit: Int) {
        self.transcript = transcript
        self.from = max(0, from)
        self.limit = max(1, limit)
    }

    /// The page's JSON (see the type's description).
    public func encode(to encoder: any Encoder) throws {
        try TranscriptJSON.members(transcript, page: (from, limit)).encode(to: encoder)
    }
}

/// The JSON of a transcript's parts.
enum TranscriptJSON {
    static func members(_ transcript: SessionTranscript, page: (from: Int, limit: Int)? = nil) -> JSONOutput {
        let summary = transcript.summary
        let priced = summary.unpricedModels.isEmpty
        let session: JSONOutput = .object([
            ("id", .string(summary.sessionId)),
            ("agent", .string(summary.agent)),
            ("version", .optional(transcript.version)),
            ("project", .optional(summary.project)),
            ("cwd", .optional(transcript.cwd)),
            ("gitBranch", .optional(summary.gitBranch)),
            ("title", .optional(summary.title)),
            ("models", .array(transcript.models.map { .string($0) })),
            ("startedAt", .time(summary.startedAt)),
            ("endedAt", .time(summary.endedAt)),
            ("durationMs", .optional(summary.durationMs)),
            ("messages", .int(summary.messages)),
            ("toolCalls", .int(summary.toolCalls)),
            ("failedToolCalls", .int(transcript.main.failedCalls)),
            ("subagents", .int(summary.subagents)),
            ("compactions", .int(transcript.main.compactions)),
            ("tokens", tokens(summary.tokens)),
            ("costUSD", .cost(pico: summary.costPico, fullyPriced: priced)),
            ("costComplete", .bool(priced)),
            ("unpricedModels", .array(summary.unpricedModels.map { .string($0) })),
            ("hookEvents", .object(transcript.hookEvents.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
        ])
        let all = transcript.turns()
        let shown = page.map { all.dropFirst($0.from).prefix($0.limit) } ?? all[...]
        let turns: [JSONOutput] = shown.map { turn in
            .object([
                ("index", .int(turn.index)),
                ("startedAt", .time(turn.startedAt)),
                ("hasError", .bool(turn.hasError)),
                ("tokens", tokens(turn.tokens)),
                ("costUSD", .usd(micros: Money.micros(fromPico: turn.costPico))),
                ("cumulativeTokens", tokens(turn.cumulativeTokens)),
                ("cumulativeCostUSD", .usd(micros: Money.micros(fromPico: turn.cumulativeCostPico))),
                ("entries", .array(turn.entries.map(entry))),
            ])
        }
        guard let page else { return .object([("session", session), ("turns", .array(turns))]) }
        let next = page.from + page.limit
        return .object([("session", session), ("turns", .array(turns)), ("turnCount", .int(all.count)),
                        ("nextFrom", next < all.count ? .int(next) : .null)])
    }

    static func tokens(_ tokens: TokenCounts) -> JSONOutput {
        .object([
            ("input", .int(tokens.input)), ("output", .int(tokens.output)), ("cacheCreation", .int(tokens.cacheCreation)),
            ("cacheRead", .int(tokens.cacheRead)), ("total", .int(tokens.total)),
        ])
    }

    static func entry(_ entry: TranscriptEntry) -> JSONOutput {
        switch entry {
        case .message(let message):
            return .object([
                ("type", .string("message")),
                ("kind", .string(message.kind.rawValue)),
                ("uuid", .string(message.uuid)),
                ("timestamp", .time(message.timestamp)),
                ("model", .optional(message.model)),
                ("subtype", .optional(message.subtype)),
                ("isError", .bool(message.isError)),
                ("text", .optional(message.text)),
                ("textLength", .int(message.textLength)),
                ("truncated", .bool(message.textLength > (message.text?.utf8.count ?? 0))),
                ("thinking", .optional(message.thinking)),
            ])
        case .toolCall(let call, let subagent):
            return .object([
                ("type", .string("tool_call")),
                ("id", .string(call.toolUseId)),
                ("name", .optional(call.name)),
                ("startedAt", .time(call.startedAt)),
                ("endedAt", .time(call.endedAt)),
                ("isError", call.isError.map { .bool($0) } ?? .null),
                ("filePath", .optional(call.filePath)),
                ("input", .optional(call.inputPreview)),
                ("inputLength", .optional(call.inputLength.map(Int64.init))),
                ("output", call.outputLength == nil ? .null : .string(call.outputPreview)),
                ("outputLength", .optional(call.outputLength.map(Int64.init))),
                ("hook", call.hook.map { hook in
                    .object([("events", .array(hook.events.map { .string($0) })), ("firstAt", .time(hook.firstAt)),
                             ("lastAt", .time(hook.lastAt)), ("durationMs", .int(hook.durationMs))])
                } ?? .null),
                ("subagent", subagent.map(thread) ?? .null),
            ])
        case .compaction(let compaction):
            return .object([
                ("type", .string("compaction")),
                ("uuid", .string(compaction.uuid)),
                ("timestamp", .time(compaction.timestamp)),
                ("trigger", .optional(compaction.trigger)),
                ("preTokens", .optional(compaction.preTokens.map(Int64.init))),
            ])
        case .subagent(let nested):
            return .object([("type", .string("subagent"))] + threadMembers(nested))
        }
    }

    static func thread(_ thread: TranscriptThread) -> JSONOutput { .object(threadMembers(thread)) }

    private static func threadMembers(_ thread: TranscriptThread) -> [(String, JSONOutput)] {
        [
            ("agentId", .optional(thread.agentId)),
            ("agentType", .optional(thread.agentType)),
            ("description", .optional(thread.description)),
            ("entries", .array(thread.entries.map(entry))),
        ]
    }
}
