import AgentLogDemo
import AgentLogTestSupport
import Foundation
import Testing

@Suite("agentlog mcp as a process")
struct MCPServeTests {
    @Test("the server syncs the agents' transcripts as it starts: a history never synced is searchable without running sync first")
    func syncsAtStart() throws {
        let home = try TemporaryFolder()
        _ = try DemoHistory.write(to: home.url.appendingPathComponent(".claude/projects"), now: Date())
        let process = Process()
        process.executableURL = CLIRun.binary
        process.arguments = ["mcp"]
        process.environment = CLIRun.environment(home: home.path)
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let lines = LineReader(output.fileHandleForReading)
        func ask(_ id: Int, _ method: String, _ params: String) -> String {
            input.fileHandleForWriting.write(Data(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#.utf8 + [0x0A]))
            return lines.next() ?? ""
        }
        #expect(ask(1, "initialize", #"{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}"#)
            .contains(#""name":"agentlog""#))
        var sessions = 0
        for attempt in 2..<100 where sessions == 0 {
            let answer = ask(attempt, "tools/call", #"{"name":"list_sessions","arguments":{"limit":200}}"#)
            sessions = answer.components(separatedBy: #"\"agent\":\"claude\""#).count - 1
            if sessions == 0 { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(sessions == 14)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}

/// Lines read from a pipe, one at a time.
final class LineReader {
    private let handle: FileHandle
    private var buffer = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[..<newline]
                buffer.removeSubrange(...newline)
                return String(decoding: line, as: UTF8.self)
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }
}
