import AgentLogTestSupport
import Foundation
import Testing

@Suite("agentlog hook, agentlog-hook and agentlog events", .serialized)
struct HookCommandTests {
    let home: TemporaryFolder
    let db: String

    init() async throws {
        home = try TemporaryFolder()
        db = home.path + "/agentlog.db"
        _ = await CLIRun(["--db", db, "sync", "--path", home.path, "--quiet"], home: home.path)  // creates the database
    }

    static var hookBinary: URL { CLIRun.binary.deletingLastPathComponent().appendingPathComponent("agentlog-hook") }

    private func payload(_ event: String, _ extra: String = "") -> String {
        #"{"hook_event_name":"\#(event)","session_id":"cli-session","cwd":"/p"\#(extra)}"#
    }

    @Test("both hook executables store events that `events --format json` lists with their payloads")
    func hookThenEvents() async throws {
        let first = await CLIRun(["--db", db, "hook"], home: home.path, input: payload("SessionStart", #","source":"startup""#))
        #expect(first.status == 0 && first.stdout.isEmpty, "\(first.stderr)")
        let second = try CLIRun.run(Self.hookBinary, ["--db", db], home: home.path,
                                    input: payload("PreToolUse", #","tool_name":"Bash","tool_use_id":"t1","tool_input":{"command":"ls"}"#))
        #expect(second.status == 0, "\(second.stderr)")
        let garbage = try CLIRun.run(Self.hookBinary, ["--db", db], home: home.path, input: "not json")
        #expect(garbage.status == 0)
        #expect(garbage.stderr.contains("not a JSON object"))

        let events = await CLIRun(["--db", db, "events", "--session", "cli-session", "--format", "json"], home: home.path)
        let json = try #require(events.json)
        #expect(json["schema"] as? String == "agentlog.events.v1")
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.map { $0["type"] as? String } == ["SessionStart", "PreToolUse"])
        #expect(rows.map { $0["seq"] as? Int } == [1, 2])
        #expect((rows[1]["payload"] as? [String: Any])?["tool_use_id"] as? String == "t1")
        let after = await CLIRun(["--db", db, "events", "--session", "cli-session", "--after", "1", "--format", "json"], home: home.path)
        #expect((after.json?["rows"] as? [[String: Any]])?.count == 1)
    }

    @Test("on a machine with no database, the first hook event after install is in `agentlog events` at once")
    func firstHookOnANewMachine() async throws {
        let machine = try TemporaryFolder()
        let install = await CLIRun(["hooks", "install"], home: machine.path)
        #expect(install.status == 0, "\(install.stderr)")
        let started = Date()
        let hook = try CLIRun.run(Self.hookBinary, [], home: machine.path, input: payload("SessionStart", #","source":"startup""#))
        #expect(hook.status == 0 && hook.stderr.isEmpty, "\(hook.stderr)")
        let events = await CLIRun(["events", "--format", "json"], home: machine.path)
        #expect(Date().timeIntervalSince(started) < 1.5)
        let rows = try #require(events.json?["rows"] as? [[String: Any]])
        #expect(rows.map { $0["type"] as? String } == ["SessionStart"])
        #expect(!FileManager.default.fileExists(atPath: machine.path + "/.agentlog/agentlog.db.spool"))
        // The database the hook made is private, like one the CLI makes.
        let mode = try FileManager.default.attributesOfItem(atPath: machine.path + "/.agentlog/agentlog.db")[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("a failed path noted from the shell reaches the agent after a compaction; agents and claims list what hooks saw")
    func noteAgentsClaims() async throws {
        let note = await CLIRun(["--db", db, "note", "failed-path", "--approach", "pin the old SDK", "--reason", "its API was removed",
                               "--project", "/p"], home: home.path)
        #expect(note.status == 0, "\(note.stderr)")
        for json in [payload("SessionStart", #","source":"startup""#),
                     payload("PostToolUse", #","tool_name":"Write","tool_use_id":"w1","tool_input":{"file_path":"/p/a.swift"}"#)] {
            _ = try CLIRun.run(Self.hookBinary, ["--db", db], home: home.path, input: json)
        }
        let compacted = try CLIRun.run(Self.hookBinary, ["--db", db], home: home.path, input: payload("SessionStart", #","source":"compact""#))
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(compacted.stdout.utf8)) as? [String: Any])
        let context = (answer["hookSpecificOutput"] as? [String: Any])?["additionalContext"] as? String ?? ""
        #expect(context.contains("pin the old SDK") && context.contains("its API was removed"))

        let agents = await CLIRun(["--db", db, "agents", "--format", "json"], home: home.path)
        let rows = try #require(agents.json?["rows"] as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows.first?["status"] as? String == "running")
        let claims = await CLIRun(["--db", db, "claims", "--format", "json"], home: home.path)
        #expect((claims.json?["rows"] as? [[String: Any]])?.first?["path"] as? String == "/p/a.swift")
        #expect(await CLIRun(["--db", db, "note", "failed-path", "--approach", " ", "--reason", "x"], home: home.path).status == 2)
    }

    @Test("events --follow prints events as other processes write them")
    func follow() throws {
        let process = Process()
        process.executableURL = CLIRun.binary
        process.arguments = ["--db", db, "events", "--follow", "--format", "json"]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        let received = LockedData()
        out.fileHandleForReading.readabilityHandler = { handle in received.append(handle.availableData) }
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        for index in 1...3 {
            _ = try CLIRun.run(Self.hookBinary, ["--db", db], home: home.path, input: payload("Notification", #","message":"n\#(index)""#))
        }
        var lines: [Substring] = []
        let deadline = Date().addingTimeInterval(5)
        while lines.count < 3, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            lines = String(decoding: received.value, as: UTF8.self).split(separator: "\n")
        }
        // SIGKILL: a test runner may start processes with SIGTERM ignored.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        out.fileHandleForReading.readabilityHandler = nil
        #expect(lines.count == 3)
        let messages = lines.compactMap { line -> String? in
            let row = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            return (row?["payload"] as? [String: Any])?["message"] as? String
        }
        #expect(messages == ["n1", "n2", "n3"])
    }
}

/// Bytes appended from another thread.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) { lock.withLock { data.append(more) } }
    var value: Data { lock.withLock { data } }
}
