import AgentLogDatabase
import AgentLogSQLite
import AgentLogIngest
import Foundation
import GRDB

/// Writes the records of one batch inside an open transaction.
struct BatchWriter {
    let db: Database
    let statements: StatementCache
    let rollup: RollupDelta
    let agent: String
    let fileId: Int64
    let now: Int64
    var counts = IngestCounts()
    private var sessionRows: [String: Int64] = [:]
    private var lastSession: (id: String, row: Int64)?

    init(db: Database, statements: StatementCache, rollup: RollupDelta, agent: String, fileId: Int64, now: Int64) {
        self.db = db
        self.statements = statements
        self.rollup = rollup
        self.agent = agent
        self.fileId = fileId
        self.now = now
    }

    /// Moves the file position forward (or back to a new generation) and returns the
    /// generation the batch's archive chunks belong to.
    mutating func updatePosition(_ position: FilePosition, codec: ArchiveCodec, tail: Data?, tailLength: Int) throws -> Int {
        var generation = try Int.fetchOne(statements.get("SELECT generation FROM source_files WHERE id = ?"), arguments: [fileId]) ?? 0
        if position.reset {
            generation += 1
            try db.execute(sql: "DELETE FROM rejected_lines WHERE file_id = ?", arguments: [fileId])
        }
        let update = try statements.raw("""
            UPDATE source_files SET device = ?, inode = ?, size = ?, mtime_ns = ?, offset = ?, lines = ?,
                prefix_hash = ?, generation = ?, tail = ?, tail_codec = ?, tail_length = ?, synced_at = ?,
                missing_since = NULL
            WHERE id = ?
            """)
        update.bind(1, position.device)
        update.bind(2, position.inode)
        update.bind(3, position.size)
        update.bind(4, position.mtimeNs)
        update.bind(5, position.offset)
        update.bind(6, position.lines)
        update.bind(7, position.prefixHash)
        update.bind(8, generation)
        if let tail { update.bind(9, tail) } else { update.bind(9, nil as Int64?) }
        update.bind(10, tail == nil ? nil : codec.rawValue)
        update.bind(11, tailLength)
        update.bind(12, now)
        update.bind(13, fileId)
        try update.run()
        return generation
    }

    mutating func write(_ batch: RecordBatch, relatedFiles: [Int64]) throws {
        for (sessionId, facts) in batch.sessions.sorted(by: { $0.key < $1.key }) {
            let row = try upsertSession(sessionId, facts)
            for file in [fileId] + relatedFiles {
                try statements.get("INSERT OR IGNORE INTO session_files (session_id, file_id) VALUES (?, ?)")
                    .execute(arguments: [row, file])
            }
        }
        try insert(batch.messages)
        for usage in batch.usages { try upsert(usage) }
        for call in batch.toolCalls { try upsert(call) }
        for result in batch.toolResults { try upsert(result) }
        for subagent in batch.subagents { try upsert(subagent) }
        try insert(batch.rateLimits)
        for summary in batch.summaries {
            try statements.get("INSERT OR REPLACE INTO summaries (leaf_uuid, summary) VALUES (?, ?)")
                .execute(arguments: [summary.leafUuid, summary.summary])
        }
        for rejected in batch.rejected {
            try statements.get("""
                INSERT OR REPLACE INTO rejected_lines (file_id, line, byte_offset, reason, seen_at) VALUES (?, ?, ?, ?, ?)
                """).execute(arguments: [fileId, rejected.line, rejected.byteOffset, rejected.reason, now])
        }
        counts.rejectedLines += batch.rejected.count
    }

    /// Runs an `INSERT … ON CONFLICT DO NOTHING` and tells whether it inserted a new row.
    private func inserted(_ statement: Statement, _ arguments: StatementArguments) throws -> Bool {
        try statement.execute(arguments: arguments)
        return db.changesCount > 0
    }

    private mutating func sessionRow(_ sessionId: String) throws -> Int64 {
        // Rows of a batch nearly always name the session of the row before.
        if let lastSession, lastSession.id == sessionId { return lastSession.row }
        let row = try sessionRows[sessionId] ?? upsertSession(sessionId, SessionFacts())
        lastSession = (sessionId, row)
        return row
    }

