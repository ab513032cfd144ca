import AgentLogDatabase
import AgentLogSQLite
import Foundation
import GRDB

/// A conversation an app keeps through the library: a row of `sessions` of kind `app`, so
/// `agentlog sessions`, `show` and `search` see it beside the synced transcripts.
public struct AppSession: Sendable, Equatable, Codable, Identifiable {
    /// The session's id (a UUID unless the app chose one).
    public var id: String
    /// The database row, which the message calls use.
    public var rowId: Int64
    /// The app or agent it belongs to.
    public var agent: String
    /// The project (``Project/id``) it belongs to, if any.
    public var projectId: Int64?
    /// A title to show in lists.
    public var title: String?
    /// ms since 1970.
    public var createdAt: Int64
    /// When the last message was appended.
    public var updatedAt: Int64
    /// Messages kept (at most the store's ``AgentLogStore/messageCap``).
    public var messageCount: Int
    /// The seq of the last message appended.
    public var lastSeq: Int

    /// The columns of a `sessions` row `s`; the message figures come from the ends of its
    /// (session_id, uuid) index.
    static let columns = """
        s.session_id, s.id, s.agent, s.project_id, s.title, s.started_at,
        COALESCE((SELECT timestamp FROM messages WHERE session_id = s.id ORDER BY uuid DESC LIMIT 1), s.started_at) AS updated_at,
        (SELECT max(uuid) FROM messages WHERE session_id = s.id), (SELECT min(uuid) FROM messages WHERE session_id = s.id)
        """

    init(row: Row) {
        let last = AppMessage.seq(ofKey: row[7]) ?? 0
        let first = AppMessage.seq(ofKey: row[8]) ?? 1
        self.init(id: row[0], rowId: row[1], agent: row[2], projectId: row[3], title: row[4], createdAt: row[5], updatedAt: row[6],
                  messageCount: last == 0 ? 0 : last - first + 1, lastSeq: last)
    }

    /// Creates a value with these fields.
    public init(id: String, rowId: Int64, agent: String, projectId: Int64?, title: String?, createdAt: Int64, updatedAt: Int64,
                messageCount: Int, lastSeq: Int) {
        self.id = id
        self.rowId = rowId
        self.agent = agent
        self.projectId = projectId
        self.title = title
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.messageCount = messageCount
        self.lastSeq = lastSeq
    }
}

/// A message of an app session.
public struct AppMessage: Sendable, Equatable, Codable {
    /// 1, 2, … in the order appended.
    public var seq: Int
    /// `user`, `assistant`, `system` or `tool`.
    public var role: String
    /// The whole text (app messages are stored whole, not cut to a preview).
    public var text: String
    /// ms since 1970.
    public var timestamp: Int64
    /// The model that answered, if any.
    public var model: String?
    /// Whether it failed.
    public var isError: Bool
    /// JSON the app keeps with the message.
    public var metadata: String?

    /// A message to append (its seq is given by ``AgentLogStore/appendMessage(_:to:)``).
    public init(role: String, text: String, model: String? = nil, isError: Bool = false, metadata: String? = nil,
                timestamp: Int64 = AgentLogStore.now()) {
        self.init(seq: 0, role: role, text: text, timestamp: timestamp, model: model, isError: isError, metadata: metadata)
    }

    /// Creates a value with these fields.
    public init(seq: Int, role: String, text: String, timestamp: Int64, model: String?, isError: Bool, metadata: String?) {
        self.seq = seq
        self.role = role
        self.text = text
        self.timestamp = timestamp
        self.model = model
        self.isError = isError
        self.metadata = metadata
    }

    /// The `messages.uuid` of an app message: the session's row id and the seq, zero-padded, so
    /// that text order is seq order within the session and the global uuid index receives each
    /// session's messages side by side (an append touches the page the last one did).
    static func key(session: Int64, seq: Int) -> String {
        padded(Int(session)) + padded(seq)
    }

    /// The seq of a key (its last 12 digits).
    static func seq(ofKey key: String?) -> Int? {
        key.flatMap { Int($0.suffix(12)) }
    }

    private static func padded(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
    }
}

