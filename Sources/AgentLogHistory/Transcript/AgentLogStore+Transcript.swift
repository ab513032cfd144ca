import AgentLogDatabase
import AgentLogSQLite
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
                                 main: parts.assemble(), usage: usage, hookEvents: parts.hookEvents)
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
    var hookEvents: [String: Int] = [:]

    init(_ db: Database, sessionRowId: Int64) throws {
        let session = try Row.fetchOne(db, sql: "SELECT cwd, version, session_id FROM sessions WHERE id = ?", arguments: [sessionRowId])
        cwd = session?[0]
        version = session?[1]
        let observations = try Self.hookObservations(db, sessionId: session?[2], counts: &hookEvents)
        // Thousands of rows: read through the C API (GRDB's Row costs more than SQLite here).
        let messageIds = try Self.idRange(db, "messages", sessionRowId)
        let callIds = try Self.idRange(db, "tool_calls", sessionRowId)
        var lastRole: String?, lastSubtype: String?, lastModel: String?, lastAgent: String?
        try RawStatement.forEachRow(db, """
            SELECT uuid, role, subtype, timestamp, agent_id, is_meta, is_compact_summary, is_prompt, is_error, model,
                   text, text_length, thinking, compact_trigger, compact_pre_tokens
            FROM messages WHERE id BETWEEN ?1 AND ?2 AND +session_id = ?3 ORDER BY id
            """, bind: { Self.bindRange($0, messageIds, sessionRowId) }) { row in
            let role = row.text(1, sameAs: &lastRole) ?? "user"
            let subtype = row.text(2, sameAs: &lastSubtype)
            let kind: TranscriptMessage.Kind =
                row.bool(6) ? .compactSummary : row.bool(5) ? .meta : row.bool(7) ? .prompt
                : role == "assistant" ? .assistant : role == "system" ? .system : .user
            let text = row.text(10)
            let thinking = row.text(12)
            let message = TranscriptMessage(kind: kind, uuid: row.text(0) ?? "", timestamp: row.int64(3), model: row.text(9, sameAs: &lastModel), text: text,
                                            textLength: row.int(11) ?? 0, thinking: thinking, isError: row.bool(8), subtype: subtype)
            if let model = message.model, model != "<synthetic>", !messageModels.contains(model) { messageModels.append(model) }
            let compaction = subtype == "compact_boundary"
                ? TranscriptCompaction(uuid: message.uuid, timestamp: message.timestamp, trigger: row.text(13), preTokens: row.int(14))
                : nil
            let isEmpty = (text ?? "").isEmpty && (thinking ?? "").isEmpty && !message.isError
            messages.append(Message(message: message, agentId: row.text(4, sameAs: &lastAgent), compaction: compaction, isEmpty: isEmpty))
        }
        try RawStatement.forEachRow(db, """
            SELECT tool_use_id, name, agent_id, input_preview, input_length, file_path, output_preview, output_length, is_error,
                   started_at, ended_at, message_uuid
            FROM tool_calls WHERE id BETWEEN ?1 AND ?2 AND +session_id = ?3 ORDER BY id
            """, bind: { Self.bindRange($0, callIds, sessionRowId) }) { row in
            let call = ToolCallSummary(toolUseId: row.text(0) ?? "", name: row.text(1), agentId: row.text(2), inputPreview: row.text(3),
                                       inputLength: row.int(4), filePath: row.text(5), outputPreview: row.text(6) ?? "",
                                       outputLength: row.int(7), isError: row.isNull(8) ? nil : row.bool(8),
                                       startedAt: row.int64(9), endedAt: row.int64(10), hook: observations[row.text(0) ?? ""])
            calls.append(Call(call: call, messageUuid: row.text(11)))
        }
        subagents = try Row.fetchAll(db, sql: """
            SELECT agent_id, agent_type, description, parent_tool_use_id FROM subagents WHERE session_id = ? ORDER BY id
            """, arguments: [sessionRowId]).map { ($0[0], $0[1], $0[2], $0[3]) }
        try RawStatement.forEachRow(db, """
            SELECT timestamp, model, agent_id, input_tokens, output_tokens, cache_creation_tokens, cache_creation_1h_tokens,
                   cache_read_tokens
            FROM usage WHERE session_id = ? ORDER BY timestamp, id
            """, bind: { $0.bind(1, sessionRowId) }) { row in
            usage.append((row.int64(0), row.text(1) ?? "", row.text(2),
                          TokenCounts(input: row.int(3) ?? 0, output: row.int(4) ?? 0, cacheCreation: row.int(5) ?? 0,
                                      cacheCreation1h: row.int(6) ?? 0, cacheRead: row.int(7) ?? 0)))
        }
    }

    /// The hook events of a session (one record, two sources: `events.session_id` is the
    /// agent's session id and `events.tool_use_id` the call's), grouped by tool call; `counts`
    /// gets the number of events of each type.
    static func hookObservations(_ db: Database, sessionId: String?, counts: inout [String: Int]) throws -> [String: HookObservation] {
        guard let sessionId, try db.tableExists("events") else { return [:] }
        var observations: [String: HookObservation] = [:]
        try RawStatement.forEachRow(db, "SELECT type, tool_use_id, timestamp FROM events WHERE session_id = ?1 ORDER BY seq",
                                    bind: { $0.bind(1, sessionId) }) { row in
            let type = row.text(0) ?? ""
            counts[type, default: 0] += 1
            guard let toolUseId = row.text(1), let time = row.int64(2) else { return }
            if var seen = observations[toolUseId] {
                seen.events.append(type)
                seen.firstAt = min(seen.firstAt, time)
                seen.lastAt = max(seen.lastAt, time)
                observations[toolUseId] = seen
            } else {
                observations[toolUseId] = HookObservation(events: [type], firstAt: time, lastAt: time)
            }
        }
        return observations
    }

    /// The first and last row id of a session's rows in `table`, from its `(session_id, …)`
    /// index. A session's rows are written file by file, so they lie close together: reading
    /// that id range in order is a sequential scan of the table, where looking each row up from
    /// the index and sorting them (with their text) took twice as long.
    static func idRange(_ db: Database, _ table: String, _ sessionRowId: Int64) throws -> (Int64, Int64)? {
        let row = try Row.fetchOne(db, sql: "SELECT min(id), max(id) FROM \(table) WHERE session_id = ?", arguments: [sessionRowId])
        guard let low: Int64 = row?[0], let high: Int64 = row?[1] else { return nil }
        return (low, high)
    }

    static func bindRange(_ statement: RawStatement, _ range: (Int64, Int64)?, _ sessionRowId: Int64) {
        statement.bind(1, range?.0 ?? 1)
        statement.bind(2, range?.1 ?? 0)
        statement.bind(3, sessionRowId)
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
        let order = Self.inTimeOrder(parts.messages, agentId: agentId)
        let messages = parts.messages
        let uuids = Set(order.map { messages[$0].message.uuid })
        var attached: [String: [ToolCallSummary]] = [:]
        var loose: [(time: Int64?, entry: TranscriptEntry)] = []
        for call in parts.calls where call.call.agentId == agentId {
            if let uuid = call.messageUuid, uuids.contains(uuid) {
                attached[uuid, default: []].append(call.call)
            } else {
                loose.append((call.call.startedAt ?? call.call.endedAt, entry(for: call.call)))
            }
        }
        thread.entries.reserveCapacity(order.count)
        for index in order {
            let message = messages[index]
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

    /// The positions in `messages` of `agentId`'s messages by time, a line without one taking
    /// the time of the line before; ties keep file order.
    static func inTimeOrder(_ messages: [TranscriptParts.Message], agentId: String?) -> [Int] {
        let selected = messages.indices.filter { messages[$0].agentId == agentId }
        var last: Int64 = .min
        let keyed = selected.map { index in
            last = messages[index].message.timestamp ?? last
            return (time: last, index: index)
        }
        // Usually in order already (lines are written as they happen).
        if zip(keyed, keyed.dropFirst()).allSatisfy({ $0.time <= $1.time }) { return selected }
        return keyed.sorted { ($0.time, $0.index) < ($1.time, $1.index) }.map(\.index)
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
