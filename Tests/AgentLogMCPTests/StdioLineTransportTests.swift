import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogMCP

@Suite("MCP over standard input and output")
struct StdioLineTransportTests {
    @Test("every request is answered, batches and bad lines included, even when input ends before the answers are ready")
    func answersBeforeEndOfInput() async throws {
        var toServer: [Int32] = [0, 0], fromServer: [Int32] = [0, 0]
        // Close-on-exec: a process another test spawns meanwhile must not inherit an end and hold it open.
        #expect(pipe(&toServer) == 0 && pipe(&fromServer) == 0)
        for descriptor in toServer + fromServer { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let lines = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#,
            #"[{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_sessions","arguments":{"limit":"x"}}},{"jsonrpc":"2.0","id":"three","method":"ping"}]"#,
            "not json at all",
            #"{"jsonrpc":"2.0","id":4,"method":"tools/list"}"#,
        ]
        let text = lines.joined(separator: "\n") + "\n"
        _ = text.withCString { write(toServer[1], $0, strlen($0)) }
        close(toServer[1])  // end of input before a single answer
        let service = try demoService()
        let server = await service.makeServer()
        try await server.start(transport: StdioLineTransport(input: toServer[0], output: fromServer[1]))
        await server.waitUntilCompleted()
        close(fromServer[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(fromServer[0], &buffer, buffer.count)
            if count <= 0 { break }
            output += buffer[..<count]
        }
        close(fromServer[0]); close(toServer[0])
        let answers = String(decoding: output, as: UTF8.self).split(separator: "\n")
        #expect(answers.count == 4, "\(answers.map { $0.prefix(80) })")
        let joined = answers.joined(separator: "\n")
        for id in [#""id":1"#, #""id":2"#, #""id":"three""#, #""id":4"#, "Parse error", "limit must be a whole number"] {
            #expect(joined.contains(id), "\(id)")
        }
    }
}
