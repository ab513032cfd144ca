import AgentLogHistory
import AgentLogStore
import AgentLogTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AgentLogServer

/// GETs `uri` from the router and returns the status, the content type and the body as text.
func page(_ uri: String, _ store: AgentLogStore) async throws -> (status: Int, type: String, body: String) {
    let app = Application(router: AgentLogServer.router(store: store))
    return try await app.test(.router) { client in
        try await client.execute(uri: uri, method: .get) { response in
            (Int(response.status.code), response.headers[.contentType] ?? "", String(buffer: response.body))
        }
    }
}

@Suite("The dashboard's pages, in-process")
struct DashboardTests {
    let store: AgentLogStore

    init() throws { store = try DemoDatabase.shared.get().store }

    /// How many times `needle` occurs in `text`.
    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test("the overview draws cost per day by model and by agent, the heatmap, top lists and recent sessions")
    func overview() async throws {
        let answer = try await page("/?period=all", store)
        #expect(answer.status == 200 && answer.type.hasPrefix("text/html"))
        #expect(count(#"<svg class="chart""#, in: answer.body) == 2)
        #expect(answer.body.contains(#"<rect class="s0""#), "the charts have bars")
        // The heatmap is the year up to today; the test history is older, so its days are empty.
        #expect(count(#"<rect class="h"#, in: answer.body) == 365)
        let sessions = try store.sessions(SessionQuery(limit: 8))
        for session in sessions { #expect(answer.body.contains("/sessions/\(session.sessionId)"), "\(session.sessionId)") }
        // The totals are the report's: the same cost as `report daily` over all time.
        let report = try store.usageReport(ReportOptions(kind: .daily))
        #expect(answer.body.contains(Format.money(pico: report.totals.costPico)))
        #expect(answer.body.contains(#"aria-current="true">All</a>"#))
        let tokens = try await page("/?metric=tokens&period=7d", store)
        #expect(tokens.status == 200 && tokens.body.contains("Tokens per day, by model"))
    }

    @Test("a session page shows every turn, its tool calls collapsible with input and output, and links the raw transcript")
    func session() async throws {
        let summaries = try store.sessions(SessionQuery())
        let withTools = try #require(summaries.first { $0.toolCalls > 0 })
        let answer = try await page("/sessions/\(withTools.sessionId.prefix(8))", store)
        #expect(answer.status == 200)
        let transcript = try store.transcript(of: store.resolveSession(withTools.sessionId))
        let turns = transcript.turns()
        let pages = SessionPage.pages(of: turns)
        #expect(count(#"<section class="turn"#, in: answer.body) == pages[0].count)
        // Pages cover every turn once, in order, each within its budget unless it is one long turn.
        #expect(pages.flatMap { Array($0) } == Array(turns.indices))
        for page in pages where page.count > 1 {
            #expect(page.count <= SessionPage.turnsPerPage)
            #expect(turns[page].reduce(0) { $0 + $1.entries.reduce(0) { $0 + $1.entryCount } } <= SessionPage.entriesPerPage)
        }
        #expect(count(#"<details class="tool"#, in: answer.body) == withTools.toolCalls - withTools.subagents * 0 || withTools.subagents > 0)
        #expect(answer.body.contains("<h4>Input</h4>") && answer.body.contains("<h4>Output</h4>"))
        #expect(answer.body.contains("/sessions/\(withTools.sessionId)/raw"))
        let raw = try await page("/sessions/\(withTools.sessionId)/raw", store)
        #expect(raw.status == 200 && raw.type == "application/x-ndjson")
        #expect(raw.body.split(separator: "\n").allSatisfy { $0.first == "{" })
    }

    @Test("subagents are nested under the call that spawned them, compactions are marked")
    func nesting() async throws {
        let summaries = try store.sessions(SessionQuery())
        if let parent = summaries.first(where: { $0.subagents > 0 }) {
            let answer = try await page("/sessions/\(parent.sessionId)", store)
            #expect(answer.body.contains(#"class="subagent""#))
        } else {
            Issue.record("the demo history has no session with a subagent")
        }
    }

    @Test("sessions filter as the CLI does; search marks the matched words")
    func sessionsAndSearch() async throws {
        let all = try await page("/sessions", store)
        #expect(count("<tr><td class=\"name\">", in: all.body) == 14)
        let codex = try await page("/sessions?agent=codex&project=&model=", store)
        let expected = try store.sessions(SessionQuery(filter: UsageFilter(agents: ["codex"]))).count
        #expect(count("<tr><td class=\"name\">", in: codex.body) == expected)
        let search = try await page("/search?q=widget+battery", store)
        #expect(search.status == 200 && search.body.contains("<mark>"))
        #expect(!search.body.contains("\u{2}"), "the snippet markers became <mark>")
        let bad = try await page("/search?q=%22unclosed", store)
        #expect(bad.status == 200)
    }

    @Test("projects, agents and settings render; bad input is an error page naming the problem", arguments: [
        ("/projects", 200), ("/agents", 200), ("/settings", 200), ("/?period=forever", 400), ("/sessions?limit=0", 400),
        ("/sessions?min_cost=lots", 400), ("/sessions?colour=red", 400), ("/sessions/no-such-session", 404),
        ("/sessions/no-such-session/raw", 404), ("/sessions?since=2026-99-99", 400),
    ])
    func otherPages(uri: String, status: Int) async throws {
        let answer = try await page(uri, store)
        #expect(answer.status == status, "\(uri)")
        if uri.hasSuffix("/raw") { return }
        #expect(answer.type.hasPrefix("text/html"))
        #expect(answer.body.contains("</html>"))
        if status != 200 { #expect(answer.body.contains("error-page")) }
    }

    @Test("the heatmap gives the busiest day the darkest square and an idle day the lightest")
    func heatmapLevels() {
        let svg = Charts.heatmap(days: ["2026-01-01": 10, "2026-01-02": 1], labels: ["2026-01-01", "2026-01-02", "2026-01-03"],
                                 firstWeekday: 3) { String($0) }
        #expect(count(#"class="h4""#, in: svg) == 1 && count(#"class="h1""#, in: svg) == 1 && count(#"class="h0""#, in: svg) == 1)
        #expect(svg.contains("<title>2026-01-01: 10.0</title>"))
    }

    @Test("on a database with nothing in it the overview says how to fill it, and its charts say there is no usage")
    func firstRun() async throws {
        let folder = try TemporaryFolder()
        let empty = try AgentLogStore.open(at: folder.path + "/agentlog.db")
        let answer = try await page("/", empty)
        #expect(answer.status == 200 && answer.body.contains("Nothing recorded yet") && answer.body.contains("agentlog demo --keep"))
        #expect(count(">No usage in this period</text>", in: answer.body) == 2)
        #expect(!(try await page("/", store)).body.contains("Nothing recorded yet"))
    }

    @Test("HEAD is answered as GET is, without a body")
    func head() async throws {
        let app = Application(router: AgentLogServer.router(store: store))
        try await app.test(.router) { client in
            for uri in ["/", "/api/v1/status"] {
                try await client.execute(uri: uri, method: .head) { response in
                    #expect(response.status == .ok && response.body.readableBytes == 0, "\(uri) \(response.status)")
                }
            }
        }
    }

    @Test("the stylesheet, the script and the icon are served from the executable")
    func assets() async throws {
        for (path, type) in [("/assets/app.css", "text/css"), ("/assets/app.js", "text/javascript"), ("/assets/favicon.svg", "image/svg+xml")] {
            let answer = try await page(path, store)
            #expect(answer.status == 200 && answer.type.hasPrefix(type) && answer.body.count > 100, "\(path)")
        }
    }
}

@Suite("The dashboard's number and time formats")
struct FormatTests {
    @Test("dates and times match the calendar's in several zones, across years, leap days and before 1970")
    func datesMatchTheCalendar() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        for zone in ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "Australia/Lord_Howe"] {
            let timeZone = TimeZone(identifier: zone)!
            formatter.timeZone = timeZone
            let format = Format(timeZone: timeZone)
            for ms: Int64 in [0, -1, -86_400_001, 951_782_400_000, 1_709_164_800_000, 1_764_600_000_123, 4_102_444_799_999, 1_711_846_800_000] {
                let date = Date(timeIntervalSince1970: Double(ms) / 1000)
                formatter.dateFormat = "yyyy-MM-dd HH:mm"
                #expect(format.dateTime(ms: ms) == formatter.string(from: date), "\(zone) \(ms)")
                formatter.dateFormat = "HH:mm:ss"
                #expect(format.time(ms: ms) == formatter.string(from: date), "\(zone) \(ms)")
            }
        }
    }

    @Test("money: cents from a dollar, up to four decimals below it")
    func money() {
        #expect(Format.money(pico: 0) == "$0")
        #expect(Format.money(pico: 2_390_000_000_000) == "$2.39")
        #expect(Format.money(pico: 500_000_000_000) == "$0.50")
        #expect(Format.money(pico: 38_700_000_000) == "$0.0387")
        #expect(Format.money(pico: 1_234_000_000_000_000) == "$1,234")
    }
}
