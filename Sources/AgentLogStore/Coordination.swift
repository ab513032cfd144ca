import AgentLogDatabase
import GRDB

/// One entry of a session's event log.
public struct EventRecord: Sendable, Equatable {
    /// The row id, increasing in storage order across all sessions.
    public var id: Int64
    /// The agent's session id.
    public var session: String
    /// 1, 2, … per session, in the order the events were stored.
    public var seq: Int64
    /// `hook`, or an app's own channel.
    public var channel: String
    /// The hook event name (`PreToolUse`, `Stop`, …).
    public var type: String
    /// When it was received, ms since 1970.
    public var timestamp: Int64
    /// The payload as received (JSON text).
    public var payload: String
}

/// Which events to read.
public struct EventQuery: Sendable, Equatable {
    /// One session (its full id); nil for all.
    public var session: String?
    /// Only events after this `seq` (with `session`), or after this event id (without).
    public var after: Int64?
    /// Only events of this type (a hook event name such as `PreToolUse`); nil for all.
    public var type: String?
    /// At most this many events; nil for no limit.
    public var limit: Int?

    /// Creates a query; with no arguments it reads every event.
    public init(session: String? = nil, after: Int64? = nil, type: String? = nil, limit: Int? = nil) {
        self.session = session
        self.after = after
        self.type = type
        self.limit = limit
    }
}

/// An agent of a hooked session: the main agent (`agentId` empty) or a subagent.
public struct AgentRecord: Sendable, Equatable {
    /// The agent's session id.
    public var session: String
    /// The subagent's id, or empty for the session's main agent.
    public var agentId: String
    /// The subagent's type as the hook reported it; nil for the main agent or when not given.
    public var agentType: String?
    /// The working directory it runs in.
    public var project: String?
    /// `running`, `completed`, `failed` or `aborted_stale`.
    public var status: String
    /// Its first event, ms since 1970.
    public var startedAt: Int64
    /// When it stopped (`SessionEnd` or `SubagentStop`), ms since 1970; nil if it has not.
    public var endedAt: Int64?
    /// Its latest event, ms since 1970.
    public var lastEventAt: Int64
}

/// A file an agent wrote.
public struct FileClaim: Sendable, Equatable {
    /// The agent's session id.
    public var session: String
    /// The subagent that wrote it, or empty for the main agent.
    public var agentId: String
    /// The file's path as the tool call gave it.
    public var path: String
    /// The working directory of the session.
    public var project: String?
    /// The last tool that wrote it (`Write`, `Edit`, `MultiEdit` or `NotebookEdit`).
    public var tool: String
    /// The first write, ms since 1970.
    public var firstAt: Int64
    /// The latest write, ms since 1970.
    public var lastAt: Int64
    /// How many times this agent wrote it (0 for a claim announced and not yet written).
    public var writes: Int
    /// Until when an announced claim holds, ms since 1970; nil for a claim made by writing.
    public var expiresAt: Int64? = nil
    /// What the agent said it is about to do, for an announced claim.
    public var intent: String? = nil
}

extension AgentLogStore {
    /// Events in storage order (by session and `seq` for one session, by id otherwise).
    public func events(_ query: EventQuery) throws(StoreError) -> [EventRecord] {
        try read { db in try Self.events(db, query) }
    }

    /// Where the event log ends: the last `seq` of `session`, or the last event id of all
    /// sessions when `session` is nil; nil when there is no such event yet. A live stream that
    /// starts here sends only what comes next.
    public func lastEventPosition(session: String?) throws(StoreError) -> Int64? {
        try read { db in
            if let session {
                return try Int64.fetchOne(db, sql: "SELECT max(seq) FROM events WHERE session_id = ?", arguments: [session])
            }
            return try Int64.fetchOne(db, sql: "SELECT max(id) FROM events")
        }
    }

    static func events(_ db: Database, _ query: EventQuery) throws -> [EventRecord] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let session = query.session {
            conditions.append("session_id = ?")
            arguments.append(session)
            if let after = query.after {
                conditions.append("seq > ?")
                arguments.append(after)
            }
        } else if let after = query.after {
            conditions.append("id > ?")
            arguments.append(after)
        }
        if let type = query.type {
            conditions.append("type = ?")
            arguments.append(type)
        }
        let sql = """
            SELECT id, session_id, seq, channel, type, timestamp, payload FROM events
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY \(query.session == nil ? "id" : "seq") \(query.limit.map { "LIMIT \($0)" } ?? "")
            """
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map {
            EventRecord(id: $0[0], session: $0[1], seq: $0[2], channel: $0[3], type: $0[4], timestamp: $0[5], payload: $0[6])
        }
    }

    /// The agent registry; agents still `running` with no event for `staleAfterMs` are shown
    /// (and stored) as `aborted_stale`.
    public func agents(staleAfterMs: Int64 = 30 * 60 * 1000, now: Int64 = AgentLogStore.now()) throws(StoreError) -> [AgentRecord] {
        try write { db in
            try db.execute(sql: "UPDATE agents SET status = 'aborted_stale' WHERE status = 'running' AND last_event_at < ?",
                           arguments: [now - staleAfterMs])
        }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT session_id, agent_id, agent_type, project, status, started_at, ended_at, last_event_at
                FROM agents ORDER BY last_event_at DESC, id
                """).map {
                AgentRecord(session: $0[0], agentId: $0[1], agentType: $0[2], project: $0[3], status: $0[4], startedAt: $0[5],
                            endedAt: $0[6], lastEventAt: $0[7])
            }
        }
    }

    /// File claims, most recent first.
    public func fileClaims() throws(StoreError) -> [FileClaim] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT session_id, agent_id, path, project, tool, first_at, last_at, writes, expires_at, intent
                FROM file_claims ORDER BY last_at DESC
                """).map {
                FileClaim(session: $0[0], agentId: $0[1], path: $0[2], project: $0[3], tool: $0[4], firstAt: $0[5], lastAt: $0[6],
                          writes: $0[7], expiresAt: $0[8], intent: $0[9])
            }
        }
    }
}

/// An approach that did not work, remembered across compactions.
public struct FailedPath: Sendable, Equatable {
    /// The session it was noted in; nil when it is not tied to one session.
    public var session: String?
    /// The working directory it applies to.
    public var project: String?
    /// What was tried.
    public var approach: String
    /// Why it failed.
    public var reason: String
    /// The file it was about, if any.
    public var file: String?
    /// When it was noted, ms since 1970.
    public var createdAt: Int64

    /// Creates a value with these fields; `createdAt` defaults to now.
    public init(session: String?, project: String?, approach: String, reason: String, file: String?, createdAt: Int64 = AgentLogStore.now()) {
        self.session = session
        self.project = project
        self.approach = approach
        self.reason = reason
        self.file = file
        self.createdAt = createdAt
    }
}

extension AgentLogStore {
    /// Notes an approach that failed; the hook tells the agent about it after a compaction or
    /// a resume in the same session or project.
    public func addFailedPath(_ path: FailedPath) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO failed_paths (session_id, project, approach, reason, file, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [path.session, path.project, path.approach, path.reason, path.file, path.createdAt])
        }
    }

    /// Failed paths of a project (or all), newest first.
    public func failedPaths(project: String? = nil) throws(StoreError) -> [FailedPath] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT session_id, project, approach, reason, file, created_at FROM failed_paths
                WHERE ?1 IS NULL OR project = ?1 ORDER BY created_at DESC, id DESC
                """, arguments: [project]).map {
                FailedPath(session: $0[0], project: $0[1], approach: $0[2], reason: $0[3], file: $0[4], createdAt: $0[5])
            }
        }
    }
}
