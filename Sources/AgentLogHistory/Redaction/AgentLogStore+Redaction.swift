import AgentLogDatabase
import AgentLogJSON
import AgentLogRedaction
import GRDB

/// `agentlog.secrets.v1`: the secrets masked in this database, where they were, never what.
public struct SecretList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.secrets.v1"
    /// Whether new text is masked before it is stored.
    public var redacting: Bool
    /// How many secrets were masked in all.
    public var total: Int
    /// The most recent first.
    public var rows: [MaskedSecretRow]
}

/// One masked secret.
public struct MaskedSecretRow: Encodable, Sendable, Equatable {
    /// Its kind (`anthropic-key`, `url-password`, …).
    public var kind: String
    /// Where it was: `table.column`.
    public var location: String
    /// The agent's session id ('' when not known).
    public var session: String
    /// The message uuid, tool_use id or event id it was in.
    public var item: String
    /// A public prefix and the length: never the secret.
    public var hint: String
    /// When it was masked, ms since 1970.
    public var foundAt: Int64
}

/// What `agentlog db redact` changed.
public struct RedactionResult: Sendable, Equatable {
    /// Rows whose text was rewritten.
    public var rowsChanged = 0
    /// Secrets masked.
    public var secrets = 0
    /// Rows read.
    public var rowsScanned = 0
}

extension AgentLogStore {
    /// Whether new text is masked before it is stored (`store_options.redact`; on for a
    /// database created new, off for one that held history before redaction existed).
    public func redactsSecrets() throws(StoreError) -> Bool {
        try read { db in
            guard try db.tableExists("store_options") else { return false }
            return try String.fetchOne(db, sql: "SELECT value FROM store_options WHERE name = 'redact'") == "on"
        }
    }

