import AgentLogDatabase
import GRDB

/// A file a session changed: which, how, by whom and when.
public struct FileEdit: Sendable, Equatable {
    /// The file's path, as the tool call gave it.
    public var path: String
    /// `write`, `edit`, `multi_edit`, `notebook_edit` or `delete`.
    public var operation: String
    /// The agent's session id.
    public var session: String
    /// `claude`, `codex` or `gemini`.
    public var agent: String
    /// The subagent that made the change, if one did.
    public var agentId: String?
    /// The session's project (its working directory).
    public var project: String?
    /// The tool call that made it.
    public var toolUseId: String
    /// When, ms since 1970.
    public var timestamp: Int64?
}

/// Which edits to read.
public struct EditQuery: Sendable, Equatable {
    /// Time range, agents and project, as for usage (the edit's time is filtered).
    public var filter: UsageFilter
    /// Only paths containing this text.
    public var path: String?
    /// At most this many, newest first.
    public var limit: Int

    /// A query for the newest `limit` edits that match.
    public init(filter: UsageFilter = UsageFilter(), path: String? = nil, limit: Int = 50) {
        self.filter = filter
        self.path = path
        self.limit = limit
    }
}

extension AgentLogStore {
    /// Files changed by tool calls (reads are not edits), newest first.
    public func recentEdits(_ query: EditQuery) throws(StoreError) -> [FileEdit] {
        var (conditions, arguments) = query.filter.sql(time: "f.timestamp")
        conditions.append("f.operation <> 'read'")
        if let path = query.path {
            conditions.append("instr(f.path, ?) > 0")
            arguments.append(path)
        }
        arguments.append(query.limit)
        let sql = """
            SELECT f.path, f.operation, s.session_id, s.agent, f.agent_id, COALESCE(p.path, s.cwd), f.tool_use_id, f.timestamp
            FROM files_touched f JOIN sessions s ON s.id = f.session_id LEFT JOIN projects p ON p.id = s.project_id
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY f.timestamp DESC LIMIT ?
            """
        return try read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map {
                FileEdit(path: $0[0], operation: $0[1], session: $0[2], agent: $0[3], agentId: $0[4], project: $0[5], toolUseId: $0[6],
                         timestamp: $0[7])
            }
        }
    }
}
