import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("agentlog sync")
struct SyncCommandTests {
    /// Runs `agentlog --db db arguments` in-process in a context whose store opener fails, and
    /// returns its status, output and errors: what a command does without opening the store.
    private func runWithoutStore(_ arguments: [String], db: String, home: String) async -> (status: Int32, stdout: String, stderr: String) {
        var context = CommandContext.captured(environment: CLIRun.environment(home: home), currentDirectory: home)
        context.openStore = { path, _ in throw CLIError("the store at \(path) was opened") }
        let status = await AgentLogCommand.run(["--db", db] + arguments, in: context)
        return (status, context.standardOutput.text, context.standardError.text)
    }

    @Test("a sync with nothing to do answers from a look at the folders, without opening the store; one with something to do opens it")
    func nothingToDoOpensNoStore() async throws {
        let home = try TemporaryFolder()
        let db = home.path + "/agentlog.db"
        let line = #"{"type":"user","sessionId":"s-1","uuid":"u1","timestamp":"2026-03-01T10:00:00.000Z","cwd":"/w/app","message":{"role":"user","content":"hi"}}"#
        _ = try home.write("tree/p/s.jsonl", Data((line + "\n").utf8))
        let tree = home.path + "/tree"
        #expect(await CLIRun(["--db", db, "sync", "--path", tree, "--quiet"], home: home.path).status == 0)

        let unchanged = await runWithoutStore(["sync", "--path", tree, "--format", "json"], db: db, home: home.path)
        #expect(unchanged.status == 0, "\(unchanged.stderr)")
        let json = try #require((try? JSONSerialization.jsonObject(with: Data(unchanged.stdout.utf8))) as? [String: Any])
        #expect(json["schema"] as? String == "agentlog.sync.v1")
        #expect(json["files"] as? Int == 1)
        #expect(json["filesRead"] as? Int == 0)

        try home.append("tree/p/s.jsonl", Data((line.replacingOccurrences(of: "u1", with: "u2") + "\n").utf8))
        let changed = await runWithoutStore(["sync", "--path", tree], db: db, home: home.path)
        #expect(changed.status == 1)
        #expect(changed.stderr.contains("was opened"))
        let synced = await CLIRun(["--db", db, "sync", "--path", tree, "--format", "json"], home: home.path)
        #expect(synced.json?["filesRead"] as? Int == 1)
        #expect(synced.json?["lines"] as? Int == 1)
    }
}
