import AgentLogTestSupport
import Foundation
import Testing

@Suite("The embedding example")
struct ExampleTests {
    @Test("the example app crashes half-way, and on restart finds the crashed run, restores the session and finishes the job")
    func crashAndRecover() async throws {
        let home = try TemporaryFolder()
        let db = home.path + "/example.db"
        let example = CLIRun.binary.deletingLastPathComponent().appendingPathComponent("agentlog-example")
        let first = try CLIRun.run(example, ["--db", db], home: home.path)
        #expect(first.status != 0, "it kills itself")
        #expect(first.stdout.contains("saved #3") && !first.stdout.contains("saved #4"))
        let second = try CLIRun.run(example, ["--db", db], home: home.path)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("crashed"))
        #expect(second.stdout.contains("recovered session") && second.stdout.contains("3 messages"))
        #expect(second.stdout.contains("saved #4") && !second.stdout.contains("saved #1 "))

        let listed = await CLIRun(["--db", db, "runs", "--format", "json"], home: home.path)
        let runs = try #require(listed.json?["rows"] as? [[String: Any]], "\(listed.status) \(listed.stdout) \(listed.stderr)")
        #expect(runs.map { $0["status"] as? String } == ["completed", "crashed"])
        let sessions = try #require(await CLIRun(["--db", db, "sessions", "--format", "json"], home: home.path).json?["rows"] as? [[String: Any]])
        #expect(sessions.count == 1)
        #expect(sessions.first?["messages"] as? Int == 6)
        let events = try #require(await CLIRun(["--db", db, "events", "--format", "json"], home: home.path).json?["rows"] as? [[String: Any]])
        #expect(events.map { $0["seq"] as? Int } == Array(1...9))
        #expect(events.last?["type"] as? String == "job.completed")
    }
}
