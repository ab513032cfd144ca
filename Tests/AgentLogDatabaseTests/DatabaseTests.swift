import AgentLogSQLite
import AgentLogIngest
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogDatabase
@testable import AgentLogHistory

@Suite("Store")
struct StoreTests {
    @Test("a new database file is private (0600), in WAL mode, with NORMAL sync, foreign keys and a 5 s busy timeout")
    func newFileSettings() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/nested/agentlog.db"
        let store = try AgentLogStore.open(at: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let status = try store.status()
        #expect(status.journalMode == "wal")
        #expect(status.busyTimeoutMs >= 5000)
        #expect(status.synchronous == 1)
        #expect(status.foreignKeys)
        #expect(status.migrations.allSatisfy { $0.applied })
    }

    @Test("several processes opening a new database at once all succeed: the one migrating first wins, the others find it done")
    func concurrentFirstOpen() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/race.db"
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do { _ = try AgentLogStore.open(at: path) } catch { failures.add("\(error)") }
        }
        #expect(failures.all.isEmpty)
        #expect(try AgentLogStore.open(at: path).migrations().allSatisfy(\.applied))
    }

    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func add(_ text: String) { lock.withLock { list.append(text) } }
        var all: [String] { lock.withLock { list } }
    }

    @Test("an empty existing file is migrated to the current schema")
    func migratesEmptyFile() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/empty.db"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let store = try AgentLogStore.open(at: path)
        #expect(try store.migrations().map(\.name) == ["v1", "v2-search", "v3-hooks", "v4-library", "v5-server", "v6-coordination", "v7-session-rollup", "v8-passwords", "v9-limits", "v10-telemetry", "v11-machines", "v12-redaction"])
        #expect(try store.migrations().allSatisfy { $0.applied })
        #expect(try store.status().sessions == 0)
    }

    @Test("a database written by a newer version is refused with a message naming the file")
    func refusesNewerSchema() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/newer.db"
        _ = try AgentLogStore.open(at: path)
        try AgentLogStore.open(at: path).executeForTesting("INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        #expect {
            try AgentLogStore.open(at: path)
        } throws: { error in
            guard case StoreError.newerSchema(let failing, let unknown) = error else { return false }
            return failing == path && unknown == ["v99-from-the-future"] && "\(error)".contains("newer version")
        }
    }

    @Test("a path that cannot be a database is an error naming it")
    func unusablePath() throws {
        let folder = try TemporaryFolder()
        try folder.write("file", Data("x".utf8))
        #expect { try AgentLogStore.open(at: folder.path + "/file/agentlog.db") } throws: { "\($0)".contains(folder.path + "/file") }
        try folder.write("garbage.db", Data(repeating: 7, count: 8192))
        #expect { try AgentLogStore.open(at: folder.path + "/garbage.db") } throws: { "\($0)".contains("garbage.db") }
    }

    @Test("backup copies the whole history to a new private file")
    func backup() throws {
        let folder = try TemporaryFolder()
        let store = try AgentLogStore.open(at: folder.path + "/a.db")
        var batch = RecordBatch(agent: .claude)
        batch.facts("s") { _ in }
        let file = try store.registerSourceFile(path: "/x/s.jsonl", root: "/x", agent: "claude", kind: "transcript")
        _ = try store.ingest(batch, position: FilePosition(fileId: file.id, device: 1, inode: 1, size: 0, mtimeNs: 0, offset: 0,
                                                           lines: 0, prefixHash: nil, reset: false), chunks: [], tail: [])
        let target = try store.backup(to: folder.path + "/b.db")
        #expect(try AgentLogStore.open(at: target).status().sessions == 1)
        #expect(throws: StoreError.self) { try store.backup(to: target) }
    }

    @Test("the archive restores chunks and tail to the exact bytes, with either codec")
    func archiveRoundTrip() throws {
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<300_000).map { _ in UInt8.random(in: 32...126, using: &random) }
        for codec in [ArchiveCodec.zlib, ArchiveCodec.preferred] {
            let compressed = try bytes.withUnsafeBytes { try codec.compress($0) }
            #expect(try codec.decompress(compressed, rawLength: bytes.count) == bytes)
        }
        #expect(ArchiveCodec.preferred == .zstd, "libzstd should be found on Debian")
    }

    @Test("async reads give their reader back while every cooperative thread is blocked in a synchronous read")
    func asyncReadsNeverStarveSynchronousOnes() async throws {
        let folder = try TemporaryFolder()
        let store = try AgentLogStore.open(at: folder.path + "/readers.db")
        // A deadlock blocks every cooperative thread, so no time limit of the test library could
        // fire: a watchdog on a thread of its own ends the run with a message instead of a hang.
        let finished = FinishFlag()
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 120)
            if !finished.isSet { fatalError("async and synchronous reads deadlocked: no reader was given back in 120 s") }
        }
        defer { finished.set() }
        // Far more readers wanted at once than the pool's 5, half of them blocking their thread,
        // and more blocking tasks than there are cooperative threads (one per core).
        let tasks = max(32, ProcessInfo.processInfo.activeProcessorCount * 8)
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<tasks {
                group.addTask {
                    var sum = 0
                    for _ in 0..<200 {
                        if index.isMultiple(of: 2) {
                            sum += try Self.blockingRead(store)
                        } else {
                            sum += try await store.read { db in try Int.fetchOne(db, sql: "SELECT 1") ?? 0 }
                        }
                    }
                    return sum
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(total == tasks * 200)
    }

    /// Set once the test is done.
    final class FinishFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    /// A synchronous read, which holds the calling thread until a reader is free.
    private static func blockingRead(_ store: AgentLogStore) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT 1") ?? 0 }
    }
}

@Suite("One schema, two ways to create it")
struct SchemaParityTests {
    /// Every schema object of the file at `path`: type, name and SQL with whitespace collapsed.
    private func objects(_ path: String) throws -> [String] {
        let db = try SQLiteConnection(path: path, busyMilliseconds: 1_000)
        let statement = try db.statement("SELECT type, name, COALESCE(sql, '') FROM sqlite_master ORDER BY type, name")
        var rows: [String] = []
        while try statement.step() {
            let sql = (statement.text(2) ?? "").split(whereSeparator: \.isWhitespace).joined(separator: " ")
            rows.append("\(statement.text(0) ?? "") \(statement.text(1) ?? ""): \(sql)")
        }
        statement.reset()
        return rows
    }

    @Test("a database the hook's SQLite layer creates equals one GRDB's migrator creates, and each opens the other's")
    func parity() throws {
        let folder = try TemporaryFolder()
        let byStore = folder.path + "/store.db"
        let byHook = folder.path + "/hook.db"
        _ = try AgentLogStore.open(at: byStore)
        let hook = try SQLiteConnection(path: byHook, busyMilliseconds: 1_000, create: true)
        #expect(try hook.createSchemaIfNew())
        #expect(try objects(byHook) == objects(byStore))
        let reopened = try AgentLogStore.open(at: byHook)
        #expect(try reopened.migrations().allSatisfy(\.applied))
        #expect(try SQLiteConnection(path: byStore, busyMilliseconds: 1_000).appliedMigrations() == Set(Schema.migrations.map(\.name)))
    }
}
