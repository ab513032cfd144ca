import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("agentlog show, replay and sessions filters on the command line", .serialized)
struct ShowCommandTests {
    let home: TemporaryFolder
    let db: String

    init() throws {
        home = try TemporaryFolder()
        db = home.path + "/agentlog.db"
    }

    private func run(_ arguments: String..., input: String? = nil) async -> CLIRun {
        await CLIRun(["--db", db] + arguments, home: home.path, input: input)
    }

    @Test("show renders from the database after the transcript is gone: json and a self-contained html file")
    func showAfterSourceGone() async throws {
        let source = try TemporaryFolder()
        try source.copy(Corpus.claude.appendingPathComponent("ccl__-src-experiments-claude_p"), to: "projects/claude_p")
        _ = await run("sync", "--path", source.path + "/projects", "--quiet")
        try FileManager.default.removeItem(atPath: source.path + "/projects")

        let json = await run("show", "29ccd257", "--format", "json")
        #expect(json.status == 0, "\(json.stderr)")
        let value = try #require(json.json)
        #expect(value["schema"] as? String == "agentlog.session.v1")
        let session = try #require(value["session"] as? [String: Any])
        #expect(session["id"] as? String == "29ccd257-68b1-427f-ae5f-6524b7cb6f20")
        #expect(ShowTests.toolCallIds(in: value["turns"] as Any).count == session["toolCalls"] as? Int)

        let page = home.path + "/page.html"
        let html = await run("show", "29ccd257", "--format", "html", "--output", page)
        #expect(html.status == 0, "\(html.stderr)")
        let written = try String(contentsOfFile: page, encoding: .utf8)
        #expect(written.hasPrefix("<!DOCTYPE html>"))
        #expect(!written.contains("<script") && !written.contains("src=\"http") && !written.contains("href=\"http"))
        #expect(html.stdout.isEmpty)

        let markdown = await run("show", "29ccd257", "--format", "markdown")
        #expect(markdown.stdout.hasPrefix("# "))
        let text = await run("show", "29ccd257")
        #expect(!text.stdout.contains("\u{1B}["), "no colour when not a terminal")
        #expect(text.stdout.contains("┏ Subagent Explore"))
    }

    /// The tool-call entries of a `show --format json` document, by id.
    static func toolCalls(in value: Any) -> [String: [String: Any]] {
        if let object = value as? [String: Any] {
            var found = object.values.map(toolCalls).reduce(into: [:]) { $0.merge($1) { first, _ in first } }
            if object["type"] as? String == "tool_call", let id = object["id"] as? String { found[id] = object }
            return found
        }
        if let array = value as? [Any] { return array.map(toolCalls).reduce(into: [:]) { $0.merge($1) { first, _ in first } } }
        return [:]
    }

    @Test("show joins live hook events to the transcript's tool calls on the session id and the tool_use id")
    func showJoinsHookEvents() async throws {
        let source = try TemporaryFolder()
        try source.copy(Corpus.claude.appendingPathComponent("ccl__-src-experiments-claude_p"), to: "projects/claude_p")
        _ = await run("sync", "--path", source.path + "/projects", "--quiet")
        let before = try #require(await run("show", "29ccd257", "--format", "json").json)
        let session = "29ccd257-68b1-427f-ae5f-6524b7cb6f20"
        let calls = Self.toolCalls(in: before["turns"] as Any)
        let toolUseId = try #require(calls.keys.sorted().first)
        #expect(calls[toolUseId]?["hook"] is NSNull)
        for event in ["PreToolUse", "PostToolUse"] {
            let payload = #"{"hook_event_name":"\#(event)","session_id":"\#(session)","cwd":"/p","tool_name":"Bash","tool_use_id":"\#(toolUseId)","tool_input":{"command":"ls"}}"#
            #expect(await run("hook", input: payload).status == 0)
            usleep(20_000)
        }
        #expect(await run("hook", input: #"{"hook_event_name":"Stop","session_id":"\#(session)","cwd":"/p"}"#).status == 0)

        let after = try #require(await run("show", "29ccd257", "--format", "json").json)
        let header = try #require(after["session"] as? [String: Any])
        #expect(header["hookEvents"] as? [String: Int] == ["PreToolUse": 1, "PostToolUse": 1, "Stop": 1])
        let hooked = Self.toolCalls(in: after["turns"] as Any)
        let hook = try #require(hooked[toolUseId]?["hook"] as? [String: Any])
        #expect(hook["events"] as? [String] == ["PreToolUse", "PostToolUse"])
        #expect((hook["durationMs"] as? Int ?? -1) >= 20)
        #expect(hooked.filter { $0.value["hook"] is [String: Any] }.count == 1)
        let text = await run("show", "29ccd257").stdout
        #expect(text.contains("hook PreToolUse → PostToolUse"))
        #expect(text.contains("3 live events"))
    }