    /// Creates or updates the session's row from one batch's facts. Whatever order files are
    /// read in, the session keeps the folder (and project) of the batch that starts earliest and
    /// the branch of the batch that reaches latest (ties: the smaller folder, the larger branch):
    /// a session whose lines are spread over a repository and its worktrees is filed the same way
    /// by every sync. (A batch with no folder or branch can still move that choice, as its times
    /// count without a value; no such file is known.)
    private mutating func upsertSession(_ sessionId: String, _ facts: SessionFacts) throws -> Int64 {
        var projectId: Int64?
        if let cwd = facts.cwd, !cwd.isEmpty {
            let ensure = try statements.raw(shared: SharedStatements.ensureProject)
            ensure.bind(1, cwd)
            ensure.bind(2, SharedStatements.projectName(ofDirectory: cwd))
            ensure.bind(3, now)
            projectId = try ensure.runReturningInt()
        }
        let existed = try Int64.fetchOne(statements.get("SELECT id FROM sessions WHERE agent = ? AND session_id = ?"),
                                         arguments: [agent, sessionId])
        let row = try Int64.fetchOne(statements.get("""
            INSERT INTO sessions (agent, session_id, project_id, cwd, git_branch, version, title, title_is_custom,
                                  first_prompt, first_prompt_at, started_at, ended_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (agent, session_id) DO UPDATE SET
                project_id = CASE WHEN excluded.cwd IS NOT NULL AND excluded.cwd != '' AND (sessions.cwd IS NULL OR sessions.cwd = ''
                                  OR COALESCE(excluded.started_at, 9223372036854775807) < COALESCE(sessions.started_at, 9223372036854775807)
                                  OR (COALESCE(excluded.started_at, 0) = COALESCE(sessions.started_at, 0) AND excluded.cwd < sessions.cwd))
                             THEN excluded.project_id ELSE sessions.project_id END,
                cwd = CASE WHEN excluded.cwd IS NOT NULL AND excluded.cwd != '' AND (sessions.cwd IS NULL OR sessions.cwd = ''
                                  OR COALESCE(excluded.started_at, 9223372036854775807) < COALESCE(sessions.started_at, 9223372036854775807)
                                  OR (COALESCE(excluded.started_at, 0) = COALESCE(sessions.started_at, 0) AND excluded.cwd < sessions.cwd))
                      THEN excluded.cwd ELSE sessions.cwd END,
                git_branch = CASE WHEN excluded.git_branch IS NOT NULL AND (sessions.git_branch IS NULL
                                  OR COALESCE(excluded.ended_at, 0) > COALESCE(sessions.ended_at, 0)
                                  OR (COALESCE(excluded.ended_at, 0) = COALESCE(sessions.ended_at, 0) AND excluded.git_branch > sessions.git_branch))
                             THEN excluded.git_branch ELSE sessions.git_branch END,
                version = COALESCE(excluded.version, sessions.version),
                title = CASE WHEN excluded.title IS NOT NULL AND (excluded.title_is_custom OR NOT sessions.title_is_custom)
                             THEN excluded.title ELSE sessions.title END,
                title_is_custom = CASE WHEN excluded.title IS NOT NULL AND excluded.title_is_custom
                                       THEN 1 ELSE sessions.title_is_custom END,
                first_prompt = CASE WHEN excluded.first_prompt IS NOT NULL AND (sessions.first_prompt IS NULL
                                         OR excluded.first_prompt_at < sessions.first_prompt_at)
                                    THEN excluded.first_prompt ELSE sessions.first_prompt END,
                first_prompt_at = CASE WHEN excluded.first_prompt IS NOT NULL AND (sessions.first_prompt IS NULL
                                            OR excluded.first_prompt_at < sessions.first_prompt_at)
                                       THEN excluded.first_prompt_at ELSE sessions.first_prompt_at END,
                started_at = MIN(COALESCE(sessions.started_at, excluded.started_at), COALESCE(excluded.started_at, sessions.started_at)),
                ended_at = MAX(COALESCE(sessions.ended_at, excluded.ended_at), COALESCE(excluded.ended_at, sessions.ended_at))
            RETURNING id
            """), arguments: [agent, sessionId, projectId, facts.cwd, facts.gitBranch, facts.version, facts.title,
                              facts.titleIsCustom, facts.firstPrompt, facts.firstPromptAt, facts.firstTimestamp,
                              facts.lastTimestamp])!
        if existed == nil { counts.newSessions += 1 }
        sessionRows[sessionId] = row
        return row
    }

