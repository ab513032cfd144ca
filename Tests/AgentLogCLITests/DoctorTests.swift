import AgentLogSQLite
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("agentlog doctor", .serialized)
struct DoctorTests {
    let home: TemporaryFolder
    let db: String

    init() throws {
        home = try TemporaryFolder()
        db = home.path + "/agentlog.db"
    }

    private func run(_ arguments: [String]) async -> CLIRun { await CLIRun(["--db", db] + arguments, home: home.path) }

    @Test("on a new machine every check is a warning with what to do, and the exit code is 0")
    func newMachine() async throws {
        let result = await run(["doctor"])
        #expect(result.status == 0)
        for line in ["! database", "agentlog sync creates it", "! hooks", "agentlog hooks install", "! statusline", "✓ spool", "! sources", "disk"] {
            #expect(result.stdout.contains(line), "\(line)")
        }
        let json = try #require(await run(["doctor", "--format", "json"]).json)
        #expect(json["schema"] as? String == "agentlog.doctor.v1" && json["ok"] as? Bool == true)
        #expect((json["checks"] as? [[String: Any]])?.map { $0["name"] as? String } == ["executables", "database", "hooks", "statusline", "spool", "sources", "disk"])
    }

    @Test("a hook or statusline that points at a missing executable, and a database from a newer agentlog, fail with exit 1")
    func failures() async throws {
        #expect(await run(["db", "migrate"]).status == 0)
        #expect(await run(["doctor"]).stdout.contains("(current)"))
        _ = try home.write(".claude/settings.json", Data("""
            {"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "/nowhere/agentlog-hook"}]}]},
             "statusLine": {"type": "command", "command": "/nowhere/agentlog-statusline --db x"}}
            """.utf8))
        let broken = await run(["doctor"])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("✗ hooks") && broken.stdout.contains("/nowhere/agentlog-hook, which is not there"))
        #expect(broken.stdout.contains("✗ statusline") && broken.stdout.contains("/nowhere/agentlog-statusline, which is not there"))
        let connection = try SQLiteConnection(path: db, busyMilliseconds: 1_000)
        try connection.execute("INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')")
        let newer = await run(["doctor", "--format", "json"])
        let checks = try #require(newer.json?["checks"] as? [[String: Any]])
        #expect(newer.status == 1 && checks[1]["level"] as? String == "fail" && (checks[1]["detail"] as? String)?.contains("v99-future") == true)
    }
}
