import AgentLogDatabase
import AgentLogHistory
import AgentLogSQLite
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogSync

/// `body`'s value, computed on a thread of Dispatch's, not of Swift's cooperative pool (a sync
/// that waits for the lock would hold one of its few threads).
private func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
    }
}

@Suite("Looking before a sync opens the store")
struct SyncLookTests {
    /// A database file synced from a small tree of two sessions, and the tree's root.
    private func synced(in folder: TemporaryFolder) throws -> (db: String, roots: [SyncRoot]) {
        _ = try folder.write("tree/p/a.jsonl", Data((userLine("u1", "hello", session: "a") + "\n").utf8))
        _ = try folder.write("tree/q/b.jsonl", Data((userLine("u2", "world", session: "b") + "\n").utf8))
        let db = folder.path + "/agentlog.db"
        let roots = [SyncRoot(path: folder.path + "/tree", agent: .claude, isExplicit: true)]
        let store = try AgentLogStore.open(at: db)
        _ = try SyncEngine(store: store).sync(roots: roots)
        try store.close()
        return (db, roots)
    }

    @Test("with nothing changed the look is the whole sync: its report counts every file and nothing read")
    func nothingChanged() throws {
        let folder = try TemporaryFolder()
        let (db, roots) = try synced(in: folder)
        let look = try SyncEngine.look(databasePath: db, roots: roots)
        let report = try #require(look.report)
        #expect(report.files == 2)
        #expect(report.filesRead == 0)
        #expect(report.newRecords == 0)
        #expect(report.missingFiles == 0)
    }

    @Test("an appended, new or vanished file, a spooled hook event, a missing database or an older schema sends the sync to the store",
          arguments: ["append", "new", "vanish", "spool", "no database", "older schema"])
    func somethingToDo(change: String) throws {
        let folder = try TemporaryFolder()
        var (db, roots) = try synced(in: folder)
        switch change {
        case "append": try folder.append("tree/p/a.jsonl", Data((userLine("u3", "more", session: "a") + "\n").utf8))
        case "new": _ = try folder.write("tree/q/c.jsonl", Data((userLine("u4", "new", session: "c") + "\n").utf8))
        case "vanish": try FileManager.default.removeItem(atPath: folder.path + "/tree/q/b.jsonl")
        case "spool": _ = try folder.write("agentlog.db.spool/1-1.hook", Data(#"{"hook_event_name":"Stop","session_id":"x"}"#.utf8))
        case "no database": db = folder.path + "/other.db"
        default:
            // The synced database with its last migration taken off the ledger: everything else
            // is as the look expects, so only the schema check can send it away.
            let store = try AgentLogStore.open(at: db)
            try store.executeForTesting("DELETE FROM grdb_migrations WHERE identifier = '\(Schema.migrations.last!.name)'")
            try store.close()
        }
        let look = try SyncEngine.look(databasePath: db, roots: roots)
        #expect(look.report == nil)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/other.db"), "a look creates nothing")
    }

    @Test("a sync after a look reads what changed, once, from what the look walked; the next sync walks anew")
    func syncAfterLook() throws {
        let folder = try TemporaryFolder()
        let (db, roots) = try synced(in: folder)
        try folder.append("tree/p/a.jsonl", Data((userLine("u3", "more", session: "a") + "\n").utf8))
        let look = try SyncEngine.look(databasePath: db, roots: roots)
        #expect(look.report == nil)
        // Gone after the look: a sync that walked again would count one file and one missing.
        try FileManager.default.removeItem(atPath: folder.path + "/tree/q/b.jsonl")
        let store = try AgentLogStore.open(at: db)
        let report = try SyncEngine(store: store).sync(roots: roots, after: look)
        #expect(report.files == 2)
        #expect(report.missingFiles == 0)
        #expect(report.filesRead == 1)
        #expect(report.lines == 1)
        #expect(try store.status().messages == 3)
        let next = try SyncEngine(store: store).sync(roots: roots)
        #expect(next.filesRead == 0)
        #expect(next.missingFiles == 1)
        try store.close()
        #expect(try SyncEngine.look(databasePath: db, roots: roots).report?.files == 1)
    }

    @Test("a look that found something keeps the sync lock until its sync ends: another sync waits, then finds nothing to read")
    func lookHoldsTheLock() async throws {
        let folder = try TemporaryFolder()
        let (db, roots) = try synced(in: folder)
        try folder.append("tree/p/a.jsonl", Data((userLine("u3", "more", session: "a") + "\n").utf8))
        let look = try SyncEngine.look(databasePath: db, roots: roots)
        let store = try AgentLogStore.open(at: db)
        async let other = onThread { try SyncEngine(store: store).sync(roots: roots) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try store.status().messages == 2, "the other sync is still waiting for the lock")
        let report = try SyncEngine(store: store).sync(roots: roots, after: look)
        #expect(report.filesRead == 1)
        #expect(try await other.filesRead == 0)
        #expect(try store.status().messages == 3)
        try store.close()
    }

    @Test("a look handed to a sync of other roots gives its lock up instead of keeping that sync waiting")
    func otherRoots() throws {
        let folder = try TemporaryFolder()
        let (db, roots) = try synced(in: folder)
        try folder.append("tree/p/a.jsonl", Data((userLine("u3", "more", session: "a") + "\n").utf8))
        let look = try SyncEngine.look(databasePath: db, roots: roots)
        let store = try AgentLogStore.open(at: db)
        let report = try SyncEngine(store: store).sync(roots: [SyncRoot(path: folder.path + "/tree/p", agent: .claude, isExplicit: true)], after: look)
        #expect(report.files == 1)
        #expect(report.filesRead == 1)
        try store.close()
    }

    @Test("a first sync into a folder not made yet: the look finds no database and the sync makes it and reads every file")
    func firstSync() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("tree/p/a.jsonl", Data((userLine("u1", "hello", session: "a") + "\n").utf8))
        let roots = [SyncRoot(path: folder.path + "/tree", agent: .claude, isExplicit: true)]
        let db = folder.path + "/new/folder/agentlog.db"
        let look = try SyncEngine.look(databasePath: db, roots: roots)
        #expect(look.report == nil)
        #expect(look.lock == nil, "no lock file can be made before the folder is")
        let store = try AgentLogStore.open(at: db)
        let report = try SyncEngine(store: store).sync(roots: roots, after: look)
        #expect(report.filesRead == 1)
        #expect(try store.status().messages == 1)
        try store.close()
        #expect(try SyncEngine.look(databasePath: db, roots: roots).report?.files == 1)
    }

    @Test("two syncs handed the same look: only one goes on under its lock, the other takes the lock itself and finds the work done")
    func oneClaim() async throws {
        let folder = try TemporaryFolder()
        let (db, roots) = try synced(in: folder)
        try folder.append("tree/p/a.jsonl", Data((userLine("u3", "more", session: "a") + "\n").utf8))
        let look = try SyncEngine.look(databasePath: db, roots: roots)
        let store = try AgentLogStore.open(at: db)
        async let first = onThread { try SyncEngine(store: store).sync(roots: roots, after: look) }
        async let second = onThread { try SyncEngine(store: store).sync(roots: roots, after: look) }
        let reads = try await [first.filesRead, second.filesRead].sorted()
        #expect(reads == [0, 1])
        #expect(try store.status().messages == 3)
        try store.close()
    }
}
