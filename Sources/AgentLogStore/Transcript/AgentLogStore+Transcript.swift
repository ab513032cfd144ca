import AgentLogIngest
import GRDB

extension AgentLogStore {
    /// Rebuilds a session from the database alone: its header, the conversation in order with
    /// tool calls after the message that made them, subagent work nested under the call that
    /// spawned it, compaction boundaries, and every response's tokens and cost under `prices`.
    public func transcript(of session: SessionReference, prices: PriceTable = .builtIn) throws(StoreError) -> SessionTranscript {
        var filter = UsageFilter()
        filter.sessionRowIds = [session.rowId]
        guard let summary = try sessions(SessionQuery(filter: filter, prices: prices)).first else {
            throw StoreError.notFound(what: "session \(session.sessionId)")
        }
        let parts = try read { db in try TranscriptParts(db, sessionRowId: session.rowId) }
        let usage = parts.usage.map { response in
            TranscriptUsage(timestamp: response.timestamp, model: response.model, agentId: response.agentId,
                            tokens: response.tokens, costPico: Self.cost(of: response.tokens, model: response.model, prices: prices))
        }
        var models: [String] = []
        for model in parts.usage.map(\.model) + parts.messageModels where !models.contains(model) { models.append(model) }
        return SessionTranscript(summary: summary, models: models, cwd: parts.cwd, version: parts.version,
                                 main: parts.assemble(), usage: usage)
    }

    /// The exact cost of one response in pico-dollars, or `nil` when its model has no price.
    static func cost(of tokens: TokenCounts, model: String, prices: PriceTable) -> Int64? {
        if PriceTable.isFree(model) { return 0 }
        guard let price = prices.price(for: model) else { return nil }
        return price.costPicoUSD(tokens, overThreshold: price.longContext.map { tokens.promptTokens > $0.threshold } ?? false)
    }
}

/// The rows of one session, read in one transaction, and how they fit together.
private struct TranscriptParts {
    struct Message {
        var message: TranscriptMessage
        var agentId: String?
        var compaction: TranscriptCompaction?
        /// A line with nothing to show by itself (a reply that only calls tools, a tool result).
        var isEmpty: Bool
    }

    struct Call {
        var call: ToolCallSummary
        var messageUuid: String?
    }

    var cwd: String?
    var version: String?
    var messages: [Message] = []
    var calls: [Call] = []
    var subagents: [(agentId: String, agentType: String?, description: String?, parentToolUseId: String?)] = []
    var usage: [(timestamp: Int64?, model: String, agentId: String?, tokens: TokenCounts)] = []
    var messageModels: [String] = []

