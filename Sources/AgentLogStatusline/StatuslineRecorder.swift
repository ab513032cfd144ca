import AgentLogSQLite

/// Keeps what a statusline payload says: the session's latest payload and each rate-limit
/// window's reading when it changed. One short transaction; a busy database is skipped, since
/// the next payload comes seconds later.
struct StatuslineRecorder {
    let db: SQLiteConnection

    /// Payloads larger than this are not kept whole (a statusline payload is about 1 KB).
    static let payloadLimit = 65_536

    func record(_ payload: StatuslinePayload, at now: Int64) throws {
        try db.transaction {
            if !payload.sessionId.isEmpty {
                let upsert = try db.statement("""
                    INSERT INTO statusline_sessions (session_id, observed_at, model, cwd, cost_micros, context_used_percent,
                                                     context_window_size, payload)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                    ON CONFLICT (session_id) DO UPDATE SET observed_at = excluded.observed_at, model = excluded.model,
                        cwd = excluded.cwd, cost_micros = excluded.cost_micros, context_used_percent = excluded.context_used_percent,
                        context_window_size = excluded.context_window_size, payload = excluded.payload
                    WHERE excluded.observed_at >= statusline_sessions.observed_at
                    """)
                upsert.bind(1, payload.sessionId)
                upsert.bind(2, now)
                upsert.bind(3, payload.modelId)
                upsert.bind(4, payload.directory)
                upsert.bind(5, payload.sessionCostMicros)
                upsert.bind(6, payload.contextUsedPercent)
                upsert.bind(7, payload.contextWindowSize)
                upsert.bind(8, utf8: payload.bytes.count <= Self.payloadLimit ? payload.bytes : Array("{}".utf8))
                try upsert.run()
            }
            for (window, minutes, reading) in [("five_hour", 300, payload.fiveHour), ("seven_day", 10_080, payload.sevenDay)] {
                guard let reading else { continue }
                let insert = try db.statement(SharedStatements.insertRateLimitSample)
                SharedStatements.bindRateLimitSample(insert, agent: "claude", window: window, observedAt: now, usedPercent: reading.usedPercent,
                                                     windowMinutes: minutes, resetsAt: reading.resetsAt, sessionId: payload.sessionId,
                                                     source: "statusline")
                try insert.run()
            }
        }
    }
}
