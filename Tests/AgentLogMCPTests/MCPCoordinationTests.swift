import AgentLogHistory
import AgentLogStore
import AgentLogTestSupport
import Foundation
import MCP
import Testing
@testable import AgentLogMCP

@Suite("Agents coordinating through MCP")
struct MCPCoordinationTests {
    @Test("one agent's claim is a conflict for another until it is released; a claim past its time to live holds no more")
    func claims() async throws {
        let folder = try TemporaryFolder()
        let store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
        func agent(_ session: String) -> MCPService {
            MCPService(context: ToolContext(store: store, workingDirectory: "/repo", defaultSession: session, readOnly: false))
        }
        let a = agent("session-a"), b = agent("session-b")
        let claimed = try document(try await a.call("claim_files", arguments: ["paths": ["src/app.swift", "./src/../README.md"], "intent": "rename"]))
        #expect(claimed["claimed"] == ["/repo/src/app.swift", "/repo/README.md"])
        let check = try document(try await b.call("check_claims", arguments: ["paths": ["/repo/src/app.swift", "src/free.swift"]]))
        #expect(check["free"] == false)
        let conflicts = try #require(check["conflicts"]?.arrayValue?.compactMap { $0.objectValue })
        #expect(conflicts.count == 1 && conflicts.first?["session"] == "session-a" && conflicts.first?["intent"] == "rename")
        // B cannot claim what A holds; its own check of its own claim is free.
        let refused = try document(try await b.call("claim_files", arguments: ["paths": ["src/app.swift", "src/free.swift"]]))
        #expect(refused["claimed"] == ["/repo/src/free.swift"] && refused["conflicts"]?.arrayValue?.count == 1)
        #expect(try document(try await b.call("check_claims", arguments: ["paths": ["src/free.swift"]]))["free"] == true)
        // Released: B is free to go.
        #expect(try document(try await a.call("release_files", arguments: ["paths": ["src/app.swift"]]))["released"] == 1)
        #expect(try document(try await b.call("check_claims", arguments: ["paths": ["src/app.swift"]]))["free"] == true)
        // A short claim expires by itself (5 s: a loaded 2-core machine has taken over 1 s between two calls).
        _ = try document(try await a.call("claim_files", arguments: ["paths": ["src/app.swift"], "ttl_seconds": 5, "session": "session-a"]))
        #expect(try document(try await b.call("check_claims", arguments: ["paths": ["src/app.swift"]]))["free"] == false)
        try await Task.sleep(for: .milliseconds(5_100))
        #expect(try document(try await b.call("check_claims", arguments: ["paths": ["src/app.swift"]]))["free"] == true)
        // Every claim shows in get_claims until released or expired.
        let listed = try document(try await b.call("get_claims", arguments: [:]))
        #expect(listed["rows"]?.arrayValue?.compactMap { $0.objectValue?["path"]?.stringValue }.sorted() == ["/repo/README.md", "/repo/src/free.swift"])
    }

    @Test("failed paths and verdicts noted through MCP are what the hook and the CLI read")
    func notes() async throws {
        let folder = try TemporaryFolder()
        let store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
        let service = MCPService(context: ToolContext(store: store, workingDirectory: "/repo", defaultSession: "s1", readOnly: false))
        let note = try document(try await service.call("note_failed_path", arguments: ["approach": "bump the timeout", "reason": "still flaky",
                                                                                      "file": "Tests/Flaky.swift"]))
        #expect(note["project"] == "/repo" && note["file"] == "/repo/Tests/Flaky.swift" && note["session"] == "s1")
        #expect(try store.failedPaths(project: "/repo").map(\.approach) == ["bump the timeout"])
        let listed = try document(try await service.call("get_failed_paths", arguments: ["project": "/repo"]))
        #expect(listed["rows"]?.arrayValue?.count == 1)
        let verdict = try document(try await service.call("note_verdict", arguments: ["decision": "block", "reason": "tests fail"]))
        #expect(verdict["seq"] == 1 && verdict["session"] == "s1")
        #expect(try store.events(EventQuery(session: "s1")).map(\.type) == ["Verdict"])
        #expect(try document(try await service.call("get_open_errors", arguments: [:]))["rows"] == [])
        #expect(try document(try await service.call("list_agents", arguments: ["status": "running"]))["rows"] == [])
        #expect(try document(try await service.call("list_runs", arguments: [:]))["rows"] == [])
    }
}