    /// Inserts messages `messageRowsPerStatement` at a time (one multi-row `INSERT` costs SQLite
    /// far less than as many single-row ones); a message that replaces an earlier one with its
    /// id (Gemini) goes alone, in order, so that it can update the stored row.
    private mutating func insert(_ messages: [MessageRecord]) throws {
        var start = 0
        while start < messages.count {
            if messages[start].replacesEarlier {
                try insertReplacing(messages[start])
                start += 1
                continue
            }
            var end = start
            while end < messages.count, end - start < Self.messageRowsPerStatement, !messages[end].replacesEarlier { end += 1 }
            let insert = try statements.multiRow("INSERT INTO messages", rows: end - start, sql: Self.insertMessages)
            for index in start..<end {
                try bind(messages[index], to: insert, at: Int32((index - start) * Self.messageColumns))
            }
            try insert.run()
            counts.newMessages += insert.changes
            start = end
        }
    }

    static let messageColumns = 20
    static let messageRowsPerStatement = 32

    /// `INSERT INTO messages … VALUES (…), (…), …` for `rows` rows.
    static func insertMessages(rows: Int) -> String {
        let tuple = "(" + Array(repeating: "?", count: messageColumns).joined(separator: ",") + ")"
        return """
            INSERT INTO messages (session_id, uuid, parent_uuid, role, subtype, timestamp, is_sidechain, agent_id,
                                  is_meta, is_compact_summary, is_prompt, is_error, model, text, text_length, thinking,
                                  compact_trigger, compact_pre_tokens, file_id, line)
            VALUES \(Array(repeating: tuple, count: rows).joined(separator: ","))
            ON CONFLICT (session_id, uuid) DO NOTHING
            """
    }

    /// Binds one message's 20 columns after parameter `base`.
    private mutating func bind(_ message: MessageRecord, to insert: RawStatement, at base: Int32) throws {
        let session = try sessionRow(message.sessionId)
        let entry = message.entry
        insert.bind(base + 1, session)
        insert.bind(base + 2, entry.uuid)
        insert.bind(base + 3, entry.parentUuid)
        insert.bind(base + 4, entry.role.rawValue)
        insert.bind(base + 5, entry.subtype)
        insert.bind(base + 6, entry.timestamp)
        insert.bind(base + 7, entry.isSidechain)
        insert.bind(base + 8, message.agentId)
        insert.bind(base + 9, entry.isMeta)
        insert.bind(base + 10, entry.isCompactSummary)
        insert.bind(base + 11, entry.isPrompt)
        insert.bind(base + 12, entry.isApiError || entry.toolResults.contains(where: \.isError))
        insert.bind(base + 13, entry.model)
        insert.bind(base + 14, entry.text.isEmpty ? nil : entry.text)
        insert.bind(base + 15, entry.textLength)
        insert.bind(base + 16, entry.thinking.isEmpty ? nil : entry.thinking)
        insert.bind(base + 17, entry.compactTrigger)
        insert.bind(base + 18, entry.compactPreTokens)
        insert.bind(base + 19, fileId)
        insert.bind(base + 20, message.line)
    }

    private mutating func insertReplacing(_ message: MessageRecord) throws {
        let insert = try statements.multiRow("INSERT INTO messages", rows: 1, sql: Self.insertMessages)
        try bind(message, to: insert, at: 0)
        if try insert.run() {
            counts.newMessages += 1
            return
        }
        let session = try sessionRow(message.sessionId)
        let entry = message.entry
        let isError = entry.isApiError || entry.toolResults.contains(where: \.isError)
        try statements.get("""
            UPDATE messages SET timestamp = ?3, model = ?4, text = ?5, text_length = ?6, thinking = ?7, is_error = ?8,
                                file_id = ?9, line = ?10
            WHERE session_id = ?1 AND uuid = ?2
            """).execute(arguments: [session, entry.uuid, entry.timestamp, entry.model, entry.text.isEmpty ? nil : entry.text,
                                     entry.textLength, entry.thinking.isEmpty ? nil : entry.thinking, isError, fileId, message.line])
    }

