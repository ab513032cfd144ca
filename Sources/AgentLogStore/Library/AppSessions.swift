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
    public var projectId: Int64?
    public var title: String?
    /// ms since 1970.
    public var createdAt: Int64
    /// When the last message was appended.
    public var updatedAt: Int64
    /// Messages kept (at most the store's ``AgentLogStore/messageCap``).
    public var messageCount: Int
    /// The seq of the last message appended.
    public var lastSeq: Int

    static let columns = "session_id, id, agent, project_id, title, started_at, ended_at, COALESCE(message_count, 0), COALESCE(message_seq, 0)"

    init(row: Row) {
        self.init(id: row[0], rowId: row[1], agent: row[2], projectId: row[3], title: row[4], createdAt: row[5], updatedAt: row[6],
                  messageCount: row[7], lastSeq: row[8])
    }

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
    public var text: String
    /// ms since 1970.
    public var timestamp: Int64
    public var model: String?
    public var isError: Bool
    /// JSON the app keeps with the message.
    public var metadata: String?

    /// A message to append (its seq is given by ``AgentLogStore/appendMessage(_:to:)``).
    public init(role: String, text: String, model: String? = nil, isError: Bool = false, metadata: String? = nil,
                timestamp: Int64 = AgentLogStore.now()) {
        self.init(seq: 0, role: role, text: text, timestamp: timestamp, model: model, isError: isError, metadata: metadata)
    }

    public init(seq: Int, role: String, text: String, timestamp: Int64, model: String?, isError: Bool, metadata: String?) {
        self.seq = seq
        self.role = role
        self.text = text
        self.timestamp = timestamp
        self.model = model
        self.isError = isError
        self.metadata = metadata
    }

    /// The `messages.uuid` of an app message: its seq, zero-padded so that text order is seq order.
    static func key(_ seq: Int) -> String { String(format: "%012d", seq) }
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
        return try await writeAsync { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM sessions WHERE session_id = ? AND agent = ?", arguments: [id, agent]) == true {
                throw StoreError.invalidValue(what: "session id \(id)", reason: "\(agent) already has a session with it")
            }
            let row = try Row.fetchOne(db, sql: """
                INSERT INTO sessions (agent, session_id, project_id, cwd, title, title_is_custom, started_at, ended_at, kind,
                                      message_seq, message_count)
                VALUES (?1, ?2, ?3, (SELECT path FROM projects WHERE id = ?3), ?4, ?4 IS NOT NULL, ?5, ?5, 'app', 0, 0)
                RETURNING \(AppSession.columns)
                """, arguments: [agent, id, projectId, title, time])
            return AppSession(row: row!)
        }
    }

    /// Appends a message to an app session and saves it at once (the transaction commits before
    /// this returns). Past the store's ``messageCap`` the oldest messages are dropped. Returns
    /// the message with its seq.
    @discardableResult
    public func appendMessage(_ message: AppMessage, to session: AppSession) async throws(StoreError) -> AppMessage {
        let cap = messageCap
        let rowId = session.rowId
        return try await writeAsync { db in
            guard let counters = try Row.fetchOne(db, sql: """
                UPDATE sessions SET message_seq = message_seq + 1, message_count = message_count + 1, ended_at = max(ended_at, ?2)
                WHERE id = ?1 AND kind = 'app' RETURNING message_seq, message_count
                """, arguments: [rowId, message.timestamp]) else {
                throw StoreError.notFound(what: "app session \(session.id)")
            }
            let seq: Int = counters[0]
            let count: Int = counters[1]
            let insert = try db.cachedStatement(sql: """
                INSERT INTO messages (session_id, uuid, role, timestamp, model, text, text_length, is_error, is_prompt, metadata)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            try insert.execute(arguments: [rowId, AppMessage.key(seq), message.role, message.timestamp, message.model, message.text,
                                           message.text.utf8.count, message.isError, message.role == "user", message.metadata])
            if let cap, count > cap {
                try db.execute(sql: "DELETE FROM messages WHERE session_id = ? AND uuid <= ?", arguments: [rowId, AppMessage.key(seq - cap)])
                try db.execute(sql: "UPDATE sessions SET message_count = ? WHERE id = ?", arguments: [cap, rowId])
            }
            var stored = message
            stored.seq = seq
            return stored
        }
    }

    /// An app session and all its messages in order: what an app reloads after a restart.
    public func loadSession(id: String, agent: String? = nil) async throws(StoreError) -> (session: AppSession, messages: [AppMessage])? {
        try await readAsync { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT \(AppSession.columns) FROM sessions WHERE session_id = ? AND kind = 'app' AND (?2 IS NULL OR agent = ?2)
                ORDER BY ended_at DESC LIMIT 1
                """, arguments: [id, agent]) else { return nil }
            let session = AppSession(row: row)
            var messages: [AppMessage] = []
            messages.reserveCapacity(session.messageCount)
            var lastRole: String?, lastModel: String?
            try RawStatement.forEachRow(db, """
                SELECT uuid, role, timestamp, model, text, is_error, metadata FROM messages WHERE session_id = ?1 ORDER BY uuid
                """, bind: { $0.bind(1, session.rowId) }) { row in
                messages.append(AppMessage(seq: Int(row.text(0) ?? "") ?? 0, role: row.text(1, sameAs: &lastRole) ?? "user",
                                           text: row.text(4) ?? "", timestamp: row.int64(2) ?? 0, model: row.text(3, sameAs: &lastModel),
                                           isError: row.bool(5), metadata: row.text(6)))
            }
            return (session, messages)
        }
    }

    /// App sessions, the most recently updated first.
    public func appSessions(agent: String? = nil, limit: Int = 50) async throws(StoreError) -> [AppSession] {
        try await readAsync { db in
            try Row.fetchAll(db, sql: """
                SELECT \(AppSession.columns) FROM sessions WHERE kind = 'app' AND (?1 IS NULL OR agent = ?1)
                ORDER BY ended_at DESC, id DESC LIMIT ?2
                """, arguments: [agent, limit]).map(AppSession.init(row:))
        }
    }

    /// Deletes an app session with its messages.
    @discardableResult
    public func deleteSession(_ session: AppSession) async throws(StoreError) -> Bool {
        try await writeAsync { db in
            try db.execute(sql: "DELETE FROM sessions WHERE id = ? AND kind = 'app'", arguments: [session.rowId])
            return db.changesCount > 0
        }
    }
}
