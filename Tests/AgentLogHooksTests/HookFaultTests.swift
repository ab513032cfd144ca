import AgentLogHistory
import AgentLogStore
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogHooks

@Suite("Hook processes killed at random moments")
struct HookFaultTests {
    /// The debug `agentlog-hook` that `swift test` builds.
    static let binary: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/debug/agentlog-hook").path
    }()

    @Test("200 kill -9 at random moments: the database stays sound and every hook that exited 0 has its event stored")
    func killNine() throws {
        let fixture = try HookFixture()
        var exitedZero: [String] = []
        var killed = 0
        var generator = SystemRandomNumberGenerator()
        for index in 0..<200 {
            let id = "k\(index)"
            let input = Pipe()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["--db", fixture.path]
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            input.fileHandleForWriting.write(Data(#"{"hook_event_name":"PostToolUse","session_id":"faults","cwd":"/p","tool_name":"Edit","tool_use_id":"\#(id)","tool_input":{"file_path":"/p/f\#(index % 7).swift"}}"#.utf8))
            try input.fileHandleForWriting.close()
            usleep(UInt32.random(in: 0...12_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .exit && process.terminationStatus == 0 {
                exitedZero.append(id)
            } else {
                killed += 1
            }
        }
        #expect(try fixture.store.integrityProblems().isEmpty)
        let stored = Set(try fixture.store.events(EventQuery(session: "faults")).compactMap { event in
            (try? JSONSerialization.jsonObject(with: Data(event.payload.utf8)) as? [String: Any])?["tool_use_id"] as? String
        })
        #expect(Set(exitedZero).isSubset(of: stored), "lost: \(Set(exitedZero).subtracting(stored).sorted())")
        print("kill -9 test: \(killed) hooks killed, \(exitedZero.count) finished, \(stored.count) events stored")
        // Both outcomes happened, or the test proved nothing.
        #expect(killed > 0 && !exitedZero.isEmpty, "killed \(killed), finished \(exitedZero.count)")
        // Claims agree with the events that made them.
        let writes = try fixture.store.fileClaims().reduce(0) { $0 + $1.writes }
        #expect(writes == stored.count)
    }
}
