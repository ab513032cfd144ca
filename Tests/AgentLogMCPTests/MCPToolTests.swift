import AgentLogDemo
import AgentLogHistory
import AgentLogStore
import AgentLogTestSupport
import Foundation
import MCP
import Testing
@testable import AgentLogMCP

/// An MCP service over the shared demo history.
func demoService(session: String = "me", readOnly: Bool = false) throws -> MCPService {
    MCPService(context: ToolContext(store: try DemoDatabase.shared.get().store, workingDirectory: "/work/app", defaultSession: session,
                                    readOnly: readOnly))
}

/// The structured document of a successful call.
func document(_ result: CallTool.Result, _ comment: Comment? = nil) throws -> [String: Value] {
    #expect(result.isError == false, comment ?? "")
    return try #require(result.structuredContent?.objectValue, comment ?? "")
}

/// The message of a failed call.
func failure(_ result: CallTool.Result) -> String {
    #expect(result.isError == true)
    guard case .text(let text, _, _)? = result.content.first else { return "" }
    return text
}

@Suite("MCP tools over the demo history")
struct MCPToolTests {
    let store: AgentLogStore
    init() throws { store = try DemoDatabase.shared.get().store }

    @Test("tools/list over the protocol names every tool, each with an object schema that refuses unknown arguments and an output schema naming its document")
    func listsTools() async throws {
        let server = try await demoService().makeServer()
        let (clientSide, serverSide) = await InMemoryTransport.createConnectedPair()
        try await server.start(transport: serverSide)
        let client = Client(name: "test", version: "1")
        let initialized = try await client.connect(transport: clientSide)
        #expect(initialized.serverInfo.name == "agentlog")
        let (tools, _) = try await client.listTools()
        #expect(tools.map(\.name) == ["search", "list_sessions", "get_session", "get_usage", "get_tool_calls", "recent_edits", "get_failed_paths",
                                      "get_open_errors", "list_agents", "get_claims", "list_runs", "note_failed_path", "claim_files",
                                      "release_files", "check_claims", "note_verdict"])
        for tool in tools {
            let input = try #require(tool.inputSchema.objectValue)
            #expect(input["type"] == "object" && input["additionalProperties"] == false, "\(tool.name)")
            // One document, or (get_usage) any of several.
            let output = try #require(tool.outputSchema?.objectValue, "\(tool.name)")
            let documents = output["anyOf"]?.arrayValue?.compactMap(\.objectValue) ?? [output]
            #expect(output["type"] == "object" && !documents.isEmpty, "\(tool.name)")
            for document in documents {
                let name = document["properties"]?.objectValue?["schema"]?.objectValue?["const"]?.stringValue
                #expect(name?.hasPrefix("agentlog.") == true, "\(tool.name)")
            }
        }
        let (content, isError) = try await client.callTool(name: "list_sessions", arguments: ["limit": 2])
        #expect(isError == false && !content.isEmpty)
        await client.disconnect()
        await server.stop()
    }

    @Test("a read-only server offers no tool that writes, and says so when one is called")
    func readOnly() async throws {
        let service = try demoService(readOnly: true)
        #expect(!service.toolNames.contains("claim_files") && !service.toolNames.contains("note_failed_path"))
        #expect(service.toolNames.contains("check_claims"))
        await #expect(throws: MCPError.self) { _ = try await service.call("claim_files", arguments: ["paths": ["a"]]) }
    }

    @Test("search answers snippets with their session and turn; sessions page with a cursor")
    func searchAndSessions() async throws {
        let service = try demoService()
        let sessions = try document(try await service.call("list_sessions", arguments: ["limit": 3]))
        #expect(sessions["schema"] == "agentlog.sessions.v1")
        let rows = try #require(sessions["rows"]?.arrayValue)
        #expect(rows.count == 3)
        let cursor = try #require(sessions["nextCursor"]?.stringValue)
        let next = try document(try await service.call("list_sessions", arguments: ["limit": 3, "cursor": .string(cursor)]))
        let nextIds = (next["rows"]?.arrayValue ?? []).compactMap { $0.objectValue?["id"]?.stringValue }
        #expect(nextIds.count == 3 && Set(nextIds).isDisjoint(with: rows.compactMap { $0.objectValue?["id"]?.stringValue }))

        let found = try document(try await service.call("search", arguments: ["q": "test", "limit": 5]))
        let hits = try #require(found["rows"]?.arrayValue)
        #expect(!hits.isEmpty)
        for hit in hits.compactMap(\.objectValue) where hit["kind"] != "title" {
            #expect(hit["snippet"]?.stringValue?.contains("[") == true)
            #expect((hit["turn"]?.intValue ?? -1) >= 0)
        }
    }

    @Test("get_session pages by turn within its character budget; get_tool_calls counts what the session made")
    func sessionPages() async throws {
        let service = try demoService()
        let biggest = try store.sessions(SessionQuery()).max { $0.toolCalls < $1.toolCalls }!
        let whole = try document(try await service.call("get_session", arguments: ["id": .string(biggest.sessionId), "max_characters": 500_000,
                                                                                  "limit": 200]))
        let turnCount = try #require(whole["turnCount"]?.intValue)
        #expect(whole["turns"]?.arrayValue?.count == turnCount && whole["nextFrom"] == .null && whole["clipped"] == false)
        let small = try document(try await service.call("get_session", arguments: ["id": .string(String(biggest.sessionId.prefix(8))),
                                                                                  "max_characters": 1_000]))
        let shown = try #require(small["turns"]?.arrayValue)
        #expect(shown.count < turnCount && small["nextFrom"]?.intValue == shown.count)
        let text = String(decoding: try JSONEncoder().encode(shown), as: UTF8.self)
        #expect(text.count < 3_000, "the turns are bounded by the budget: \(text.count) characters")

        let calls = try document(try await service.call("get_tool_calls", arguments: ["session": .string(biggest.sessionId), "limit": 500]))
        #expect(calls["total"]?.intValue == biggest.toolCalls && calls["rows"]?.arrayValue?.count == biggest.toolCalls)
        let failed = try document(try await service.call("get_tool_calls", arguments: ["session": .string(biggest.sessionId), "errors_only": true]))
        #expect((failed["rows"]?.arrayValue ?? []).allSatisfy { $0.objectValue?["isError"] == true })
    }

    @Test("get_usage totals are the report's; recent_edits are changes only, newest first")
    func usageAndEdits() async throws {
        let service = try demoService()
        let usage = try document(try await service.call("get_usage", arguments: ["group": "model", "breakdown": "agent"]))
        let report = try store.usageReport(ReportOptions(kind: .model))
        #expect(usage["totals"]?.objectValue?["totalTokens"]?.intValue == report.totals.tokens.total)
        #expect(usage["report"] == "model")
        // group=blocks: the 5-hour windows, the same as the store's.
        let blocks = try document(try await service.call("get_usage", arguments: ["group": "blocks", "period": "all"]))
        #expect(blocks["schema"] == "agentlog.blocks.v1")
        #expect(blocks["blocks"]?.arrayValue?.count == (try store.blocksReport(filter: UsageFilter())).blocks.count)

        let edits = try document(try await service.call("recent_edits", arguments: ["limit": 20]))
        let rows = try #require(edits["rows"]?.arrayValue?.compactMap { $0.objectValue })
        #expect(!rows.isEmpty && rows.allSatisfy { $0["operation"] != "read" })
        let times = rows.compactMap { $0["timestamp"]?.stringValue }
        #expect(times == times.sorted(by: >))
    }

    @Test("bad arguments are tool errors that name the argument, never a crash")
    func badArguments() async throws {
        let service = try demoService()
        let cases: [(String, [String: Value], String)] = [
            ("search", [:], "q is required"),
            ("search", ["q": "x", "limit": "ten"], "limit must be a whole number"),
            ("search", ["q": "x", "limit": 100_000], "limit must be from 1 to 100"),
            ("search", ["q": "x", "colour": "red"], "Unknown argument 'colour'"),
            ("search", ["q": "-"], "q:"),
            ("list_sessions", ["since": "yesterday-ish"], "since 'yesterday-ish' is not a date"),
            ("list_sessions", ["since": "2026-05-02", "until": "2026-05-01"], "until is before since"),
            ("list_sessions", ["agent": "copilot"], "agent must be one of"),
            ("list_sessions", ["cursor": "nonsense"], "cursor must be the nextCursor"),
            ("get_usage", ["timezone": "Mars/Olympus"], "Unknown time zone"),
            ("get_session", ["id": "0000-no-such-session"], "0000-no-such-session"),
            ("claim_files", ["paths": []], "paths must be a list of 1 to 100"),
            ("claim_files", ["paths": [1, 2]], "paths must hold texts"),
            ("note_verdict", ["decision": "maybe"], "decision must be one of"),
        ]
        for (tool, arguments, expected) in cases {
            let message = failure(try await service.call(tool, arguments: arguments))
            #expect(message.contains(expected), "\(tool) \(arguments): \(message)")
        }
        await #expect(throws: MCPError.self) { _ = try await service.call("no_such_tool", arguments: nil) }
    }

    @Test("a session resource is its Markdown; today's usage is the report document; an unknown resource is an error")
    func resources() async throws {
        let context = try demoService().context
        let resources = SessionResources(context: context)
        let listed = try await resources.list()
        #expect(listed.first?.uri == SessionResources.usageToday && listed.count == 11)
        let session = try #require(listed.dropFirst().first?.uri)
        guard case let content? = try await resources.read(session).first, let markdown = content.text else {
            Issue.record("no text")
            return
        }
        #expect(markdown.hasPrefix("# ") && markdown.contains("## Turn 1"))
        let usage = try #require(try await resources.read(SessionResources.usageToday).first?.text)
        #expect(usage.contains("\"agentlog.report.v1\""))
        await #expect(throws: MCPError.self) { _ = try await resources.read("agentlog://session/no-such-session") }
        await #expect(throws: MCPError.self) { _ = try await resources.read("https://example.com/") }
    }
}
