import AgentLogIngest
import AgentLogSQLite
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogDatabase
import AgentLogHistory

@Suite("Upgrading a history written by an older schema")
struct MigrationTests {
    @Test("a v1 database full of history is backed up, migrated to v2-search, keeps every total, and becomes searchable")
    func fromVersion1WithData() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/agentlog.db"
        let expected = try ExpectedTotals.of(tree: Corpus.claude)
        var counts = (messages: 0, toolCalls: 0)
        do {
            let old = try AgentLogStore.open(at: path, migratedUpTo: "v1")
            #expect(try old.migrations().map(\.applied) == [true] + Array(repeating: false, count: Schema.migrations.count - 1))
            _ = try sync(old, Corpus.claude.path)
            #expect(try totals(old) == expected)
            let status = try old.status()
            counts = (status.messages, status.toolCalls)
        }  // closed

        let store = try AgentLogStore.open(at: path)
        #expect(try store.migrations().allSatisfy(\.applied))
        #expect(try totals(store) == expected)
        // v7-session-rollup summed the usage it found: reports by session and project read it.
        #expect(try totals(store, kind: .session) == expected)
        #expect(try totals(store, kind: .project) == expected)
        #expect(try store.status().messages == counts.messages)
        // The history as it was, kept beside it.
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".before-v2-search-") }
        #expect(backups.count == 1)
        let backup = try AgentLogStore.open(at: folder.path + "/" + backups[0], migrate: false)
        #expect(try backup.migrations().map(\.applied) == [true] + Array(repeating: false, count: Schema.migrations.count - 1))
        #expect(try totals(backup) == expected)
        // Rows written before the search index existed are indexed by the first search.
        #expect(try store.updateSearchIndex() == counts.messages + counts.toolCalls)
        let hits = try store.search(SearchQuery(expression: SearchExpression("compaction")))
        #expect(!hits.isEmpty)
        // And a sync after the upgrade adds nothing new.
        let again = try sync(store, Corpus.claude.path)
        #expect(again.newRecords == 0)
    }

    @Test("a v8 database with history is migrated to v9-limits: totals kept, rate limits and budgets ready")
    func fromVersion8WithData() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/agentlog.db"
        let expected = try ExpectedTotals.of(tree: Corpus.claude)
        do {
            let old = try AgentLogStore.open(at: path, migratedUpTo: "v8-passwords")
            _ = try sync(old, Corpus.claude.path)
            #expect(try totals(old) == expected)
            #expect(try old.limitsReport().windows.isEmpty)  // no table yet: an empty report, not an error
        }
        let store = try AgentLogStore.open(at: path)
        #expect(try store.migrations().allSatisfy(\.applied))
        #expect(try totals(store) == expected)
        #expect(try totals(store, kind: .session) == expected)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(files.contains { $0.contains(".before-v9-limits-") })
        let db = try SQLiteConnection(path: path, busyMilliseconds: 1_000)
        for table in ["rate_limit_samples", "statusline_sessions", "budgets"] {
            let count = try db.statement("SELECT COUNT(*) FROM \(table)")
            #expect(try count.step() && count.int64(0) == 0, "\(table)")
        }
        let insert = try db.statement(SharedStatements.insertRateLimitSample)
        SharedStatements.bindRateLimitSample(insert, agent: "claude", window: "five_hour", observedAt: 1_000, usedPercent: 100,
                                             windowMinutes: 300, resetsAt: 3_601_000, sessionId: "s", source: "statusline")
        try insert.run()
        let report = try store.limitsReport()
        #expect(report.windows.count == 1 && report.windows[0].hits == 1 && report.windows[0].periods[0].waitedMs == 3_600_000)
    }

    /// Every schema version but the newest.
    static let earlierVersions = Schema.migrations.dropLast().map(\.name)

    @Test("a history written at every earlier schema version is backed up, upgraded, and keeps its totals, events and search", arguments: earlierVersions)
    func fromEveryEarlierVersion(version: String) throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/agentlog.db"
        let expected = try ExpectedTotals.of(tree: Corpus.claude)
        let applied = Schema.migrations.prefix { $0.name != version }.map(\.name) + [version]
        let hasEvents = applied.contains("v3-hooks")
        var messages = 0
        do {
            let old = try AgentLogStore.open(at: path, migratedUpTo: version)
            #expect(try old.migrations().filter(\.applied).map(\.name) == applied)
            _ = try sync(old, Corpus.claude.path)
            messages = try old.status().messages
            if hasEvents {
                let connection = try SQLiteConnection(path: path, busyMilliseconds: 1_000)
                for index in 0..<3 {
                    let insert = try connection.statement(SharedStatements.insertEvent)
                    SharedStatements.bindEvent(insert, session: "kept", channel: "hook", type: "Stop", timestamp: 1_000 + Int64(index),
                                               payload: Array("{\"n\":\(index)}".utf8), payloadHash: UInt64(index))
                    _ = try insert.runReturning { $0.int64(1) }
                }
            }
        }
        let store = try AgentLogStore.open(at: path)
        #expect(try store.migrations().allSatisfy(\.applied))
        #expect(try totals(store) == expected)
        #expect(try totals(store, kind: .session) == expected)
        #expect(try totals(store, kind: .project) == expected)
        #expect(try store.status().messages == messages)
        #expect(try store.status().events == (hasEvents ? 3 : 0))
        let next = Schema.migrations[applied.count].name
        let backups = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".before-\(next)-") }
        #expect(backups.count == 1, "the history was kept as it was before \(next)")
        try store.updateSearchIndex()
        #expect(!(try store.search(SearchQuery(expression: SearchExpression("compaction")))).isEmpty)
        #expect(try store.check(archiveSample: 20, searchSample: 20).ok)
        #expect(try sync(store, Corpus.claude.path).newRecords == 0)
    }
}
