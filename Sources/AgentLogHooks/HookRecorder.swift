import AgentLogRedaction
import AgentLogSQLite
/// Stores hook events and keeps what they imply current, each event in one transaction.
///
/// Idempotency: Claude Code gives an event no id, and one hook registered twice receives the
/// same payload twice, at the same moment. Two deliveries are one event when they belong to the
/// same session, their payload bytes are identical, and they arrived within
/// ``duplicateWindowMs`` of each other. Repeated notifications with identical payloads come
/// further apart and stay distinct. A payload replayed from the spool keeps the time it was
/// received, so replaying it twice (or after another process stored it) also collapses.
struct HookRecorder {
    static let duplicateWindowMs: Int64 = 2_000

    enum Outcome: Equatable {
        case stored(eventId: Int64, seq: Int64)
        case duplicate
    }

    let db: SQLiteConnection

    /// Records `payload`, received at `receivedAt` (ms since 1970), with the audit row of this
    /// hook run; returns what happened.
    func record(_ payload: HookPayload, receivedAt: Int64, channel: String = "hook", audit: (outcome: String, durationUs: () -> Int64)?)
        throws -> Outcome {
        try db.transaction { () throws -> Outcome in
            let hash = Int64(bitPattern: payload.hash)
            // Secrets are masked in the payload as stored (the hash stays the delivered bytes').
            let (stored, secrets) = try redactsSecrets() ? Self.masked(payload.bytes) : (payload.bytes, [])
            let existing = try db.statement("""
                SELECT id FROM events WHERE session_id = ?1 AND payload_hash = ?2 AND timestamp BETWEEN ?3 - ?4 AND ?3 + ?4
                  AND payload = ?5 LIMIT 1
                """)
            existing.bind(1, payload.sessionId)
            existing.bind(2, hash)
            existing.bind(3, receivedAt)
            existing.bind(4, Self.duplicateWindowMs)
            existing.bind(5, utf8: stored)
            let found = try existing.step()
            existing.reset()
            if found {
                if let audit {
                    try writeAudit(payload, eventId: nil, receivedAt: receivedAt, outcome: "duplicate", durationUs: audit.durationUs(), masking: !secrets.isEmpty)
                }
                return .duplicate
            }
            let insert = try db.statement(SharedStatements.insertEvent)
            SharedStatements.bindEvent(insert, session: payload.sessionId, channel: channel, type: payload.event, timestamp: receivedAt,
                                       payload: stored, payloadHash: payload.hash, toolUseId: payload.toolUseId,
                                       agentId: payload.agentId)
            guard let row = try insert.runReturning({ ($0.int64(0), $0.int64(1)) }), let eventId = row.0, let seq = row.1 else {
                throw HookError("\(db.path): the event was not stored")
            }
            try recordRedactions(secrets, session: payload.sessionId, eventId: eventId, at: receivedAt)
            try updateDerivedState(payload, eventId: eventId, at: receivedAt, masking: !secrets.isEmpty)
            if let audit {
                try writeAudit(payload, eventId: eventId, receivedAt: receivedAt, outcome: audit.outcome, durationUs: audit.durationUs(), masking: !secrets.isEmpty)
            }
            return .stored(eventId: eventId, seq: seq)
        }
    }

    /// Whether the database masks secrets in what it stores (`store_options.redact`, v12).
    private func redactsSecrets() throws -> Bool {
        let exists = try db.statement("SELECT 1 FROM sqlite_master WHERE name = 'store_options'")
        defer { exists.reset() }
        guard try exists.step() else { return false }
        let option = try db.statement("SELECT value = 'on' FROM store_options WHERE name = 'redact'")
        defer { option.reset() }
        return try option.step() && option.bool(0)
    }

    /// `bytes` with their secrets masked (the same bytes when there are none).
    static func masked(_ bytes: [UInt8]) -> ([UInt8], [SecretFinding]) {
        let (text, findings) = Redactor.redact(String(decoding: bytes, as: UTF8.self))
        return findings.isEmpty ? (bytes, []) : (Array(text.utf8), findings)
    }

    private func recordRedactions(_ findings: [SecretFinding], session: String, eventId: Int64, at time: Int64) throws {
        for finding in findings {
            let insert = try db.statement("""
                INSERT OR IGNORE INTO redactions (kind, location, agent_session, item, position, hint, found_at)
                VALUES (?, 'events.payload', ?, ?, ?, ?, ?)
                """)
            insert.bind(1, finding.kind.rawValue)
            insert.bind(2, session)
            insert.bind(3, String(eventId))
            insert.bind(4, finding.start)
            insert.bind(5, finding.hint)
            insert.bind(6, time)
            try insert.run()
        }
    }

    /// The audit row; its summary is masked too when the payload held secrets (`masking`).
    private func writeAudit(_ payload: HookPayload, eventId: Int64?, receivedAt: Int64, outcome: String, durationUs: Int64, masking: Bool) throws {
        let statement = try db.statement("""
            INSERT INTO hook_runs (event_id, event, session_id, summary, received_at, duration_us, exit_code, outcome)
            VALUES (?, ?, ?, ?, ?, ?, 0, ?)
            """)
        statement.bind(1, eventId)
        statement.bind(2, payload.event)
        statement.bind(3, payload.sessionId)
        statement.bind(4, masking ? Redactor.redact(payload.summary).text : payload.summary)
        statement.bind(5, receivedAt)
        statement.bind(6, durationUs)
        statement.bind(7, outcome)
        try statement.run()
    }

    /// Runs one statement with `values` bound in order.
    func run(_ sql: String, _ values: [SQLiteValue]) throws {
        let statement = try db.statement(sql)
        statement.bind(values)
        try statement.run()
    }
}