extension AgentLogStore {
    /// Starts an app session.
    ///
    /// ```swift
    /// let session = try await store.createSession(agent: "my-agent", title: "Refactor the parser")
    /// try await store.appendMessage(AppMessage(role: "user", text: "Split Parser.swift"), to: session)
    /// let (restored, messages) = try await store.loadSession(id: session.id)!
    /// ```
    public func createSession(agent: String = "app", id: String = UUID().uuidString.lowercased(), projectId: Int64? = nil,
                              title: String? = nil, at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> AppSession {
        guard !agent.isEmpty, !id.isEmpty else { throw StoreError.invalidValue(what: "session", reason: "the agent and the id must not be empty") }
        return try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM sessions WHERE session_id = ? AND agent = ?", arguments: [id, agent]) == true {
                throw StoreError.invalidValue(what: "session id \(id)", reason: "\(agent) already has a session with it")
            }
            let rowId = try Int64.fetchOne(db, sql: """
                INSERT INTO sessions (agent, session_id, project_id, cwd, title, title_is_custom, started_at, ended_at, kind)
                VALUES (?1, ?2, ?3, (SELECT path FROM projects WHERE id = ?3), ?4, ?4 IS NOT NULL, ?5, ?5, 'app')
                RETURNING id
                """, arguments: [agent, id, projectId, title, time])!
            return AppSession(id: id, rowId: rowId, agent: agent, projectId: projectId, title: title, createdAt: time, updatedAt: time,
                              messageCount: 0, lastSeq: 0)
        }
    }

    /// Appends a message to an app session and saves it at once (the transaction commits before
    /// this returns). Past the store's ``messageCap`` the oldest messages are dropped. Returns
    /// the message with its seq. The session row's end time (what `agentlog sessions` shows)
    /// follows to the minute; ``AppSession/updatedAt`` is exact.
    @discardableResult
    public func appendMessage(_ message: AppMessage, to session: AppSession) async throws(StoreError) -> AppMessage {
        try await appendMessages([message], to: session)[0]
    }

    /// Appends several messages to an app session in one transaction (an import, or a turn's
    /// messages at once): all are saved, or none. Returns them with their seqs.
    @discardableResult
    public func appendMessages(_ messages: [AppMessage], to session: AppSession) async throws(StoreError) -> [AppMessage] {
        let cap = messageCap
        let rowId = session.rowId
        return try await write { db in
            // The session (it must be an app's) and the ends of its messages, from the index.
            let ends = try RawStatement.cached(db, """
                SELECT kind, ended_at, (SELECT max(uuid) FROM messages WHERE session_id = ?1),
                       CASE WHEN ?2 THEN (SELECT min(uuid) FROM messages WHERE session_id = ?1) END
                FROM sessions WHERE id = ?1
                """)
            ends.bind(1, rowId)
            ends.bind(2, cap != nil)
            guard let (kind, endedAt, last, first) = try ends.runReturning({
                ($0.text(0), $0.int64(1) ?? 0, AppMessage.seq(ofKey: $0.text(2)) ?? 0, AppMessage.seq(ofKey: $0.text(3)) ?? 1)
            }), kind == "app" else {
                throw StoreError.notFound(what: "app session \(session.id)")
            }
            let insert = try RawStatement.cached(db, """
                INSERT INTO messages (session_id, uuid, role, timestamp, model, text, text_length, is_error, is_prompt, metadata)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                """)
            var stored = messages
            var latest = endedAt
            for index in stored.indices {
                let message = stored[index]
                stored[index].seq = last + 1 + index
                insert.bind(1, rowId)
                insert.bind(2, AppMessage.key(session: rowId, seq: stored[index].seq))
                insert.bind(3, message.role)
                insert.bind(4, message.timestamp)
                insert.bind(5, message.model)
                insert.bind(6, message.text)
                insert.bind(7, message.text.utf8.count)
                insert.bind(8, message.isError)
                insert.bind(9, message.role == "user")
                insert.bind(10, message.metadata)
                try insert.run()
                latest = max(latest, message.timestamp)
            }
            // The session's end, for `agentlog sessions`, to the minute: one page less per append.
            if latest >= endedAt + 60_000 {
                try db.execute(sql: "UPDATE sessions SET ended_at = ? WHERE id = ?", arguments: [latest, rowId])
            }
            let seq = last + stored.count
            if let cap, seq - first + 1 > cap {
                try db.execute(sql: "DELETE FROM messages WHERE session_id = ? AND uuid <= ?", arguments: [rowId, AppMessage.key(session: rowId, seq: seq - cap)])
            }
            return stored
        }
    }

    /// An app session and all its messages in order: what an app reloads after a restart.
    public func loadSession(id: String, agent: String? = nil) async throws(StoreError) -> (session: AppSession, messages: [AppMessage])? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT \(AppSession.columns) FROM sessions s WHERE s.session_id = ?1 AND s.kind = 'app' AND (?2 IS NULL OR s.agent = ?2)
                ORDER BY s.started_at DESC LIMIT 1
                """, arguments: [id, agent]) else { return nil }
            let session = AppSession(row: row)
            var messages: [AppMessage] = []
            messages.reserveCapacity(session.messageCount)
            var lastRole: String?, lastModel: String?
            try RawStatement.forEachRow(db, """
                SELECT uuid, role, timestamp, model, text, is_error, metadata FROM messages WHERE session_id = ?1 ORDER BY uuid
                """, bind: { $0.bind(1, session.rowId) }) { row in
                messages.append(AppMessage(seq: AppMessage.seq(ofKey: row.text(0)) ?? 0, role: row.text(1, sameAs: &lastRole) ?? "user",
                                           text: row.text(4) ?? "", timestamp: row.int64(2) ?? 0, model: row.text(3, sameAs: &lastModel),
                                           isError: row.bool(5), metadata: row.text(6)))
            }
            return (session, messages)
        }
    }

    /// App sessions, the most recently updated first.
    public func appSessions(agent: String? = nil, limit: Int = 50) async throws(StoreError) -> [AppSession] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(AppSession.columns) FROM sessions s WHERE s.kind = 'app' AND (?1 IS NULL OR s.agent = ?1)
                ORDER BY updated_at DESC, s.id DESC LIMIT ?2
                """, arguments: [agent, limit]).map(AppSession.init(row:))
        }
    }

    /// Deletes an app session with its messages.
    @discardableResult
    public func deleteSession(_ session: AppSession) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE id = ? AND kind = 'app'", arguments: [session.rowId])
            return db.changesCount > 0
        }
    }
}
