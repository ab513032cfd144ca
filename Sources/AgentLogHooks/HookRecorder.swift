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
            let existing = try db.statement("""
                SELECT id FROM events WHERE session_id = ?1 AND payload_hash = ?2 AND timestamp BETWEEN ?3 - ?4 AND ?3 + ?4
                  AND payload = ?5 LIMIT 1
                """)
            existing.bind(1, payload.sessionId)
            existing.bind(2, hash)
            existing.bind(3, receivedAt)
            existing.bind(4, Self.duplicateWindowMs)
            existing.bind(5, utf8: payload.bytes)
            let found = try existing.step()
            existing.reset()
            if found {
                if let audit { try writeAudit(payload, eventId: nil, receivedAt: receivedAt, outcome: "duplicate", durationUs: audit.durationUs()) }
                return .duplicate
            }
            let insert = try db.statement(SharedStatements.insertEvent)
            SharedStatements.bindEvent(insert, session: payload.sessionId, channel: channel, type: payload.event, timestamp: receivedAt,
                                       payload: payload.bytes, payloadHash: payload.hash, toolUseId: payload.toolUseId,
                                       agentId: payload.agentId)
            guard let row = try insert.runReturning({ ($0.int64(0), $0.int64(1)) }), let eventId = row.0, let seq = row.1 else {
                throw HookError("\(db.path): the event was not stored")
            }
            try updateDerivedState(payload, eventId: eventId, at: receivedAt)
            if let audit { try writeAudit(payload, eventId: eventId, receivedAt: receivedAt, outcome: audit.outcome, durationUs: audit.durationUs()) }
            return .stored(eventId: eventId, seq: seq)
        }
    }

    private func writeAudit(_ payload: HookPayload, eventId: Int64?, receivedAt: Int64, outcome: String, durationUs: Int64) throws {
        let statement = try db.statement("""
            INSERT INTO hook_runs (event_id, event, session_id, summary, received_at, duration_us, exit_code, outcome)
            VALUES (?, ?, ?, ?, ?, ?, 0, ?)
            """)
        statement.bind(1, eventId)
        statement.bind(2, payload.event)
        statement.bind(3, payload.sessionId)
        statement.bind(4, payload.summary)
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
