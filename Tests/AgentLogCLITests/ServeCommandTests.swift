import AgentLogTestSupport
import AgentLogServer
import AgentLogStore
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
        // "agentlog serve: listening on http://127.0.0.1:PORT (Ctrl-C stops it)…"
        let listening = text.split(separator: "\n").first { $0.contains("listening on") } ?? ""
        let port = listening.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) }
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

    @Test("serve refuses an address other machines could reach until a token exists or pairing is on, and says what to run")
    func beyondLoopbackNeedsAuth() async throws {
        let home = try TemporaryFolder()
        let db = home.path + "/agentlog.db"
        let result = await CLIRun(["--db", db, "serve", "--host", "0.0.0.0", "--port", "0"], home: home.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("agentlog auth token create") && result.stderr.contains("--pair"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("auth: a token made, listed by its hint and name, revoked; pairing codes approved and denied from the command line")
    func authCommands() async throws {
        let home = try TemporaryFolder()
        let db = home.path + "/agentlog.db"
        let made = await CLIRun(["--db", db, "auth", "token", "create", "--name", "ci", "--format", "json"], home: home.path)
        #expect(made.status == 0)
        let token = try #require((try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any])?["token"] as? String)
        let list = await CLIRun(["--db", db, "auth", "token", "list"], home: home.path)
        #expect(list.stdout.contains("ci") && list.stdout.contains(String(token.prefix(10))) && !list.stdout.contains(token))
        #expect(await CLIRun(["--db", db, "auth", "token", "revoke", "ci"], home: home.path).status == 0)
        #expect(await CLIRun(["--db", db, "auth", "token", "list"], home: home.path).stdout.contains("revoked"))
        #expect(await CLIRun(["--db", db, "auth", "token", "revoke", "nothing"], home: home.path).status == 1)

        let store = try AgentLogStore.open(at: db)
        let request = try await store.startPairing(device: "phone", address: nil)
        let approve = await CLIRun(["--db", db, "auth", "approve", request.pairing.userCode], home: home.path)
        #expect(approve.status == 0 && approve.stdout.contains("Approved phone"))
        #expect(await CLIRun(["--db", db, "auth", "deny", request.pairing.userCode], home: home.path).status == 1, "already decided")
        #expect(await CLIRun(["--db", db, "auth", "pairings"], home: home.path).stdout.contains("approved"))
        let logs = await CLIRun(["--db", db, "logs", "--component", "auth"], home: home.path)
        #expect(logs.stdout.contains("approved"), "\(logs.stdout)")
    }

    @Test("auth user: added with a password from standard input, listed, given a new one, removed; bad names and passwords refused")
    func userCommands() async throws {
        let home = try TemporaryFolder()
        let db = home.path + "/agentlog.db"
        let added = await CLIRun(["--db", db, "auth", "user", "add", "ana", "--password-stdin"], home: home.path, input: "correct horse\n")
        #expect(added.status == 0 && added.stdout.contains("Added ana"), "\(added.stderr)")
        let store = try AgentLogStore.open(at: db)
        let hash = try #require(try await store.passwordHash(ofUser: "ana"))
        #expect(hash.hasPrefix("$2") && !hash.contains("correct horse"))
        #expect(await Passwords.verify("correct horse", hash: hash))
        let again = await CLIRun(["--db", db, "auth", "user", "add", "ana", "--password-stdin"], home: home.path, input: "another one\n")
        #expect(again.status == 1 && again.stderr.contains("passwd"), "\(again.stderr)")
        let short = await CLIRun(["--db", db, "auth", "user", "add", "bo", "--password-stdin"], home: home.path, input: "short\n")
        #expect(short.status == 1 && short.stderr.contains("8 to 72"), "\(short.stderr)")
        #expect(await CLIRun(["--db", db, "auth", "user", "add", "no one", "--password-stdin"], home: home.path, input: "long enough\n").status == 2)
        let list = await CLIRun(["--db", db, "auth", "user", "list", "--format", "json"], home: home.path)
        let rows = try #require(list.json?["rows"] as? [[String: Any]])
        #expect(rows.map { $0["name"] as? String } == ["ana"] && rows.first?["hasPassword"] as? Bool == true)

        let changed = await CLIRun(["--db", db, "auth", "user", "passwd", "ana", "--password-stdin"], home: home.path, input: "battery staple\n")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(await Passwords.verify("battery staple", hash: try await store.passwordHash(ofUser: "ana")))
        #expect(await CLIRun(["--db", db, "auth", "user", "passwd", "zed", "--password-stdin"], home: home.path, input: "battery staple\n").status == 1)
        #expect(await CLIRun(["--db", db, "auth", "user", "remove", "ana"], home: home.path).status == 0)
        #expect(await CLIRun(["--db", db, "auth", "user", "list"], home: home.path).stdout.contains("No users yet"))
        #expect(await CLIRun(["--db", db, "auth", "user", "remove", "ana"], home: home.path).status == 1)
    }
}

extension CLIRun {
    /// The status line of `GET /api/v1/status` on 127.0.0.1:`port`, or "" when nothing answers.
    static func spawnedStatus(port: Int) async throws -> String {
        await LoopbackSocket.statusLine(port: port, request: "GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n")
    }
}
