import AgentLogMCP
import AgentLogStore
import Foundation
import HTTPTypes
import Hummingbird
import MCP
import NIOCore
import NIOPosix

/// `/mcp`: the MCP server over Streamable HTTP, stateless — each POST is answered with one JSON
/// response by a server made for it (there is no session to keep, so any number of clients and
/// restarts need nothing). Behind the same Host, Origin and token checks as the API.
struct MCPRoutes: Sendable {
    let store: AgentLogStore
    let pool: NIOThreadPool

    /// The largest request body read (a JSON-RPC call with its arguments).
    static let maxBody = 1 << 20

    func add(to router: Router<ServerRequestContext>) {
        let pool = self.pool
        let service = MCPService(context: ToolContext(
            store: store, workingDirectory: FileManager.default.currentDirectoryPath, defaultSession: "mcp-http", readOnly: false,
            offload: { body in try await pool.runIfActive(body) }))
        router.on("mcp", method: .post) { request, _ in
            let body = try await request.body.collect(upTo: Self.maxBody)
            return try await Self.answer(request, body: Data(buffer: body), service: service)
        }
        for method in [HTTPRequest.Method.get, .delete] {
            router.on("mcp", method: method) { request, _ in try await Self.answer(request, body: nil, service: service) }
        }
    }

    /// The request handed to a fresh server and transport, and its answer.
    private static func answer(_ request: Request, body: Data?, service: MCPService) async throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let transport = StatelessHTTPServerTransport(validationPipeline: StandardValidationPipeline(validators: [
            // Host and Origin are checked by the server's own middleware, for every route alike.
            AcceptHeaderValidator(mode: .jsonOnly), ContentTypeValidator(), ProtocolVersionValidator(),
        ]))
        let server = await service.makeServer()
        try await server.start(transport: transport)
        let answer = await transport.handleRequest(MCP.HTTPRequest(method: request.method.rawValue, headers: headers, body: body,
                                                                   path: request.uri.path))
        await server.stop()
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        let bytes = answer.bodyData ?? Data()
        return Response(status: .init(code: answer.statusCode), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
