import AgentLogDatabase
import AgentLogSQLite
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("agentlog db check, vacuum and restore", .serialized)
struct DbCareTests {
    let home: TemporaryFolder
    let db: String

    init() throws {
        home = try TemporaryFolder()
        db = home.path + "/agentlog.db"
    }

    private func run(_ arguments: [String]) async -> CLIRun { await CLIRun(["--db", db] + arguments, home: home.path) }

    @Test("db check decompresses a sample of the archive, and names a chunk that does not decompress; vacuum reports the sizes")
    func checkAndVacuum() async throws {
        #expect(await run(["sync", "--path", Corpus.claude.path, "--quiet"]).status == 0)
        let good = await run(["db", "check", "--archive-sample", "50"])
        #expect(good.status == 0 && good.stdout.contains("50 archive chunks decompressed and verified)"))
        let connection = try SQLiteConnection(path: db, busyMilliseconds: 1_000)
        try connection.execute("UPDATE archive_chunks SET data = x'00ff00ff' WHERE id = (SELECT MIN(id) FROM archive_chunks)")
        let bad = await run(["db", "check", "--archive-sample", "1000000"])
        #expect(bad.status == 1 && bad.stdout.contains("cannot be decompressed") && bad.stderr.contains("has 1 problem ("))
        #expect(await run(["db", "check", "--archive-sample", "-1"]).status == 2)
        let vacuum = await run(["db", "vacuum"])
        #expect(vacuum.status == 0 && vacuum.stdout.contains("before") && vacuum.stdout.contains("after."))
    }

    private func sessions(_ path: String) async throws -> Int {
        let status = try #require(await CLIRun(["--db", path, "db", "status", "--format", "json"], home: home.path).json)
        return status["sessions"] as? Int ?? -1
    }

    @Test("db restore puts a backup back, keeps the current contents aside, and upgrades an older one")
    func restore() async throws {
        let store = try AgentLogStore.open(at: db)
        try syncOneResponse(store, in: home, session: "first", at: 1_764_590_400_000)
        let backup = home.path + "/one-session.backup"
        #expect(await run(["db", "backup", backup]).status == 0)
        try syncOneResponse(store, in: home, session: "second", at: 1_764_594_000_000)
        #expect(try await sessions(db) == 2)
        let restored = await run(["db", "restore", backup])
        #expect(restored.status == 0 && restored.stdout.contains("the previous contents are in"))
        #expect(try await sessions(db) == 1)
        let aside = try #require(try FileManager.default.contentsOfDirectory(atPath: home.path).first { $0.hasPrefix("agentlog.db.before-restore-") })
        #expect(try await sessions(home.path + "/" + aside) == 2)
        // The store that was open all along reads the restored contents.
        #expect(try store.status().sessions == 1)

        // A backup of an older schema is upgraded once it is in.
        let old = home.path + "/old.db"
        _ = try AgentLogStore.open(at: old, migratedUpTo: "v4-library")
        #expect(await run(["db", "restore", old]).status == 0)
        #expect(try store.migrations().allSatisfy(\.applied))
    }

    @Test("db restore refuses a missing file, a file that is not a database, a foreign database and a newer schema, naming the file")
    func restoreRefusals() async throws {
        _ = try AgentLogStore.open(at: db)
        let garbage = try home.write("garbage.db", Data(repeating: 0x41, count: 8_192)).path
        let foreign = home.path + "/foreign.db"
        let connection = try SQLiteConnection(path: foreign, busyMilliseconds: 1_000, create: true)
        try connection.execute("CREATE TABLE notes (text TEXT)")
        let newer = home.path + "/newer.db"
        _ = try AgentLogStore.open(at: newer)
        try SQLiteConnection(path: newer, busyMilliseconds: 1_000).execute("INSERT INTO grdb_migrations VALUES ('v99-from-the-future')")
        for (file, reason) in [(home.path + "/missing.db", "no such file"), (garbage, "not a readable database"),
                               (foreign, "not an agentlog database"), (newer, "newer version")] {
            let result = await run(["db", "restore", file])
            #expect(result.status == 1 && result.stderr.contains(file) && result.stderr.contains(reason), "\(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).allSatisfy { !$0.contains("before-restore") })
    }
}

