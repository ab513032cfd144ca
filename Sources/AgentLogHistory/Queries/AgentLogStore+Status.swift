import AgentLogDatabase
import Foundation
import GRDB

/// What the database holds, for `agentlog db status`.
public struct StoreStatus: Sendable, Equatable {
    /// The database file's path, or `:memory:` for an in-memory store.
    public var path: String
    /// Size of the database file plus its WAL, in bytes.
    public var fileBytes: Int64
    /// Every schema migration and whether the database has it.
    public var migrations: [MigrationState]
    /// Sessions recorded.
    public var sessions: Int
    /// Messages recorded, subagents' included.
    public var messages: Int
    /// Usage rows: one per API response (after de-duplication).
    public var usageRecords: Int
    /// Tool calls recorded.
    public var toolCalls: Int
    /// Subagents recorded.
    public var subagents: Int
    /// Projects (working directories) recorded.
    public var projects: Int
    /// Transcript and meta files read.
    public var sourceFiles: Int
    /// Source files that are gone from disk but kept in the archive.
    public var missingSourceFiles: Int
    /// Raw bytes held by the archive and what they take compressed.
    public var archiveRawBytes: Int64
    /// What the archive's raw bytes take compressed, in bytes.
    public var archiveStoredBytes: Int64
    /// Transcript lines that could not be read, kept on record with a reason.
    public var rejectedLines: Int
    /// When the earliest session started, ms since 1970.
    public var firstActivity: Int64?
    /// When the latest session ended, ms since 1970.
    public var lastActivity: Int64?
    /// `PRAGMA journal_mode` of this connection (agentlog sets `wal`).
    public var journalMode: String
    /// `PRAGMA busy_timeout` of this connection, in ms.
    public var busyTimeoutMs: Int
    /// `PRAGMA synchronous`: 1 is NORMAL.
    public var synchronous: Int
    /// Whether `PRAGMA foreign_keys` is on for this connection.
    public var foreignKeys: Bool
    /// Bytes per page (16 kB for files the CLI creates, 4 kB for an app's).
    public var pageSize: Int = 0
    /// Hook and app events, runs and jobs (0 before the schema has their tables).
    public var events: Int = 0
    /// Runs recorded (0 before the schema has the table).
    public var runs: Int = 0
    /// Jobs recorded (0 before the schema has the table).
    public var jobs: Int = 0
}

extension AgentLogStore {
    /// Counts of everything in the store.
    public func status() throws(StoreError) -> StoreStatus {
        let migrations = try migrations()
        let location = path ?? ":memory:"
        var fileBytes: Int64 = 0
        if let path {
            for file in [path, path + "-wal"] {
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value
                fileBytes += size ?? 0
            }
        }
        return try read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            let archive = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(raw_length), 0), COALESCE(SUM(length(data)), 0) FROM archive_chunks
                """)!
            let tails = try Row.fetchOne(db, sql: """
                SELECT COALESCE(SUM(tail_length), 0), COALESCE(SUM(length(tail)), 0) FROM source_files
                """)!
            let span = try Row.fetchOne(db, sql: "SELECT MIN(started_at), MAX(ended_at) FROM sessions")!
            func rows(_ table: String) throws -> Int { try db.tableExists(table) ? count("SELECT COUNT(*) FROM \(table)") : 0 }
            var status = StoreStatus(
                path: location, fileBytes: fileBytes, migrations: migrations,
                sessions: try count("SELECT COUNT(*) FROM sessions"),
                messages: try count("SELECT COUNT(*) FROM messages"),
                usageRecords: try count("SELECT COUNT(*) FROM usage"),
                toolCalls: try count("SELECT COUNT(*) FROM tool_calls"),
                subagents: try count("SELECT COUNT(*) FROM subagents"),
                projects: try count("SELECT COUNT(*) FROM projects"),
                sourceFiles: try count("SELECT COUNT(*) FROM source_files"),
                missingSourceFiles: try count("SELECT COUNT(*) FROM source_files WHERE missing_since IS NOT NULL"),
                archiveRawBytes: (archive[0] as Int64) + (tails[0] as Int64),
                archiveStoredBytes: (archive[1] as Int64) + (tails[1] as Int64),
                rejectedLines: try count("SELECT COUNT(*) FROM rejected_lines"),
                firstActivity: span[0], lastActivity: span[1],
                journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                busyTimeoutMs: try count("PRAGMA busy_timeout"),
                synchronous: try count("PRAGMA synchronous"),
                foreignKeys: try count("PRAGMA foreign_keys") == 1)
            status.pageSize = try count("PRAGMA page_size")
            status.events = try rows("events")
            status.runs = try rows("runs")
            status.jobs = try rows("jobs")
            return status
        }
    }

    /// Every rejected line on record, with its file.
    public func rejectedLines(limit: Int = 1000) throws(StoreError) -> [(file: String, line: Int, reason: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.path, r.line, r.reason FROM rejected_lines r JOIN source_files f ON f.id = r.file_id
                ORDER BY f.path, r.line LIMIT ?
                """, arguments: [limit]).map { ($0[0], $0[1], $0[2]) }
        }
    }
}

extension AgentLogStore {
    /// SQLite's `integrity_check` and `foreign_key_check`: an empty list when the file is sound,
    /// else one line per problem.
    public func integrityProblems() throws(StoreError) -> [String] {
        try read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row in
                "row \(row[1] as Int64? ?? 0) of \(row[0] as String? ?? "?") points at a missing row of \(row[2] as String? ?? "?")"
            }
            return integrity + foreignKeys
        }
    }
}
