import AgentLogDatabase
import AgentLogJSON
import GRDB

/// `agentlog.prune.v1`: what `agentlog db prune` removed, or would remove with `--dry-run`.
public struct PruneResult: SchemaResult, Equatable {
    /// The schema's name.
    public static let schema = "agentlog.prune.v1"
    /// Rows older than this (ms since 1970) were removed.
    public var cutoff: Int64
    /// Whether nothing was changed (the counts are what a prune would remove).
    public var dryRun: Bool
    /// Whether the raw archive of the pruned sessions was kept.
    public var keepArchive: Bool
    /// Sessions whose last activity is before the cutoff, with everything they hold.
    public var sessions = 0
    /// Their messages.
    public var messages = 0
    /// Their model responses (usage rows; the rollups are reduced by the same amounts).
    public var usageRecords = 0
    /// Their tool calls.
    public var toolCalls = 0
    /// Hook and app events received before the cutoff, with the hook runs that stored them.
    public var events = 0
    /// Telemetry calls, errors and metric points from before the cutoff.
    public var telemetryRecords = 0
    /// Archive chunks of source files that held only pruned sessions (0 with `keepArchive`).
    public var archiveChunks = 0
    /// Their compressed size.
    public var archiveBytes: Int64 = 0
}

extension AgentLogStore {
    /// How many sessions one pruning transaction removes (a hook or sync waits at most for one).
    static let pruneBatch = 200

    /// Removes what is older than `cutoff` (ms since 1970): sessions whose last activity is
    /// before it, with their messages, responses, tool calls, subagents and files touched (the
    /// usage rollups and search indexes follow through their triggers); events and hook runs
    /// received before it; telemetry from before it; and, unless `keepArchive`, the archive of
    /// source files that held only pruned sessions. The source files stay registered, so a sync
    /// does not read the pruned lines again. With `dryRun` nothing changes and the result
    /// counts what would go. Runs in short transactions; `progress` gets (sessions done, total).
    public func prune(olderThan cutoff: Int64, keepArchive: Bool = false, dryRun: Bool = false,
                      progress: ((Int, Int) -> Void)? = nil) throws(StoreError) -> PruneResult {
        let old = "SELECT id FROM sessions WHERE COALESCE(ended_at, started_at) < :cutoff"
        let pruneFiles = """
            SELECT file_id FROM session_files WHERE session_id IN (\(old))
            EXCEPT SELECT file_id FROM session_files WHERE session_id NOT IN (\(old))
            """
        let (plan, sessionIds, fileIds) = try read { db -> (PruneResult, [Int64], [Int64]) in
            let arguments: StatementArguments = ["cutoff": cutoff]
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0 }
            var plan = PruneResult(cutoff: cutoff, dryRun: dryRun, keepArchive: keepArchive)
            let sessionIds = try Int64.fetchAll(db, sql: old, arguments: arguments)
            plan.sessions = sessionIds.count
            plan.messages = try count("SELECT COUNT(*) FROM messages WHERE session_id IN (\(old))")
            plan.usageRecords = try count("SELECT COUNT(*) FROM usage WHERE session_id IN (\(old))")
            plan.toolCalls = try count("SELECT COUNT(*) FROM tool_calls WHERE session_id IN (\(old))")
            plan.events = try count("SELECT COUNT(*) FROM events WHERE timestamp < :cutoff")
            plan.telemetryRecords = try count("""
                SELECT (SELECT COUNT(*) FROM telemetry_requests WHERE timestamp < :cutoff)
                     + (SELECT COUNT(*) FROM telemetry_errors WHERE timestamp < :cutoff)
                     + (SELECT COUNT(*) FROM telemetry_metric_points WHERE time_ns < :cutoff * 1000000)
                """)
            let fileIds = keepArchive ? [] : try Int64.fetchAll(db, sql: pruneFiles, arguments: arguments)
            if !fileIds.isEmpty {
                let row = try Row.fetchOne(db, sql: """
                    SELECT COUNT(*), TOTAL(length(data)) FROM archive_chunks WHERE file_id IN (\(pruneFiles))
                    """, arguments: arguments)
                plan.archiveChunks = row?[0] ?? 0
                plan.archiveBytes = Int64(row?[1] as Double? ?? 0)
            }
            return (plan, sessionIds, fileIds)
        }
        guard !dryRun else { return plan }
        var done = 0
        for batch in sessionIds.chunked(Self.pruneBatch) {
            try write { db in
                try db.execute(sql: """
                    DELETE FROM summaries WHERE session_id IN (SELECT id FROM sessions WHERE id IN (\(batch.placeholders))
                                                               AND COALESCE(ended_at, started_at) < ?)
                    """, arguments: StatementArguments(Array(batch) + [cutoff]))
                // A session a sync extended since the plan was read is no longer old: it stays.
                try db.execute(sql: "DELETE FROM sessions WHERE id IN (\(batch.placeholders)) AND COALESCE(ended_at, started_at) < ?",
                               arguments: StatementArguments(Array(batch) + [cutoff]))
            }
            done += batch.count
            progress?(done, sessionIds.count)
        }
        for batch in fileIds.chunked(Self.pruneBatch) {
            try write { db in
                // Only files no session left holds (a session kept since the plan keeps its archive).
                try db.execute(sql: """
                    DELETE FROM archive_chunks WHERE file_id IN (\(batch.placeholders))
                      AND NOT EXISTS (SELECT 1 FROM session_files sf WHERE sf.file_id = archive_chunks.file_id)
                    """, arguments: StatementArguments(batch))
            }
        }
        try write { db in
            try db.execute(sql: """
                DELETE FROM hook_runs WHERE received_at < :cutoff;
                DELETE FROM events WHERE timestamp < :cutoff;
                DELETE FROM telemetry_requests WHERE timestamp < :cutoff;
                DELETE FROM telemetry_errors WHERE timestamp < :cutoff;
                DELETE FROM telemetry_metric_points WHERE time_ns < :cutoff * 1000000;
                DELETE FROM usage_rollup WHERE responses <= 0;
                DELETE FROM session_usage_rollup WHERE responses <= 0;
                """, arguments: ["cutoff": cutoff])
            // Ids are reused once the highest rows go: the search mark must not stay above the
            // highest id left, or new rows below it would never be indexed.
            try db.execute(sql: """
                UPDATE search_progress SET indexed_through = MIN(indexed_through, (SELECT COALESCE(MAX(id), 0) FROM messages)) WHERE source = 'messages';
                UPDATE search_progress SET indexed_through = MIN(indexed_through, (SELECT COALESCE(MAX(id), 0) FROM tool_calls)) WHERE source = 'tool_calls';
                """)
        }
        return plan
    }
}

extension Array where Element == Int64 {
    /// The ids in runs of at most `size`.
    func chunked(_ size: Int) -> [ArraySlice<Int64>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension ArraySlice where Element == Int64 {
    /// `?, ?, …`, one per id.
    var placeholders: String { Array(repeating: "?", count: count).joined(separator: ", ") }
}