    /// Keeps, per (message id, request id), the line with the largest output count (ties: the
    /// largest input, cache-write and cache-read counts), and the earliest time.
    private mutating func upsert(_ row: UsageRow) throws {
        let session = try sessionRow(row.sessionId)
        let tokens = row.usage.tokens
        let insert = try statements.raw("""
            INSERT INTO usage (session_id, message_id, request_id, model, timestamp, agent_id, input_tokens,
                               output_tokens, cache_creation_tokens, cache_creation_1h_tokens, cache_read_tokens)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (message_id, request_id) DO NOTHING
            """)
        insert.bind(1, session)
        insert.bind(2, row.usage.messageId)
        insert.bind(3, row.usage.requestId)
        insert.bind(4, row.usage.model)
        insert.bind(5, row.timestamp)
        insert.bind(6, row.agentId)
        insert.bind(7, tokens.input)
        insert.bind(8, tokens.output)
        insert.bind(9, tokens.cacheCreation)
        insert.bind(10, tokens.cacheCreation1h)
        insert.bind(11, tokens.cacheRead)
        if try insert.run() {
            counts.newUsage += 1
            rollup.add(session: session, agent: agent, model: row.usage.model, timestamp: row.timestamp, tokens: tokens, responses: 1)
            return
        }
        // Seen before: keep the earliest time and the line with the largest counts.
        let stored = try Row.fetchOne(statements.get("""
            SELECT timestamp, model, input_tokens, output_tokens, cache_creation_tokens, cache_creation_1h_tokens,
                   cache_read_tokens, session_id
            FROM usage WHERE message_id = ? AND request_id = ?
            """), arguments: [row.usage.messageId, row.usage.requestId])!
        // The row stays with the session that first brought it (a resumed session repeats lines).
        let storedSession: Int64 = stored[7]
        let oldTime: Int64? = stored[0]
        let oldModel: String = stored[1]
        let oldTokens = TokenCounts(input: stored[2], output: stored[3], cacheCreation: stored[4], cacheCreation1h: stored[5],
                                    cacheRead: stored[6])
        let rank = { (t: TokenCounts) in [t.output, t.input, t.cacheCreation, t.cacheRead] }
        let better = rank(oldTokens).lexicographicallyPrecedes(rank(tokens))
        let earlier = row.timestamp.map { time in oldTime.map { time < $0 } ?? true } ?? false
        guard better || earlier else { return }
        let newTime = earlier ? row.timestamp : oldTime
        let newModel = better ? row.usage.model : oldModel
        let newTokens = better ? tokens : oldTokens
        try statements.get("""
            UPDATE usage SET timestamp = ?3, model = ?4, input_tokens = ?5, output_tokens = ?6, cache_creation_tokens = ?7,
                             cache_creation_1h_tokens = ?8, cache_read_tokens = ?9
            WHERE message_id = ?1 AND request_id = ?2
            """).execute(arguments: [row.usage.messageId, row.usage.requestId, newTime, newModel, newTokens.input,
                                     newTokens.output, newTokens.cacheCreation, newTokens.cacheCreation1h, newTokens.cacheRead])
        rollup.add(session: storedSession, agent: agent, model: oldModel, timestamp: oldTime, tokens: oldTokens, responses: -1)
        rollup.add(session: storedSession, agent: agent, model: newModel, timestamp: newTime, tokens: newTokens, responses: 1)
    }

