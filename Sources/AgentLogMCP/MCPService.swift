import AgentLogHistory
import AgentLogJSON
import AgentLogStore
import Foundation
import MCP

/// agentlog's MCP server: the tools, the resources, and the `MCP.Server` that serves them over
/// stdio (`agentlog mcp`) or behind `agentlog serve`'s `/mcp`.
public struct MCPService: Sendable {
    /// What tool calls run with.
    public let context: ToolContext

    /// The server's name in `initialize`.
    public static let name = "agentlog"
    /// The server's version in `initialize`.
    public static let version = "0.7.0"

    /// A service over `context`.
    public init(context: ToolContext) { self.context = context }

    /// The tools offered: every read tool, and the coordination tools unless read-only.
    var tools: [ToolDefinition] {
        ReadTools.all + CoordinationTools.all.filter { !context.readOnly || !$0.writes }
    }

    /// The names of the tools offered, in `tools/list` order.
    public var toolNames: [String] { tools.map(\.name) }

    /// A server with every handler registered, not yet started.
    public func makeServer() async -> Server {
        let server = Server(
            name: Self.name, version: Self.version, title: "agentlog",
            instructions: """
                agentlog records every Claude Code, Codex and Gemini CLI session on this machine. Use search and \
                get_session to find what was tried before, get_usage for cost, and claim_files / check_claims / \
                release_files to avoid editing files another running agent is editing.
                """,
            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
        let tools = self.tools
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: tools.map(\.tool)) }
        await server.withMethodHandler(CallTool.self) { params in
            try await call(params.name, arguments: params.arguments)
        }
        let resources = SessionResources(context: context)
        await server.withMethodHandler(ListResources.self) { _ in .init(resources: try await resources.list()) }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in .init(templates: SessionResources.templates) }
        await server.withMethodHandler(ReadResource.self) { params in .init(contents: try await resources.read(params.uri)) }
        return server
    }

    /// Runs tool `name`: its document as structured content (and as JSON text, for clients that
    /// read only text), or a tool error with a sentence saying what was wrong. An unknown tool
    /// is a protocol error (invalid params), as the specification asks.
    public func call(_ name: String, arguments: [String: Value]?) async throws -> CallTool.Result {
        guard let tool = tools.first(where: { $0.name == name }) else {
            let readOnlyNote = context.readOnly && CoordinationTools.all.contains { $0.name == name } ? " (this server is read-only)" : ""
            throw MCPError.invalidParams("Unknown tool '\(name.prefix(80))'\(readOnlyNote); tools/list names the tools.")
        }
        do {
            let document = try await tool.run(try ToolArguments(arguments, declared: tool.arguments, tool: name), context)
            return .init(content: [.text(text: document.text(indent: nil), annotations: nil, _meta: nil)],
                         structuredContent: Value(document) as Value?, isError: false)
        } catch let error as ToolError {
            return Self.failure(error.description)
        } catch let error as StoreError {
            return Self.failure(error.description)
        } catch {
            return Self.failure("\(name) failed: \(error)")
        }
    }

    static func failure(_ message: String) -> CallTool.Result {
        .init(content: [.text(text: message, annotations: nil, _meta: nil)], isError: true)
    }

    /// Serves over standard input and output until the client closes them.
    public func runStdio() async throws {
        let server = await makeServer()
        try await server.start(transport: StdioLineTransport())
        await server.waitUntilCompleted()
    }
}
