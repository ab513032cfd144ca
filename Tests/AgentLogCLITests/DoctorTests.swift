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
        #expect((json["checks"] as? [[String: Any]])?.map { $0["name"] as? String } == ["executables", "database", "hooks", "statusline", "spool", "sources", "cleanup", "disk"])
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

    @Test("a transcript Claude Code's cleanup deletes within 3 days fails doctor until a sync archives it, and that sync warns")
    func cleanup() async throws {
        let corpus = try #require(try FileManager.default.contentsOfDirectory(at: Corpus.claude, includingPropertiesForKeys: nil)
            .first { $0.hasDirectoryPath })
        let file = try #require(try FileManager.default.contentsOfDirectory(at: corpus, includingPropertiesForKeys: nil)
            .first { $0.pathExtension == "jsonl" })
        try home.copy(file, to: ".claude/projects/-src-old/old.jsonl")
        let path = home.path + "/.claude/projects/-src-old/old.jsonl"
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-28.5 * 86_400)], ofItemAtPath: path)
        let before = await run(["doctor"])
        #expect(before.status == 1 && before.stdout.contains("✗ cleanup") && before.stdout.contains("1 of 1 transcripts"))
        #expect(before.stdout.contains("cleanupPeriodDays 30, Claude Code's default"))
        let sync = await run(["sync"])
        #expect(sync.status == 0 && sync.stderr.contains("1 Claude Code transcripts were archived less than 3 days before Claude Code deletes them"))
        let after = await run(["doctor"])
        #expect(after.stdout.contains("✓ cleanup") && after.stdout.contains("all 1 transcripts"))
        // A longer period in the settings: nothing goes soon, and a sync of a changed file says nothing.
        _ = try home.write(".claude/settings.json", Data(#"{"cleanupPeriodDays": 90}"#.utf8))
        #expect(await run(["doctor"]).stdout.contains("nothing goes within 3 days (cleanupPeriodDays 90 in "))
        try home.append(".claude/projects/-src-old/old.jsonl", Data("\n".utf8))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-28.5 * 86_400)], ofItemAtPath: path)
        #expect(!(await run(["sync"])).stderr.contains("archived less than"))
    }
}