    @Test("an ambiguous id prefix lists the candidates; an unknown one says so; both exit 1 with one line")
    func ambiguousPrefix() async throws {
        _ = await run("sync", "--path", Corpus.claude.path, "--quiet")
        let ambiguous = await run("show", "2")
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr.contains("ambiguous"))
        #expect(ambiguous.stderr.contains("2b4ed4c0") && ambiguous.stderr.contains("2c5941bd"))
        #expect(ambiguous.stderr.split(separator: "\n").count == 1)
        let unknown = await run("replay", "ffffffff")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("ffffffff"))
        #expect(await run("show", "29ccd257", "--format", "pdf").status == 2)
    }

    @Test("replay takes commands from piped input: next, errors, jumps, with running totals that only grow")
    func scriptedReplay() async throws {
        _ = await run("sync", "--path", Corpus.claude.appendingPathComponent("pwd__transcript_backups").path, "--quiet")
        let result = await run("replay", "f32d2764", input: "n\ne\n7\np\nxyz\n99\nq\nn\n")
        #expect(result.status == 0, "\(result.stderr)")
        let places = result.stdout.split(separator: "\n").compactMap { line -> Int? in
            guard line.hasPrefix("f32d2764 · "), let range = line.range(of: "turn ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        #expect(places.count == 5)  // the start, n, e, 7, p; xyz and 99 move nowhere; q stops before the last n
        #expect(places[0] == 1 && places[1] == 2 && places[3] == 7 && places[4] == 6)
        #expect(places[2] > 2)
        #expect(result.stdout.contains("Unknown command 'xyz'"))
        #expect(result.stdout.contains("There is no turn 99"))
        let totals = result.stdout.split(separator: "\n").compactMap { line -> Int? in
            guard let range = line.range(of: "so far ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber || $0 == "," }.filter(\.isNumber))
        }
        #expect(totals.count == 5)
        #expect(totals[1] >= totals[0] && totals[3] >= totals[2] && totals[4] <= totals[3])
        let once = await run("replay", "f32d2764", "--turn", "3", "--once")
        #expect(once.stdout.contains("turn 3 of"))
        #expect(await run("replay", "f32d2764", "--turn", "500").status == 2)
    }

    @Test("sessions --min-cost/--max-cost/--tool filter, and contradictory bounds are bad usage")
    func sessionFilters() async throws {
        _ = await run("sync", "--path", Corpus.claude.path, "--quiet")
        let dear = await run("sessions", "--no-sync", "--min-cost", "2", "--format", "json")
        let rows = try #require(dear.json?["rows"] as? [[String: Any]])
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { (($0["costUSD"] as? NSNumber)?.doubleValue ?? 0) >= 2 })
        let task = await run("sessions", "--no-sync", "--tool", "task", "--format", "json")
        #expect((task.json?["rows"] as? [[String: Any]])?.isEmpty == false)
        let none = await run("sessions", "--no-sync", "--file", "/nowhere/")
        #expect(none.stdout.contains("No sessions match"))
        let contradictory = await run("sessions", "--no-sync", "--min-cost", "3", "--max-cost", "1")
        #expect(contradictory.status == 2)
        #expect(contradictory.stderr.contains("--min-cost"))
    }
}
