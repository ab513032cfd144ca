import AgentLogDatabase
import GRDB

/// A subagent of a session.
public struct SubagentSummary: Sendable, Equatable {
    /// The agent's own id for the subagent.
    public var agentId: String
    /// The kind of subagent it is, when the transcript names one.
    public var agentType: String?
    public var description: String?
    /// The Task/Agent tool call that spawned it; `nil` for warm-up agents nothing references.
    public var parentToolUseId: String?
    /// Whether the subagent has a transcript file of its own.
    public var hasFile: Bool
    /// How many of the session's messages the subagent wrote.
    public var messages: Int
}

/// A compaction of a session's context.
public struct CompactionSummary: Sendable, Equatable {
    /// The uuid of the `compact_boundary` line.
    public var uuid: String
    /// When the compaction happened, ms since 1970.
    public var timestamp: Int64?
    /// `manual` or `auto`.
    public var trigger: String?
    /// Whether the summary that replaces the conversation was recorded after the boundary.
    public var summaryFollows: Bool
}

extension AgentLogStore {
    /// The subagents of a session, with their message counts.
    public func subagents(of session: SessionReference) throws(StoreError) -> [SubagentSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT a.agent_id, a.agent_type, a.description, a.parent_tool_use_id, a.file_id IS NOT NULL,
                       (SELECT COUNT(*) FROM messages m WHERE m.session_id = a.session_id AND m.agent_id = a.agent_id)
                FROM subagents a WHERE a.session_id = ? ORDER BY a.id
                """, arguments: [session.rowId]).map {
                SubagentSummary(agentId: $0[0], agentType: $0[1], description: $0[2], parentToolUseId: $0[3], hasFile: $0[4], messages: $0[5])
            }
        }
    }

    /// The compaction boundaries of a session, in order.
    public func compactions(of session: SessionReference) throws(StoreError) -> [CompactionSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT b.uuid, b.timestamp, b.compact_trigger,
                       EXISTS (SELECT 1 FROM messages s WHERE s.session_id = b.session_id AND s.is_compact_summary = 1
                               AND s.parent_uuid = b.uuid)
                FROM messages b WHERE b.session_id = ? AND b.subtype = 'compact_boundary' ORDER BY b.timestamp
                """, arguments: [session.rowId]).map { row in
                CompactionSummary(uuid: row[0], timestamp: row[1], trigger: row[2], summaryFollows: row[3])
            }
        }
    }

    /// How many sessions are titled by an older `summary` line.
    public func sessionSummaries() throws(StoreError) -> Int {
        try read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sessions WHERE summary IS NOT NULL") ?? 0 }
    }
}

/// A tool call of a session, paired with its result when there is one.
public struct ToolCallSummary: Sendable, Equatable {
    /// The agent's id for the call, which its result refers to.
    public var toolUseId: String
    /// The name of the tool called.
    public var name: String?
    /// The subagent that made the call, if one did.
    public var agentId: String?
    /// The input as JSON text, cut to ``PreviewLimits/tool``.
    public var inputPreview: String?
    /// Length in bytes of the whole input.
    public var inputLength: Int?
    /// The file the call reads or changes, when its input names one.
    public var filePath: String?
    /// The output, cut to ``PreviewLimits/tool`` (the whole output is in the raw archive);
    /// empty until a result arrives.
    public var outputPreview: String
    /// Length in bytes of the whole output.
    public var outputLength: Int?
    /// Whether the result was an error; `nil` when there is no result.
    public var isError: Bool?
    /// When the call was made, ms since 1970.
    public var startedAt: Int64?
    /// When its result arrived, ms since 1970.
    public var endedAt: Int64?
    /// What live hooks saw of this call (events joined on `tool_use_id`), when they ran.
    public var hook: HookObservation? = nil
}

/// The hook events of one tool call: the same call as the transcript's, seen live.
public struct HookObservation: Sendable, Equatable {
    /// Event names in the order they were stored (`PreToolUse`, `PostToolUse`, …).
    public var events: [String]
    /// When the first and the last of them arrived, ms since 1970.
    public var firstAt: Int64
    /// When the last of them arrived, ms since 1970.
    public var lastAt: Int64
    /// From the first event to the last: for PreToolUse → PostToolUse, how long the tool ran.
    public var durationMs: Int64 { lastAt - firstAt }
}

extension ToolCallSummary {
    static let columns = """
        tool_use_id, name, agent_id, input_preview, input_length, file_path, output_preview, output_length, is_error,
        started_at, ended_at, message_uuid
        """

    /// A row of ``columns``.
    init(row: Row) {
        self.init(toolUseId: row[0], name: row[1], agentId: row[2], inputPreview: row[3], inputLength: row[4], filePath: row[5],
                  outputPreview: row[6] ?? "", outputLength: row[7], isError: row[8], startedAt: row[9], endedAt: row[10])
    }
}

extension AgentLogStore {
    /// The tool calls of a session, in the order they were made.
    public func toolCalls(of session: SessionReference) throws(StoreError) -> [ToolCallSummary] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(ToolCallSummary.columns) FROM tool_calls
                WHERE session_id = ? ORDER BY COALESCE(started_at, ended_at), id
                """, arguments: [session.rowId]).map(ToolCallSummary.init(row:))
        }
    }
}

/// A file a session's tool calls read or changed.
public struct FileTouch: Sendable, Equatable {
    /// The file's path, as the tool call gave it.
    public var path: String
    /// `read`, `write`, `edit`, `multi_edit` or `notebook_edit`.
    public var operation: String
    /// The tool call that touched it.
    public var toolUseId: String
    /// The subagent that made the call, if one did.
    public var agentId: String?
    /// When the call touched it, ms since 1970.
    public var timestamp: Int64?
}

extension AgentLogStore {
    /// The files a session touched, in order.
    public func filesTouched(by session: SessionReference) throws(StoreError) -> [FileTouch] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT path, operation, tool_use_id, agent_id, timestamp FROM files_touched
                WHERE session_id = ? ORDER BY timestamp, id
                """, arguments: [session.rowId]).map {
                FileTouch(path: $0[0], operation: $0[1], toolUseId: $0[2], agentId: $0[3], timestamp: $0[4])
            }
        }
    }
}
