import AgentLogDatabase
import AgentLogIngest
import GRDB

/// What storing one OTLP export changed.
public struct TelemetryWriteResult: Sendable, Equatable {
    /// Model calls stored.
    public var requests = 0
    /// Failed calls stored.
    public var errors = 0
    /// Metric points stored.
    public var points = 0
    /// Events and points already stored (an exporter sent them again): left as they were.
    public var duplicates = 0

    /// Nothing stored yet.
    public init() {}
}

extension AgentLogStore {
    /// Stores what an OTLP export held, in one transaction; an event or point sent twice is kept
    /// once.
    public func recordTelemetry(_ batch: TelemetryBatch, receivedAt: Int64) async throws(StoreError) -> TelemetryWriteResult {
        try await write { db in try Self.insert(batch, receivedAt: receivedAt, db: db) }
    }

    /// The same, on the caller's thread (tests and tools).
    public func recordTelemetrySynchronously(_ batch: TelemetryBatch, receivedAt: Int64) throws(StoreError) -> TelemetryWriteResult {
        try write { db in try Self.insert(batch, receivedAt: receivedAt, db: db) }
    }

    private static func insert(_ batch: TelemetryBatch, receivedAt: Int64, db: Database) throws -> TelemetryWriteResult {
        var result = TelemetryWriteResult()
        let requests = try db.cachedStatement(sql: """
            INSERT INTO telemetry_requests (key, request_id, session_id, prompt_id, model, timestamp, input_tokens, output_tokens,
                                            cache_creation_tokens, cache_read_tokens, cost_pico, duration_ms, query_source, received_at, usage_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,
                    (SELECT id FROM usage WHERE request_id = ?2 AND request_id <> '' ORDER BY id LIMIT 1))
            ON CONFLICT (key) DO NOTHING
            """)
        for call in batch.requests {
            try requests.execute(arguments: [call.key, call.requestId, call.sessionId, call.promptId, call.model, call.timestamp,
                                             call.tokens.input, call.tokens.output, call.tokens.cacheCreation, call.tokens.cacheRead,
                                             call.costPico, call.durationMs, call.querySource, receivedAt])
            if db.changesCount > 0 { result.requests += 1 } else { result.duplicates += 1 }
        }
        let errors = try db.cachedStatement(sql: """
            INSERT INTO telemetry_errors (key, request_id, session_id, model, timestamp, message, status_code, duration_ms, attempt, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING
            """)
        for error in batch.errors {
            try errors.execute(arguments: [error.key, error.requestId, error.sessionId, error.model, error.timestamp, error.message,
                                           error.statusCode, error.durationMs, error.attempt, receivedAt])
            if db.changesCount > 0 { result.errors += 1 } else { result.duplicates += 1 }
        }
        let points = try db.cachedStatement(sql: """
            INSERT INTO telemetry_metric_points (metric, unit, session_id, model, type, temporality, start_ns, time_ns, value, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """)
        for point in batch.points {
            try points.execute(arguments: [point.metric, point.unit, point.sessionId, point.model, point.type, point.temporality.rawValue,
                                           point.startNanos, point.timeNanos, point.value, receivedAt])
            if db.changesCount > 0 { result.points += 1 } else { result.duplicates += 1 }
        }
        return result
    }

    /// Whether any telemetry was ever received: reports skip their telemetry queries otherwise.
    public func hasTelemetry() throws(StoreError) -> Bool {
        try read { db in try Self.hasTelemetry(db) }
    }
}
