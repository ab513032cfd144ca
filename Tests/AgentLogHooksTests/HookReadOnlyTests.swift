import AgentLogHistory
import AgentLogStore
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogHooks

@Suite("Hook on a read-only database")
struct HookReadOnlyTests {
    /// Runs the real `agentlog-hook` on `payload`. As root a file's mode does not stop a write, so
    /// the hook then runs as `nobody` (through `setpriv`), for whom the root-owned 0644 database is
    /// read-only; otherwise the database file itself is made read-only (0444).
    static func runHook(_ payload: String, database: String, asNobody: Bool) throws -> (status: Int32, stderr: String) {
        let process = Process()
        if asNobody {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", HookFaultTests.binary, "--db", database]
        } else {
            process.executableURL = URL(fileURLWithPath: HookFaultTests.binary)
            process.arguments = ["--db", database]
        }
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(payload.utf8))
        try input.fileHandleForWriting.close()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }

    @Test("a read-only database spools the payload; once it is writable again the next hook replays it exactly once")
    func spoolWhenReadOnly() throws {
        let fixture = try HookFixture()
        let asRoot = getuid() == 0
        if asRoot {
            // nobody may create the spool folder beside the database and read the database, not write it.
            #expect(chmod(fixture.folder.path, 0o777) == 0)
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: fixture.path + suffix) {
                #expect(chmod(fixture.path + suffix, 0o644) == 0)
            }
        } else {
            #expect(chmod(fixture.path, 0o444) == 0)
        }
        let payloads = try HookFixture.payloads("pwd__post_tool_use.json").prefix(3).map { String(decoding: $0, as: UTF8.self) }
        for payload in payloads {
            let result = try Self.runHook(payload, database: fixture.path, asNobody: asRoot)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("kept in"), "\(result.stderr)")
        }
        #expect(try fixture.store.events(EventQuery()).isEmpty)
        let spooled = try FileManager.default.contentsOfDirectory(atPath: fixture.path + ".spool").filter { $0.hasSuffix(".hook") }
        #expect(spooled.count == payloads.count)

        // Writable again: the next hook stores its own event and replays the spool, once.
        if !asRoot { #expect(chmod(fixture.path, 0o600) == 0) }
        let next = #"{"hook_event_name":"Stop","session_id":"after-read-only","cwd":"/p"}"#
        #expect(try Self.runHook(next, database: fixture.path, asNobody: false).status == 0)
        #expect(try fixture.store.events(EventQuery()).count == payloads.count + 1)
        #expect(try fixture.runner.replayAll() == 0)
        #expect(try fixture.store.events(EventQuery()).count == payloads.count + 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.path + ".spool").filter { $0.hasSuffix(".hook") }.isEmpty)
        #expect(try fixture.store.integrityProblems().isEmpty)
    }
}
