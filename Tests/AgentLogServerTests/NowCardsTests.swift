import AgentLogHistory
import AgentLogIngest
import AgentLogSQLite
import AgentLogSpend
import AgentLogStore
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogServer

@Suite("The overview's block, limits and budgets, and their API routes")
struct NowCardsTests {
    @Test("the overview shows the block in progress, the latest rate limits and each budget as the statusline computes them")
    func nowCards() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/agentlog.db"
        let store = try AgentLogStore.open(at: path)
        let empty = try await page("/", store)
        #expect(empty.body.contains("No block in progress") && empty.body.contains("No readings this week") && empty.body.contains("No budgets set"))
        // One response a minute ago, and today (this test may run just after midnight): 1M input tokens of Opus 4.6 at $5/MTok.
        let clock = Int64(Date().timeIntervalSince1970 * 1000)
        let now = max(clock, LocalCalendar().period(.daily, containing: clock).start + 61_000)
        try syncOneResponse(store, in: folder, session: "n1", at: now - 60_000)
        let db = try SQLiteConnection(path: path, busyMilliseconds: 1_000)
        let reader = SpendReader(db: db)
        try reader.setBudget(.daily, amountMicros: 1_000_000, project: "", agent: "", now: now)
        try reader.setBudget(.monthly, amountMicros: 100_000_000, project: "", agent: "", now: now)
        let insert = try db.statement(SharedStatements.insertRateLimitSample)
        SharedStatements.bindRateLimitSample(insert, agent: "claude", window: "five_hour", observedAt: now - 1_000, usedPercent: 85,
                                             windowMinutes: 300, resetsAt: now + 3_600_000, sessionId: "n1", source: "statusline")
        try insert.run()
        let answer = try await page("/", store)
        #expect(answer.status == 200)
        let block = try #require(try reader.activeBlock(now: now))
        #expect(answer.body.contains(Format.money(pico: block.spend.costPico)) && answer.body.contains("1.0M tokens"))
        #expect(answer.body.contains("Claude · 5-hour limit") && answer.body.contains(#"<div class="meter warn">"#))
        #expect(answer.body.contains("daily $1.00") && answer.body.contains("500 %") && answer.body.contains(#"<div class="meter critical">"#))
        #expect(answer.body.contains("monthly $100.00") && answer.body.contains("<b>5 %</b>"))

        let budgets = try await page("/api/v1/budgets", store)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(budgets.body.utf8)) as? [String: Any])
        #expect(json["schema"] as? String == "agentlog.budgets.v1")
        #expect((json["budgets"] as? [[String: Any]])?.map { $0["level"] as? String } == ["critical", "ok"])
        let limits = try await page("/api/v1/limits?agent=claude", store)
        let windows = try #require((try JSONSerialization.jsonObject(with: Data(limits.body.utf8)) as? [String: Any])?["windows"] as? [[String: Any]])
        #expect(windows.count == 1 && windows[0]["window"] as? String == "five_hour" && (windows[0]["latestPercent"] as? NSNumber)?.intValue == 85)
        #expect(try await page("/api/v1/limits?frobnicate=1", store).status == 400)
        #expect(try await page("/api/v1/budgets?x=1", store).status == 400)
    }
}
