import AgentLogTestSupport
import Foundation
import Testing

@Suite("agentlog serve as a process", .serialized)
struct ServeCommandTests {
    /// Starts `agentlog serve --port 0` and returns the process and the port it printed.
    private func start(_ db: String, home: String, port: Int = 0) throws -> (process: Process, port: Int?, errors: Pipe) {
        let process = Process()
        process.executableURL = CLIRun.binary
        process.arguments = ["--db", db, "serve", "--port", String(port)]
        process.environment = CLIRun.environment(home: home)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !text.contains("\n") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let port = text.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }
        return (process, port, errors)
    }

    @Test("serve starts in well under a second, answers on loopback, a second serve on its port says so in one sentence, Ctrl-C stops it cleanly")
    func lifecycle() async throws {
        let home = try TemporaryFolder()
        let db = home.path + "/agentlog.db"
        let started = Date()
        let server = try start(db, home: home.path)
        let port = try #require(server.port)
        #expect(Date().timeIntervalSince(started) < 5)
        defer { if server.process.isRunning { server.process.terminate() } }

        let status = try await CLIRun.spawnedStatus(port: port)
        #expect(status.hasPrefix("HTTP/1.1 200"), "\(status)")

        let second = try CLIRun.spawned(["--db", db, "serve", "--port", String(port)], home: home.path)
        #expect(second.status == 1)
        #expect(second.stderr.contains("already in use") && second.stderr.split(separator: "\n").count == 1, "\(second.stderr)")

        kill(server.process.processIdentifier, SIGINT)
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
        #expect(try await CLIRun.spawnedStatus(port: port).isEmpty, "nothing listens after Ctrl-C")
    }

    @Test("serve refuses an address other machines could reach (bad usage, exit 2)")
    func loopbackOnly() async throws {
        let home = try TemporaryFolder()
        let result = await CLIRun(["serve", "--host", "0.0.0.0"], home: home.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("loopback"))
    }
}

extension CLIRun {
    /// The status line of `GET /api/v1/status` on 127.0.0.1:`port`, or "" when nothing answers.
    static func spawnedStatus(port: Int) async throws -> String {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return "" }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "" }
        let request = Array("GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).components(separatedBy: "\r\n").first ?? ""
    }
}
