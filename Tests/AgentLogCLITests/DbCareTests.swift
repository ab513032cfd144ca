import AgentLogSQLite
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("agentlog db check and vacuum", .serialized)
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
        #expect(good.status == 0 && good.stdout.contains("ok (integrity, foreign keys, 50 archive chunks decompressed)"))
        let connection = try SQLiteConnection(path: db, busyMilliseconds: 1_000)
        try connection.execute("UPDATE archive_chunks SET data = x'00ff00ff' WHERE id = (SELECT MIN(id) FROM archive_chunks)")
        let bad = await run(["db", "check", "--archive-sample", "1000000"])
        #expect(bad.status == 1 && bad.stdout.contains("cannot be decompressed") && bad.stderr.contains("has 1 problems"))
        #expect(await run(["db", "check", "--archive-sample", "-1"]).status == 2)
        let vacuum = await run(["db", "vacuum"])
        #expect(vacuum.status == 0 && vacuum.stdout.contains("before") && vacuum.stdout.contains("after."))
    }
}