    private mutating func upsert(_ call: ToolCallRow) throws {
        let session = try sessionRow(call.sessionId)
        let use = call.use
        let insert = try statements.raw("""
            INSERT INTO tool_calls (session_id, tool_use_id, message_uuid, agent_id, name, input_preview, input_length,
                                    file_path, started_at, output_preview, output_length, is_error, ended_at,
                                    subagent_type, subagent_description)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (session_id, tool_use_id) DO NOTHING
            """)
        bindToolCall(insert, session: session, call)
        if try insert.run() {
            counts.newToolCalls += 1
        } else {
            // The result came first (or the call is read again): fill in the call's side.
            let update = try statements.raw("""
                UPDATE tool_calls SET message_uuid = ?3, agent_id = ?4, name = ?5, input_preview = ?6, input_length = ?7,
                                      file_path = ?8, started_at = ?9,
                                      output_preview = COALESCE(?10, output_preview), output_length = COALESCE(?11, output_length),
                                      is_error = COALESCE(?12, is_error), ended_at = COALESCE(?13, ended_at),
                                      subagent_type = ?14, subagent_description = ?15
                WHERE session_id = ?1 AND tool_use_id = ?2
                """)
            bindToolCall(update, session: session, call)
            try update.run()
        }
        for file in use.touchedFiles {
            let insert = try statements.raw("""
                INSERT OR IGNORE INTO files_touched (session_id, tool_use_id, path, operation, agent_id, timestamp)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
            insert.bind(1, session)
            insert.bind(2, use.id)
            insert.bind(3, file.path)
            insert.bind(4, file.operation.rawValue)
            insert.bind(5, call.agentId)
            insert.bind(6, call.timestamp)
            try insert.run()
        }
    }

    /// Binds the 15 parameters of the tool-call insert and update, in their order.
    private func bindToolCall(_ statement: RawStatement, session: Int64, _ call: ToolCallRow) {
        let use = call.use
        statement.bind(1, session)
        statement.bind(2, use.id)
        statement.bind(3, call.messageUuid)
        statement.bind(4, call.agentId)
        statement.bind(5, use.name)
        statement.bind(6, use.inputPreview)
        statement.bind(7, use.inputLength)
        statement.bind(8, use.filePath)
        statement.bind(9, call.timestamp)
        statement.bind(10, call.result?.outputPreview)
        statement.bind(11, call.result?.outputLength)
        statement.bind(12, call.result?.isError)
        statement.bind(13, call.resultTimestamp)
        statement.bind(14, use.subagentType)
        statement.bind(15, use.subagentDescription)
    }

    private mutating func upsert(_ row: ToolResultRow) throws {
        let session = try sessionRow(row.sessionId)
        let result = row.result
        try statements.get("""
            INSERT INTO tool_calls (session_id, tool_use_id, output_preview, output_length, is_error, ended_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (session_id, tool_use_id) DO UPDATE SET
                output_preview = excluded.output_preview, output_length = excluded.output_length,
                is_error = excluded.is_error, ended_at = excluded.ended_at
            """).execute(arguments: [session, result.toolUseId, result.outputPreview, result.outputLength,
                                     result.isError, row.timestamp])
    }

    private mutating func upsert(_ subagent: SubagentRow) throws {
        let session = try sessionRow(subagent.sessionId)
        let arguments: StatementArguments = [session, subagent.agentId, subagent.agentType, subagent.description,
                                             subagent.parentToolUseId, subagent.ownsFile ? fileId : nil]
        let insert = try statements.get("""
            INSERT INTO subagents (session_id, agent_id, agent_type, description, parent_tool_use_id, file_id)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (session_id, agent_id) DO NOTHING
            """)
        if try inserted(insert, arguments) {
            counts.newSubagents += 1
        } else {
            try statements.get("""
                UPDATE subagents SET agent_type = COALESCE(?3, agent_type), description = COALESCE(?4, description),
                                     parent_tool_use_id = COALESCE(?5, parent_tool_use_id), file_id = COALESCE(?6, file_id)
                WHERE session_id = ?1 AND agent_id = ?2
                """).execute(arguments: arguments)
        }
        if subagent.parentToolUseId != nil, subagent.agentType == nil || subagent.description == nil {
            // The spawning call may have been read by an earlier sync: take type and description from it.
            try statements.get("""
                UPDATE subagents SET
                    agent_type = COALESCE(agent_type, (SELECT t.subagent_type FROM tool_calls t
                        WHERE t.session_id = subagents.session_id AND t.tool_use_id = subagents.parent_tool_use_id)),
                    description = COALESCE(description, (SELECT t.subagent_description FROM tool_calls t
                        WHERE t.session_id = subagents.session_id AND t.tool_use_id = subagents.parent_tool_use_id))
                WHERE session_id = ?1 AND agent_id = ?2
                """).execute(arguments: [session, subagent.agentId])
        }
    }
}
