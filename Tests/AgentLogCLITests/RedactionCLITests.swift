import AgentLogDatabase
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("Secrets: masked before they are stored, listed by agentlog secrets, and masked after the fact by db redact", .serialized)
struct RedactionCLITests {
    let home: TemporaryFolder
    let key = "sk-ant-api03-" + String(repeating: "Q7x", count: 31) + "AA"
    let password = "S3cretPassw0rd"

    init() throws {
        home = try TemporaryFolder()
        let lines = """
            {"type":"user","sessionId":"s1","uuid":"u1","timestamp":"2026-11-01T10:00:00Z","cwd":"/src/app","message":{"role":"user","content":"my key is \(key) use it"}}
            {"type":"assistant","sessionId":"s1","uuid":"a1","parentUuid":"u1","timestamp":"2026-11-01T10:00:01Z","cwd":"/src/app","requestId":"r1","message":{"id":"m1","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"ok"},{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"export ANTHROPIC_API_KEY=\(key) && psql postgres://app:\(password)@db/prod"}}],"usage":{"input_tokens":10,"output_tokens":5}}}

            """
        _ = try home.write("tree/-src-app/s1.jsonl", Data(lines.utf8))
    }

    private func run(_ db: String, _ arguments: [String]) async -> CLIRun { await CLIRun(["--db", home.path + "/" + db] + arguments, home: home.path) }

    /// Whether the database file or its WAL holds `text` anywhere, in plain bytes.
    private func fileHolds(_ db: String, _ text: String) -> Bool {
        ["", "-wal"].contains { suffix in
            guard let data = FileManager.default.contents(atPath: home.path + "/" + db + suffix) else { return false }
            return data.range(of: Data(text.utf8)) != nil
        }
    }

    @Test("a new database masks keys and passwords before they are stored; search cannot find them; the archive keeps the bytes")
    func newDatabaseMasks() async throws {
        #expect(await run("a.db", ["sync", "--path", home.path + "/tree", "--quiet"]).status == 0)
        #expect(!fileHolds("a.db", key) && !fileHolds("a.db", password))
        let found = try #require(await run("a.db", ["search", "REDACTED", "--format", "json"]).json)
        #expect(((found["rows"] as? [[String: Any]]) ?? []).count >= 2)
        let fragment = await run("a.db", ["search", "Q7xQ7x", "--format", "json"])
        let fragmentRows = fragment.json?["rows"] as? [Any] ?? []
        #expect(fragmentRows.isEmpty)
        let secrets = try #require(await run("a.db", ["secrets", "--format", "json"]).json)
        #expect(secrets["schema"] as? String == "agentlog.secrets.v1" && secrets["redacting"] as? Bool == true)
        let kinds = ((secrets["rows"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String }
        #expect(kinds.filter { $0 == "anthropic-key" }.count == 3 && kinds.contains("url-password"))
        #expect(!(String(data: try JSONSerialization.data(withJSONObject: secrets), encoding: .utf8) ?? "").contains("Q7xQ7x"))
        let text = await run("a.db", ["secrets"])
        #expect(text.status == 0 && text.stdout.contains("sk-ant-… (") && !text.stdout.contains("Q7xQ7x"))
        // The raw archive gives the transcript back byte for byte.
        #expect(await run("a.db", ["export", "s1", "--raw", "--out", home.path + "/out"]).status == 0)
        let exported = try String(contentsOfFile: home.path + "/out/-src-app/s1.jsonl", encoding: .utf8)
        #expect(exported.contains(key) && exported.contains(password))
    }

    @Test("--no-redact keeps the text; db redact masks it, rebuilds search, leaves no plain copy in the file, and turns masking on")
    func redactAfterTheFact() async throws {
        #expect(await run("b.db", ["sync", "--path", home.path + "/tree", "--quiet", "--no-redact"]).status == 0)
        #expect(fileHolds("b.db", key))
        #expect(await run("b.db", ["search", "psql"]).stdout.contains(password))
        let redact = await run("b.db", ["db", "redact"])
        #expect(redact.status == 0 && redact.stdout.contains("masked 4 secrets in 3 of"))
        #expect(!fileHolds("b.db", key) && !fileHolds("b.db", password))
        #expect(!(await run("b.db", ["search", "psql"]).stdout.contains(password)))
        #expect(await run("b.db", ["db", "check", "--search-sample", "100"]).status == 0)
        #expect(await run("b.db", ["db", "redact"]).stdout.contains("masked 0 secrets"))
        #expect(await run("b.db", ["db", "redact", "--off"]).status == 0)
        #expect(await run("b.db", ["secrets", "--format", "json"]).json?["redacting"] as? Bool == false)
    }

    @Test("a database that held history before redaction existed keeps storing text as is until db redact")
    func olderHistoryStaysOff() async throws {
        let path = home.path + "/old.db"
        do {
            let old = try AgentLogStore.open(at: path, migratedUpTo: "v11-machines")
            try syncOneResponse(old, in: home, session: "before", at: 1_764_590_400_000)
        }
        #expect(await run("old.db", ["sync", "--path", home.path + "/tree", "--quiet"]).status == 0)
        #expect(fileHolds("old.db", key))
        #expect(await run("old.db", ["secrets"]).stdout.contains("New text is stored as it is"))
    }
}