    init(_ db: Database, sessionRowId: Int64) throws {
        let session = try Row.fetchOne(db, sql: "SELECT cwd, version FROM sessions WHERE id = ?", arguments: [sessionRowId])
        cwd = session?[0]
        version = session?[1]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT uuid, role, subtype, timestamp, agent_id, is_meta, is_compact_summary, is_prompt, is_error, model,
                   text, text_length, thinking, compact_trigger, compact_pre_tokens
            FROM messages WHERE session_id = ? ORDER BY id
            """, arguments: [sessionRowId])
        while let row = try rows.next() {
            let role: String = row[1]
            let subtype: String? = row[2]
            let kind: TranscriptMessage.Kind =
                row[6] ? .compactSummary : row[5] ? .meta : row[7] ? .prompt
                : role == "assistant" ? .assistant : role == "system" ? .system : .user
            let text: String? = row[10]
            let thinking: String? = row[12]
            let message = TranscriptMessage(kind: kind, uuid: row[0], timestamp: row[3], model: row[9], text: text,
                                            textLength: row[11], thinking: thinking, isError: row[8], subtype: subtype)
            if let model = message.model, !messageModels.contains(model), model != "<synthetic>" { messageModels.append(model) }
            let compaction = subtype == "compact_boundary"
                ? TranscriptCompaction(uuid: message.uuid, timestamp: message.timestamp, trigger: row[13], preTokens: row[14])
                : nil
            let isEmpty = (text ?? "").isEmpty && (thinking ?? "").isEmpty && !message.isError
            messages.append(Message(message: message, agentId: row[4], compaction: compaction, isEmpty: isEmpty))
        }
        calls = try Row.fetchAll(db, sql: "SELECT \(ToolCallSummary.columns) FROM tool_calls WHERE session_id = ? ORDER BY id",
                                 arguments: [sessionRowId]).map { Call(call: ToolCallSummary(row: $0), messageUuid: $0[11]) }
        subagents = try Row.fetchAll(db, sql: """
            SELECT agent_id, agent_type, description, parent_tool_use_id FROM subagents WHERE session_id = ? ORDER BY id
            """, arguments: [sessionRowId]).map { ($0[0], $0[1], $0[2], $0[3]) }
        usage = try Row.fetchAll(db, sql: """
            SELECT timestamp, model, agent_id, input_tokens, output_tokens, cache_creation_tokens, cache_creation_1h_tokens,
                   cache_read_tokens
            FROM usage WHERE session_id = ? ORDER BY timestamp, id
            """, arguments: [sessionRowId]).map { row in
            (row[0], row[1], row[2], TokenCounts(input: row[3], output: row[4], cacheCreation: row[5], cacheCreation1h: row[6],
                                                 cacheRead: row[7]))
        }
    }

    /// The main thread, with every message, call and subagent placed exactly once.
    func assemble() -> TranscriptThread {
        var threadIds: [String] = []
        for id in subagents.map(\.agentId) + messages.compactMap(\.agentId) + calls.compactMap(\.call.agentId)
        where !threadIds.contains(id) {
            threadIds.append(id)
        }
        var spawnedBy: [String: String] = [:]  // tool_use id → agent id
        for subagent in subagents {
            if let parent = subagent.parentToolUseId, spawnedBy[parent] == nil { spawnedBy[parent] = subagent.agentId }
        }
        let spawningCalls = Set(calls.map(\.call.toolUseId))
        var builder = ThreadBuilder(parts: self, spawnedBy: spawnedBy.filter { spawningCalls.contains($0.key) })
        var main = builder.build(agentId: nil)
        // Subagents that no call spawned (or whose call is in a thread that was never reached)
        // go into the main conversation where their work began.
        var loose: [(time: Int64?, entry: TranscriptEntry)] = []
        for id in threadIds where !builder.built.contains(id) {
            let thread = builder.build(agentId: id)
            loose.append((thread.entries.lazy.compactMap(\.timestamp).first, .subagent(thread)))
        }
        main.entries = ThreadBuilder.merge(main.entries, loose)
        return main
    }
}

/// Builds threads, each once, nesting spawned subagents under their calls.
private struct ThreadBuilder {
    let parts: TranscriptParts
    let spawnedBy: [String: String]
    var built: Set<String> = []

    init(parts: TranscriptParts, spawnedBy: [String: String]) {
        self.parts = parts
        self.spawnedBy = spawnedBy
    }

    mutating func build(agentId: String?) -> TranscriptThread {
        if let agentId { built.insert(agentId) }
        let info = parts.subagents.first { $0.agentId == agentId }
        var thread = TranscriptThread(agentId: agentId, agentType: info?.agentType, description: info?.description)
        let messages = Self.inTimeOrder(parts.messages.filter { $0.agentId == agentId })
        let uuids = Set(messages.map(\.message.uuid))
        var attached: [String: [ToolCallSummary]] = [:]
        var loose: [(time: Int64?, entry: TranscriptEntry)] = []
        for call in parts.calls where call.call.agentId == agentId {
            if let uuid = call.messageUuid, uuids.contains(uuid) {
                attached[uuid, default: []].append(call.call)
            } else {
                loose.append((call.call.startedAt ?? call.call.endedAt, entry(for: call.call)))
            }
        }
        for message in messages {
            if let compaction = message.compaction {
                thread.entries.append(.compaction(compaction))
            } else if !message.isEmpty {
                thread.entries.append(.message(message.message))
            }
            for call in attached[message.message.uuid] ?? [] { thread.entries.append(entry(for: call)) }
        }
        thread.entries = Self.merge(thread.entries, loose)
        return thread
    }

    private mutating func entry(for call: ToolCallSummary) -> TranscriptEntry {
        guard let agent = spawnedBy[call.toolUseId], !built.contains(agent) else { return .toolCall(call, subagent: nil) }
        return .toolCall(call, subagent: build(agentId: agent))
    }

    /// Messages by time, a line without one taking the time of the line before; ties keep
    /// file order.
    static func inTimeOrder(_ messages: [TranscriptParts.Message]) -> [TranscriptParts.Message] {
        var last: Int64 = .min
        let keyed = messages.enumerated().map { index, message in
            last = message.message.timestamp ?? last
            return (time: last, index: index, message: message)
        }
        return keyed.sorted { ($0.time, $0.index) < ($1.time, $1.index) }.map(\.message)
    }

    /// `loose` entries placed after the last of `entries` that is not later than them (at the
    /// end when they have no time), keeping both lists' own order.
    static func merge(_ entries: [TranscriptEntry], _ loose: [(time: Int64?, entry: TranscriptEntry)]) -> [TranscriptEntry] {
        guard !loose.isEmpty else { return entries }
        var last: Int64 = .min
        var keyed: [(time: Int64, rank: Int, index: Int, entry: TranscriptEntry)] = entries.enumerated().map { index, entry in
            last = max(last, entry.timestamp ?? last)  // never earlier than the entry before: their order stays
            return (last, 0, index, entry)
        }
        keyed += loose.enumerated().map { index, item in (item.time ?? .max, 1, index, item.entry) }
        return keyed.sorted { ($0.time, $0.rank, $0.index) < ($1.time, $1.rank, $1.index) }.map(\.entry)
    }
}
