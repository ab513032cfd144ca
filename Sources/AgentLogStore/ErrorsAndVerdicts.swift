import AgentLogDatabase
import AgentLogJSON
import AgentLogSQLite
import GRDB

/// A failed tool call that no later success on the same file and of the same kind resolved.
public struct OpenToolError: Sendable, Equatable {
    /// The agent's session id.
    public var session: String
    /// The subagent that made the call, or empty for the main agent.
    public var agentId: String
    /// The tool that failed.
    public var tool: String?
    /// The file it was about, or empty for a command.
    public var path: String
    /// `test`, `build`, `lint`, `type`, `runtime`, `permission` or `other`.
    public var category: String
    /// How many times in a row it failed on this file and of this kind.
    public var attempt: Int
    /// The start of the error text.
    public var error: String?
    /// When it failed, ms since 1970.
    public var at: Int64
    /// The session's working directory, if the hook saw it.
    public var project: String?
}

/// A decision recorded for a session (allow, block, approve, deny), with its reason.
public struct Verdict: Sendable, Equatable {
    /// The session it is about.
    public var session: String
    /// The decision.
    public var decision: String
    /// Why.
    public var reason: String?
    /// When, ms since 1970.
    public var at: Int64
    /// The event it was recorded with (its `seq` in the session's log).
    public var seq: Int64
}

extension AgentLogStore {
    /// Open tool errors, newest first: of one session, of a project's sessions, or all.
    public func openErrors(session: String? = nil, project: String? = nil, limit: Int = 100) throws(StoreError) -> [OpenToolError] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.session_id, e.agent_id, e.tool, e.path, e.category, e.attempt, substr(e.error, 1, 2000), e.at, a.project
                FROM tool_errors e LEFT JOIN agents a ON a.session_id = e.session_id AND a.agent_id = ''
                WHERE e.resolved_at IS NULL AND (?1 IS NULL OR e.session_id = ?1) AND (?2 IS NULL OR a.project = ?2)
                ORDER BY e.at DESC, e.id DESC LIMIT ?3
                """, arguments: [session, project, limit]).map {
                OpenToolError(session: $0[0], agentId: $0[1], tool: $0[2], path: $0[3], category: $0[4], attempt: $0[5], error: $0[6],
                              at: $0[7], project: $0[8])
            }
        }
    }

    /// Records a decision for `session`: an event of type `Verdict` on `channel` (so live
    /// clients see it) and the verdict row a hook payload's decision makes, in one transaction.
    public func noteVerdict(session: String, decision: String, reason: String?, channel: String = "mcp",
                            at time: Int64 = AgentLogStore.now()) throws(StoreError) -> Verdict {
        let payload = JSONOutput.object([("decision", .string(decision)), ("reason", .optional(reason))]).text()
        return try write { db in
            let insert = try RawStatement.cached(db, SharedStatements.insertEvent)
            SharedStatements.bindEvent(insert, session: session, channel: channel, type: "Verdict", timestamp: time,
                                       payload: Array(payload.utf8), payloadHash: FNV1a.hash(payload.utf8))
            guard let row = try insert.runReturning({ ($0.int64(0), $0.int64(1)) }), let id = row.0, let seq = row.1 else {
                throw StoreError.database(path: path ?? ":memory:", reason: "the verdict was not stored")
            }
            try db.execute(sql: "INSERT INTO verdicts (event_id, session_id, decision, reason, at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, session, decision, reason, time])
            return Verdict(session: session, decision: decision, reason: reason, at: time, seq: seq)
        }
    }
}
