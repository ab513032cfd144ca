import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI
import AgentLogServerCLI

/// Runs an `agentlog` command line — in this process, in a ``CommandContext`` of its own with
/// HOME pointing at `home` (never the machine's own agent folders) — or a built executable in a
/// process of its own, and returns its exit status and output.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
    }

    static let binary: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let debug = url.appendingPathComponent(".build/debug/agentlog")
        return FileManager.default.fileExists(atPath: debug.path) ? debug : url.appendingPathComponent(".build/release/agentlog")
    }()

    /// The environment commands see: this process's, with HOME at `home` and nothing that
    /// points at the machine's own database, prices or Claude configuration.
    static func environment(home: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment.removeValue(forKey: "CLAUDE_CONFIG_DIR")
        environment.removeValue(forKey: "AGENTLOG_DB")
        environment.removeValue(forKey: "AGENTLOG_PRICES")
        environment.removeValue(forKey: "CODEX_HOME")
        return environment
    }

    /// Runs `agentlog arguments` in this process; `input`, when given, is its standard input;
    /// `directory` its current folder (default: this process's).
    init(_ arguments: [String], home: String, input: String? = nil, directory: String? = nil) async {
        var context = CommandContext.captured(environment: Self.environment(home: home),
                                              currentDirectory: directory ?? FileManager.default.currentDirectoryPath,
                                              input: Array((input ?? "").utf8))
        context.serverHalf = LiveServerHalf()  // what the agentlog-server executable gives serve, mcp and auth user
        let status = await AgentLogCommand.run(arguments, in: context)
        self.init(status: status, stdout: context.standardOutput.text, stderr: context.standardError.text)
    }

    /// Runs the built `agentlog arguments` in a process of its own (for what needs one: signals,
    /// several processes at once, a process killed half-way).
    static func spawned(_ arguments: [String], home: String, input: String? = nil) throws -> CLIRun {
        try run(binary, arguments, home: home, input: input)
    }

    private init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// Runs `executable arguments`.
    static func run(_ executable: URL, _ arguments: [String], home: String, input: String? = nil) throws -> CLIRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment(home: home)
        // stderr goes to a file, so a chatty stderr can never block the process while stdout is read.
        let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("agentlog-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errPath.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errPath) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errPath)
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errData = (try? Data(contentsOf: errPath)) ?? Data()
        return CLIRun(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

@Suite("agentlog command line", .serialized)
struct CLITests {
    let home: TemporaryFolder
    let db: String

    init() throws {
        home = try TemporaryFolder()
        db = home.path + "/agentlog.db"
    }

    private func run(_ arguments: String...) async -> CLIRun {
        await CLIRun(["--db", db] + arguments, home: home.path)
    }

    @Test("sync --format json reports files, lines, new records and rejected lines under its schema")
    func syncJSON() async throws {
        let result = await run("sync", "--path", Corpus.claude.path, "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(result.json)
        #expect(json["schema"] as? String == "agentlog.sync.v1")
        #expect(json["files"] as? Int == 60)
        #expect((json["lines"] as? Int ?? 0) > 4000)
        #expect((json["newRecords"] as? Int ?? 0) > 0)
        #expect((json["rejected"] as? [Any])?.isEmpty == true)
    }

    @Test("report json rows and totals carry the documented keys, and the totals are the corpus totals")
    func reportJSON() async throws {
        _ = await run("sync", "--path", Corpus.claude.path, "--quiet")
        let expected = try ExpectedTotals.of(tree: Corpus.claude)
        for kind in ["daily", "weekly", "monthly", "session", "model", "project"] {
            let result = await run("report", kind, "--no-sync", "--format", "json", "--timezone", "UTC")
            #expect(result.status == 0, "\(result.stderr)")
            let json = try #require(result.json)
            #expect(json["schema"] as? String == "agentlog.report.v1")
            let rows = try #require(json["rows"] as? [[String: Any]])
            let key = ["daily": "period", "weekly": "period", "monthly": "period"][kind] ?? kind
            #expect(rows.allSatisfy { $0[key] is String && $0["costUSD"] is NSNumber && $0["totalTokens"] is Int })
            let totals = try #require(json["totals"] as? [String: Any])
            #expect(totals["inputTokens"] as? Int == expected.input)
            #expect(totals["outputTokens"] as? Int == expected.output)
            #expect(totals["cacheCreationTokens"] as? Int == expected.cacheCreation)
            #expect(totals["cacheReadTokens"] as? Int == expected.cacheRead)
            #expect(totals["totalTokens"] as? Int == expected.input + expected.output + expected.cacheCreation + expected.cacheRead)
            #expect(totals["costUSD"] is NSNumber)
        }
        let daily = await run("report", "daily", "--no-sync", "--format", "json", "--timezone", "UTC").json
        #expect((daily?["rows"] as? [Any])?.count == 25)  // distinct UTC days with responses (scale-corpus.py)
    }

    @Test("report blocks and report subagent: text and json; their options are refused where they do not apply")
    func reportBlocks() async throws {
        _ = await run("sync", "--path", Corpus.claude.path, "--quiet")
        let json = await run("report", "blocks", "--no-sync", "--format", "json", "--token-limit", "max")
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.json?["schema"] as? String == "agentlog.blocks.v1")
        let blocks = try #require(json.json?["blocks"] as? [[String: Any]])
        #expect(!blocks.isEmpty && blocks.allSatisfy { $0["limitPercent"] is NSNumber && $0["start"] is String })
        let text = await run("report", "blocks", "--no-sync", "--timezone", "UTC", "--token-limit", "1000000")
        #expect(text.status == 0 && text.stdout.contains("Block start") && text.stdout.contains("% of limit"), "\(text.stdout)")
        let subagents = await run("report", "subagent", "--no-sync", "--format", "json")
        #expect(subagents.json?["schema"] as? String == "agentlog.subagents.v1" && (subagents.json?["rows"] as? [Any])?.isEmpty == false)
        #expect(await run("report", "subagent", "--no-sync").stdout.contains("Subagent type"))
        for bad in [["report", "blocks", "--token-limit", "lots"], ["report", "daily", "--live"], ["report", "blocks", "--format", "csv"],
                    ["report", "subagent", "--breakdown", "agent"]] {
            let result = await CLIRun(["--db", db] + bad + ["--no-sync"], home: home.path)
            #expect(result.status == 2, "\(bad): \(result.stderr)")
        }
    }

    @Test("sessions --format json lists every session with the documented keys, newest first")
    func sessionsJSON() async throws {
        _ = await run("sync", "--path", Corpus.claude.path, "--quiet")
        let result = await run("sessions", "--no-sync", "--format", "json", "--limit", "1000")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(result.json)
        #expect(json["schema"] as? String == "agentlog.sessions.v1")
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.count == 32)
        for key in ["id", "agent", "project", "startedAt", "endedAt", "messages", "inputTokens", "outputTokens",
                    "cacheCreationTokens", "cacheReadTokens", "costUSD", "title"] {
            #expect(rows.allSatisfy { $0.keys.contains(key) }, "missing \(key)")
        }
        let starts = rows.compactMap { $0["startedAt"] as? String }
        #expect(starts == starts.sorted(by: >))
    }

    @Test("bad usage exits 2 with a message naming the argument")
    func badUsage() async throws {
        let unknownKind = await run("report", "yearly")
        #expect(unknownKind.status == 2)
        #expect(unknownKind.stderr.contains("yearly"))
        let badDate = await run("report", "daily", "--since", "last tuesday", "--no-sync")
        #expect(badDate.status == 2)
        #expect(badDate.stderr.contains("--since"))
        let badZone = await run("report", "daily", "--timezone", "Mars/Olympus", "--no-sync")
        #expect(badZone.status == 2)
        #expect(badZone.stderr.contains("Mars/Olympus"))
    }

    @Test("an unreadable folder or database is one sentence on stderr and exit 1")
    func failures() async throws {
        let missing = await run("sync", "--path", "/nonexistent/transcripts")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/transcripts"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let file = try home.write("not-a-folder", Data("x".utf8))
        let badDB = await CLIRun(["--db", file.path + "/agentlog.db", "db", "status"], home: home.path)
        #expect(badDB.status == 1)
        #expect(badDB.stderr.contains(file.path))
        #expect(badDB.stderr.split(separator: "\n").count == 1)
    }

    @Test("export --raw writes the original files byte for byte after the source is gone")
    func exportRaw() async throws {
        let source = try TemporaryFolder()
        let original = Corpus.claude.appendingPathComponent("ccl__-src-experiments-claude_p")
        try source.copy(original, to: "projects/claude_p")
        _ = await run("sync", "--path", source.path + "/projects", "--quiet")
        try FileManager.default.removeItem(atPath: source.path + "/projects")
        let out = home.path + "/restored"
        let result = await run("export", "29ccd257", "--raw", "--out", out)
        #expect(result.status == 0, "\(result.stderr)")
        for relative in ["29ccd257-68b1-427f-ae5f-6524b7cb6f20.jsonl", "29ccd257-68b1-427f-ae5f-6524b7cb6f20/subagents/agent-a2271d1.jsonl"] {
            let restored = try Data(contentsOf: URL(fileURLWithPath: out + "/claude_p/" + relative))
            #expect(restored == (try Data(contentsOf: original.appendingPathComponent(relative))), "\(relative)")
        }
        #expect(await run("export", "29ccd257", "--raw", "--out", out).status == 1)  // refuses to overwrite
        #expect(await run("export", "29ccd257").status == 2)  // says which export
    }

    @Test("a model without a price is counted, shown as unknown and listed under the report")
    func unpricedModel() async throws {
        let folder = try TemporaryFolder()
        let line = #"{"type":"assistant","sessionId":"s-u","uuid":"u1","timestamp":"2026-03-01T10:00:05.000Z","requestId":"r1","message":{"model":"mystery-model-9","id":"m1","role":"assistant","content":[],"usage":{"input_tokens":1000,"output_tokens":500,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}"#
        try folder.write("p/s.jsonl", Data((line + "\n").utf8))
        _ = await run("sync", "--path", folder.path, "--quiet")
        let text = await run("report", "model", "--no-sync")
        #expect(text.stdout.contains("unknown"))
        #expect(text.stdout.contains("No price for: mystery-model-9"))
        let json = try #require(await run("report", "model", "--no-sync", "--format", "json").json)
        let totals = try #require(json["totals"] as? [String: Any])
        #expect(totals["costComplete"] as? Bool == false)
        #expect(totals["totalTokens"] as? Int == 1500)
        #expect(((json["unpriced"] as? [[String: Any]])?.first?["model"] as? String) == "mystery-model-9")
    }

    @Test("db path, status and migrate --list describe the database")
    func dbCommands() async throws {
        #expect(await run("db", "path").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == db)
        let missing = await run("db", "status")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains(db))
        #expect(!FileManager.default.fileExists(atPath: db))  // looking creates nothing
        #expect(await run("db", "migrate").status == 0)
        let status = try #require(await run("db", "status", "--format", "json").json)
        #expect(status["schema"] as? String == "agentlog.db-status.v1")
        #expect(status["journalMode"] as? String == "wal")
        let migrations = try #require(await run("db", "migrate", "--list", "--format", "json").json)
        #expect((migrations["migrations"] as? [[String: Any]])?.first?["name"] as? String == "v1")
        let defaultPath = await CLIRun(["db", "path"], home: home.path).stdout
        #expect(defaultPath.hasPrefix(home.path + "/.agentlog/agentlog.db"))
    }

    @Test("the demo writes, syncs and reports a sample history without any data of the user's")
    func demo() async throws {
        let result = await CLIRun(["demo"], home: home.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("agentlog report daily"))
        #expect(result.stdout.contains("claude-opus-4-7"))
        #expect(result.stdout.contains("0 rejected lines"))
        #expect(!FileManager.default.fileExists(atPath: home.path + "/.agentlog"))
    }
}