    /// Turns masking of new text on or off.
    public func setRedaction(_ on: Bool) throws(StoreError) {
        try write { db in
            try db.execute(sql: "INSERT INTO store_options (name, value) VALUES ('redact', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                           arguments: [on ? "on" : "off"])
        }
    }

    /// Records where secrets were masked (inside the writer's transaction).
    static func recordRedactions(_ secrets: [MaskedSecret], at time: Int64, _ db: Database) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO redactions (kind, location, agent_session, item, position, hint, found_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for secret in secrets {
            try insert.execute(arguments: [secret.finding.kind.rawValue, secret.location, secret.session, secret.item,
                                           secret.finding.start, secret.finding.hint, time])
        }
    }

    /// The secrets masked so far, the most recent first.
    public func maskedSecrets(session: String? = nil, limit: Int = 100) throws(StoreError) -> SecretList {
        let redacting = try redactsSecrets()
        return try read { db in
            guard try db.tableExists("redactions") else { return SecretList(redacting: redacting, total: 0, rows: []) }
            let filter = session.map { _ in "WHERE agent_session LIKE ? || '%'" } ?? ""
            let arguments: StatementArguments = session.map { [$0] } ?? []
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM redactions \(filter)", arguments: arguments) ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT kind, location, agent_session, item, hint, found_at FROM redactions \(filter) ORDER BY found_at DESC, id DESC LIMIT ?
                """, arguments: arguments + [limit]).map {
                MaskedSecretRow(kind: $0[0], location: $0[1], session: $0[2], item: $0[3], hint: $0[4], foundAt: $0[5])
            }
            return SecretList(redacting: redacting, total: total, rows: rows)
        }
    }

    /// The stored text that `agentlog db redact` rewrites: table, key columns (session, item)
    /// and the text columns.
    static let redactable: [(table: String, key: String, session: String, item: String, columns: [String])] = [
        ("messages", "id", "(SELECT session_id FROM sessions s WHERE s.id = t.session_id)", "uuid", ["text", "thinking"]),
        ("tool_calls", "id", "(SELECT session_id FROM sessions s WHERE s.id = t.session_id)", "tool_use_id", ["input_preview", "output_preview"]),
        ("sessions", "id", "session_id", "''", ["title", "first_prompt", "summary"]),
        ("summaries", "leaf_uuid", "''", "leaf_uuid", ["summary"]),
        ("events", "id", "session_id", "CAST(id AS TEXT)", ["payload"]),
        ("hook_runs", "id", "COALESCE(session_id, '')", "CAST(COALESCE(event_id, '') AS TEXT)", ["summary"]),
        ("tool_errors", "id", "session_id", "COALESCE(tool_use_id, '')", ["error"]),
        ("verdicts", "id", "session_id", "CAST(event_id AS TEXT)", ["reason"]),
        ("context_snapshots", "id", "session_id", "CAST(id AS TEXT)", ["content"]),
    ]

    /// Masks the secrets in text already stored (messages, tool calls, session titles and
    /// prompts, summaries, event payloads) in short transactions with SQLite's secure delete
    /// on (the old text is overwritten, not left in free pages), rebuilds the search indexes
    /// from the masked text, checkpoints the WAL away, and turns masking of new text on.
    /// `progress` gets (rows done, rows in all).
    public func redactStoredText(progress: ((Int, Int) -> Void)? = nil) throws(StoreError) -> RedactionResult {
        var result = RedactionResult()
        let total = try read { db in
            try Self.redactable.reduce(0) { $0 + (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($1.table)") ?? 0) }
        }
        let now = Self.now()
        try setSecureDelete(true)
        defer { try? setSecureDelete(false) }
        for source in Self.redactable {
            var after: DatabaseValue?
            while true {
                let (last, scanned, changed, secrets) = try write { db in try Self.maskRows(of: source, after: after, at: now, db) }
                result.rowsChanged += changed
                result.secrets += secrets
                guard let last else { break }
                after = last
                result.rowsScanned += scanned
                progress?(result.rowsScanned, total)
            }
        }
        try rebuildSearchIndexes()
        try setRedaction(true)
        try checkpointTruncating()
        return result
    }

    /// Masks the secrets in up to 2,000 rows of `source` after key `after` (from the start when
    /// nil), inside the caller's transaction: the last key read, rows read, rows changed,
    /// secrets masked.
    static func maskRows(of source: (table: String, key: String, session: String, item: String, columns: [String]),
                         after: DatabaseValue?, at now: Int64, _ db: Database) throws -> (DatabaseValue?, Int, Int, Int) {
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(source.key), \(source.session), \(source.item), \(source.columns.joined(separator: ", ")) FROM \(source.table) t
            \(after == nil ? "" : "WHERE \(source.key) > ?") ORDER BY \(source.key) LIMIT 2000
            """, arguments: after.map { [$0] } ?? [])
        var changed = 0, secrets = 0
        for row in rows {
            var changes: [String: String] = [:], found: [MaskedSecret] = []
            for (offset, column) in source.columns.enumerated() {
                guard let text = row[3 + offset] as String? else { continue }
                let (masked, findings) = Redactor.redact(text)
                guard !findings.isEmpty else { continue }
                changes[column] = masked
                found += findings.map { MaskedSecret(location: "\(source.table).\(column)", session: row[1] ?? "", item: row[2] ?? "", finding: $0) }
            }
            guard !changes.isEmpty else { continue }
            let columns = changes.keys.sorted()
            try db.execute(sql: "UPDATE \(source.table) SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE \(source.key) = ?",
                           arguments: StatementArguments(columns.map { changes[$0]! }) + [row[0] as DatabaseValue])
            try recordRedactions(found, at: now, db)
            changed += 1
            secrets += found.count
        }
        return (rows.last.map { $0[0] as DatabaseValue }, rows.count, changed, secrets)
    }

    /// Masks the rows an import added (keys above those in `before`, by table), inside its
    /// transaction, when this database masks secrets; returns the secrets masked.
    static func maskImportedRows(after before: [String: Int64], at now: Int64, _ db: Database) throws -> Int {
        var secrets = 0
        for source in redactable where before[source.table] != nil {
            var after: DatabaseValue? = before[source.table]!.databaseValue
            while true {
                let (last, _, _, masked) = try maskRows(of: source, after: after, at: now, db)
                secrets += masked
                guard let last else { break }
                after = last
            }
        }
        return secrets
    }

    private func setSecureDelete(_ on: Bool) throws(StoreError) {
        try writeOutsideTransaction { db in try db.execute(sql: "PRAGMA secure_delete = \(on ? "ON" : "OFF")") }
    }

    private func checkpointTruncating() throws(StoreError) {
        try writeOutsideTransaction { db in _ = try db.checkpoint(.truncate) }
    }
}
