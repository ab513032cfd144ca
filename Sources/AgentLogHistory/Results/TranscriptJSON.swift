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
    /// At most about this many characters of turns (compact JSON); nil for no budget. The
    /// page ends before the turn that would pass it; a first turn that alone passes it comes
    /// with its long texts cut (`clipped: true`).
    public var maxCharacters: Int?

    /// A page of `transcript`'s turns.
    public init(_ transcript: SessionTranscript, from: Int, limit: Int, maxCharacters: Int? = nil) {
        self.transcript = transcript
        self.from = max(0, from)
        self.limit = max(1, limit)
        self.maxCharacters = maxCharacters.map { max(200, $0) }
    }

    /// The page's JSON (see the type's description).
    public func encode(to encoder: any Encoder) throws {
        try TranscriptJSON.members(transcript, page: (from, limit, maxCharacters)).encode(to: encoder)
    }
}

/// The JSON of a transcript's parts.
enum TranscriptJSON {
    static func members(_ transcript: SessionTranscript, page: (from: Int, limit: Int, budget: Int?)? = nil) -> JSONOutput {
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
        var turns: [JSONOutput] = shown.map { turn in
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
        var clipped = false
        if let budget = page.budget { (turns, clipped) = fitting(turns, into: budget) }
        let next = page.from + turns.count
        return .object([("session", session), ("turns", .array(turns)), ("turnCount", .int(all.count)),
                        ("nextFrom", next < all.count ? .int(next) : .null)] + (page.budget == nil ? [] : [("clipped", .bool(clipped))]))
    }

    /// The turns, from the first, that fit `budget` characters; at least one, its long texts cut
    /// until it fits (then `true`).
    static func fitting(_ turns: [JSONOutput], into budget: Int) -> ([JSONOutput], Bool) {
        var kept: [JSONOutput] = []
        var used = 0
        for turn in turns {
            let length = turn.compactLength
            if used + length > budget { break }
            kept.append(turn)
            used += length
        }
        guard kept.isEmpty, let first = turns.first else { return (kept, false) }
        for limit in [4_000, 1_000, 300, 100] {
            let clipped = first.clippingStrings(to: limit)
            if clipped.compactLength <= budget { return ([clipped], true) }
        }
        // Still too long: its first entries, as many as fit, and how many were left out.
        guard case .object(let members) = first.clippingStrings(to: 100),
              let at = members.firstIndex(where: { $0.0 == "entries" }), case .array(let entries) = members[at].1 else { return ([first], true) }
        var shortened = members
        var room = budget - JSONOutput.object(members.filter { $0.0 != "entries" }).compactLength - 40
        var fit: [JSONOutput] = []
        for entry in entries {
            room -= entry.compactLength + 1
            if room < 0 { break }
            fit.append(entry)
        }
        shortened[at].1 = .array(fit)
        shortened.append(("omittedEntries", .int(entries.count - fit.count)))
        return ([.object(shortened)], true)
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
