import AgentLogIngest
import AgentLogSQLite
import GRDB

extension BatchWriter {
    /// Stores an agent's rate-limit readings (Codex's `token_count` events) through the
    /// statement the statusline also writes them with; a database older than the table
    /// (migration tests fill older schemas) keeps none.
    func insert(_ readings: [RateLimitRow]) throws {
        guard !readings.isEmpty, try db.tableExists("rate_limit_samples") else { return }
        for reading in readings {
            let insert = try statements.raw(shared: SharedStatements.insertRateLimitSample)
            SharedStatements.bindRateLimitSample(insert, agent: agent, window: reading.window, observedAt: reading.observedAt,
                                                 usedPercent: reading.usedPercent, windowMinutes: reading.windowMinutes,
                                                 resetsAt: reading.resetsAt, sessionId: reading.sessionId, source: "transcript")
            try insert.run()
        }
    }
}
