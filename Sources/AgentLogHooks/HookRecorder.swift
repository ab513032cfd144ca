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
        throws(HookError) -> Outcome {
        try db.transaction { () throws(HookError) -> Outcome in
            let hash = Int64(bitPattern: payload.hash)
            let existing = try db.prepare("""
                SELECT id FROM events WHERE session_id = ?1 AND payload_hash = ?2 AND timestamp BETWEEN ?3 - ?4 AND ?3 + ?4
                  AND payload = ?5 LIMIT 1
                """)
            existing.bind(1, payload.sessionId)
            existing.bind(2, hash)
            existing.bind(3, receivedAt)
            existing.bind(4, Self.duplicateWindowMs)
            existing.bind(5, bytes: payload.bytes)
            if try existing.step() {
                if let audit { try writeAudit(payload, eventId: nil, receivedAt: receivedAt, outcome: "duplicate", durationUs: audit.durationUs()) }
                return .duplicate
            }
            let insert = try db.prepare("""
                INSERT INTO events (session_id, seq, channel, type, timestamp, payload, payload_hash, tool_use_id, agent_id)
                VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE session_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                RETURNING id, seq
                """)
            insert.bind(1, payload.sessionId)
            insert.bind(2, channel)
            insert.bind(3, payload.event)
            insert.bind(4, receivedAt)
            insert.bind(5, bytes: payload.bytes)
            insert.bind(6, hash)
            insert.bind(7, payload.toolUseId)
            insert.bind(8, payload.agentId)
            guard try insert.step(), let eventId = insert.int64(0), let seq = insert.int64(1) else {
                throw HookError("\(db.path): the event was not stored")
            }
            insert.reset()
            try updateDerivedState(payload, eventId: eventId, at: receivedAt)
            if let audit { try writeAudit(payload, eventId: eventId, receivedAt: receivedAt, outcome: audit.outcome, durationUs: audit.durationUs()) }
            return .stored(eventId: eventId, seq: seq)
        }
    }

    private func writeAudit(_ payload: HookPayload, eventId: Int64?, receivedAt: Int64, outcome: String, durationUs: Int64) throws(HookError) {
        let statement = try db.prepare("""
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
    func run(_ sql: String, _ values: [HookValue]) throws(HookError) {
        let statement = try db.prepare(sql)
        statement.bind(values)
        try statement.run()
    }
}

/// A value bound into a hook statement.
enum HookValue {
    case int(Int64?)
    case text(String?)
}
