import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("The server half of the commands")
struct ServerHalfTests {
    @Test("serve, mcp and auth user run in-process without a server half say so, and neither become another process nor touch the database",
          arguments: [["serve", "--port", "0", "--no-sync"], ["mcp", "--no-sync"], ["auth", "user", "add", "ana", "--password-stdin"]])
    func withoutServerHalf(arguments: [String]) async throws {
        let home = try TemporaryFolder()
        let db = home.path + "/agentlog.db"
        let context = CommandContext.captured(environment: CLIRun.environment(home: home.path), currentDirectory: home.path,
                                              input: Array("correct horse battery\n".utf8))
        let status = await AgentLogCommand.run(["--db", db] + arguments, in: context)
        #expect(status == 1)
        #expect(context.standardError.text.contains("server half"), "\(context.standardError.text)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    #if os(Linux)
    @Test("the agentlog executable does not load FoundationNetworking (10 ms at every start); agentlog-server does")
    func noNetworkingInAgentlog() throws {
        func libraries(_ executable: URL) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
            process.arguments = [executable.path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return text
        }
        let agentlog = try libraries(CLIRun.binary)
        #expect(agentlog.contains("libc.so"), "ldd answered: \(agentlog.prefix(200))")
        #expect(!agentlog.contains("FoundationNetworking") && !agentlog.contains("libcurl"))
        let server = try libraries(CLIRun.binary.deletingLastPathComponent().appendingPathComponent("agentlog-server"))
        #expect(server.contains("FoundationNetworking") || server.contains("libcurl"))
    }
    #endif
}
