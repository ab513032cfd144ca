import AgentLogDatabase
@testable import AgentLogHistory
import AgentLogHooks
import AgentLogIngest
import AgentLogSQLite
import AgentLogSync
import AgentLogTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import AgentLogSpend

@Suite("Spend, blocks and budgets from the rollups")
struct SpendTests {
    /// A scaled history (three copies of the Claude corpus), synced.
    private func scaledStore(_ folder: TemporaryFolder) throws -> (AgentLogStore, String) {
        let out = try scaledTree(in: folder, seed: 7)
        let path = folder.path + "/agentlog.db"
        let store = try AgentLogStore.open(at: path)
        _ = try sync(store, out)
        return (store, path)
    }

    @Test("the active block and a span's spend equal the reports' own, at moments all over a scaled history")
    func matchesReports() throws {
        let folder = try TemporaryFolder()
        let (store, path) = try scaledStore(folder)
        let reader = SpendReader(db: try SQLiteConnection(path: path, busyMilliseconds: 1_000))
        let blocks = try store.blocksReport(filter: UsageFilter(), now: 4_000_000_000_000).blocks
        #expect(blocks.count > 10)
        var checked = 0
        for block in blocks.enumerated().filter({ $0.offset % 3 == 0 }).map(\.element) {
            for now in [block.lastActivity + 60_000, block.end - 1] {
                let report = try store.blocksReport(filter: UsageFilter(until: now + 1), now: now)
                let expected = try #require(report.blocks.last { $0.isActive })
                let got = try #require(try reader.activeBlock(now: now))
                #expect(got.start == expected.start && got.end == expected.end)
                #expect(got.spend.tokens == expected.tokens && got.spend.costPico == expected.costPico && got.spend.responses == expected.responses)
                checked += 1
            }
            #expect(try reader.activeBlock(now: block.end) == nil || blocks.contains { $0.start == block.end })
        }
        #expect(checked > 6)
        // Spans on slot boundaries: the usage report over the same range gives the same cost and tokens.
        let first = try #require(blocks.first).start, last = try #require(blocks.last).end
        for (since, until) in [(first, last), (first + 86_400_000, first + 2 * 86_400_000), (first + 3_600_000 * 7, last - 3_600_000 * 5)] {
            let report = try store.usageReport(ReportOptions(kind: .model, filter: UsageFilter(since: since, until: until)))
            let spend = try reader.spend(since: since, until: until)
            #expect(spend.costPico == report.totals.costPico && spend.tokens == report.totals.tokens)
            let project = try #require(try store.usageReport(ReportOptions(kind: .project, filter: UsageFilter(since: since, until: until))).rows.first)
            let byProject = try reader.spend(since: since, until: until, project: project.key)
            #expect(byProject.costPico == project.costPico && byProject.tokens == project.tokens)
        }
        #expect(try reader.spend(since: first, until: last, agent: "codex").responses == 0)
    }

    @Test("a block chain longer than the day and the week looked at first is followed from its start in the history")
    func longChain() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/agentlog.db"
        _ = try AgentLogStore.open(at: path)
        let db = try SQLiteConnection(path: path, busyMilliseconds: 1_000)
        let now: Int64 = 1_796_291_277_459
        let nowSlot = now / 900_000
        // Old work, a 6-hour break, then a response every 4 h 15 min for ten days up to now: one
        // unbroken chain whose blocks do not start on the hours a fresh look at the last day would pick.
        var slots = [nowSlot - 1_200, nowSlot - 1_199]
        var slot = nowSlot - 1_199 + 24
        while slot <= nowSlot { slots.append(slot); slot += 17 }
        let insert = try db.statement("""
            INSERT INTO usage_rollup (slot, agent, model, tier, input_tokens, output_tokens, cache_creation_tokens, cache_creation_1h_tokens,
                                      cache_read_tokens, responses) VALUES (?1, 'claude', 'claude-opus-4-6', 0, 1000, 0, 0, 0, 0, 1)
            """)
        for slot in slots {
            insert.bind(1, slot)
            try insert.run()
        }
        // The chain, computed here from the first slot after the break.
        var start: Int64 = -1
        for slot in slots.dropFirst(2) where start < 0 || slot * 900_000 >= start + 18_000_000 {
            start = slot * 900_000 / 3_600_000 * 3_600_000
        }
        let at = try #require(slots.last) * 900_000 + 60_000  // inside the last block, whatever its start
        let block = try #require(try SpendReader(db: db).activeBlock(now: at))
        #expect(block.start == start && block.end == start + 18_000_000)
        #expect(block.spend.responses == slots.filter { $0 * 900_000 >= start && $0 * 900_000 < start + 18_000_000 }.count)
    }

    @Test("the chain starts after the last break of 5 hours or more")
    func chainStart() {
        #expect(SpendReader.chainStart([1, 2, 3]) == 0)
        #expect(SpendReader.chainStart([1, 30, 31, 32]) == 1)
        #expect(SpendReader.chainStart([1, 21, 40, 41]) == 1)
        #expect(SpendReader.chainStart([1, 20, 40]) == 2)
    }

    @Test("budget levels: warn from 80 %, critical from 100 %; periods start at local midnight, Monday and the 1st")
    func levelsAndPeriods() {
        #expect(BudgetLevel(spent: 79, limit: 100) == .ok && BudgetLevel(spent: 80, limit: 100) == .warn)
        #expect(BudgetLevel(spent: 99, limit: 100) == .warn && BudgetLevel(spent: 100, limit: 100) == .critical)
        #expect(BudgetLevel(spent: 5, limit: 7) == .ok && BudgetLevel(spent: 6, limit: 7) == .warn)
        // In the process's zone: midnight, Monday and the 1st there, whatever TZ the tests run in.
        let calendar = LocalCalendar()
        let now: Int64 = 1_796_291_277_459  // Thursday 2026-12-03, 09:47 UTC
        let day = calendar.period(.daily, containing: now), week = calendar.period(.weekly, containing: now)
        let month = calendar.period(.monthly, containing: now)
        func local(_ time: Int64) -> tm {
            var seconds = time_t(time / 1000)
            var parts = tm()
            localtime_r(&seconds, &parts)
            return parts
        }
        for start in [day.start, week.start, month.start, day.end, week.end, month.end] {
            let parts = local(start)
            #expect(parts.tm_hour == 0 && parts.tm_min == 0 && parts.tm_sec == 0, "\(start)")
        }
        #expect(day.start <= now && now < day.end && week.start <= now && now < week.end && month.start <= now && now < month.end)
        #expect(local(week.start).tm_wday == 1 && local(week.end).tm_wday == 1 && (week.end - week.start + 3_600_000) / 86_400_000 == 7)
        #expect(local(month.start).tm_mday == 1 && local(month.end).tm_mday == 1 && local(month.end).tm_mon == (local(month.start).tm_mon + 1) % 12)
    }

    @Test("budgets are set, replaced and removed; the hook warns on a prompt while one is over")
    func budgetsAndHook() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/agentlog.db"
        let store = try AgentLogStore.open(at: path)
        // One response today (never yesterday, even just after midnight): 1M input tokens of Opus 4.6 at $5/MTok.
        let now = max(Int64(Date().timeIntervalSince1970 * 1000), LocalCalendar().period(.daily, containing: Int64(Date().timeIntervalSince1970 * 1000)).start + 2_000)
        try syncOneResponse(store, in: folder, session: "b1", at: now - 1_000)
        let reader = SpendReader(db: try SQLiteConnection(path: path, busyMilliseconds: 1_000))
        try reader.setBudget(.daily, amountMicros: 10_000_000, project: "", agent: "", now: now)
        try reader.setBudget(.daily, amountMicros: 1_000_000, project: "", agent: "", now: now)  // replaces it
        try reader.setBudget(.weekly, amountMicros: 100_000_000, project: "/src/app", agent: "claude", now: now)
        try reader.setBudget(.monthly, amountMicros: 1_000_000, project: "/elsewhere", agent: "", now: now)
        let budgets = try reader.budgets()
        #expect(budgets.map(\.label) == ["daily $1.00", "weekly $100.00 for /src/app (claude)", "monthly $1.00 for /elsewhere"])
        let statuses = try reader.statuses(of: budgets, now: now)
        #expect(statuses.map(\.spentMicros) == [5_000_000, 5_000_000, 0])
        #expect(statuses.map(\.level) == [.critical, .ok, .ok] && statuses[0].percent == 500)
        #expect(budgets[1].applies(agent: "claude", directory: "/src/app/sub") && !budgets[1].applies(agent: "claude", directory: "/src/application"))
        let prompt = Array(#"{"hook_event_name":"UserPromptSubmit","session_id":"b1","cwd":"/src/app","prompt":"go"}"#.utf8)
        let answer = HookRunner(databasePath: path).run(payload: prompt)
        let text = String(decoding: answer.stdout, as: UTF8.self)
        #expect(text.contains("\"hookEventName\":\"UserPromptSubmit\"") && text.contains("over budget — daily $1.00 budget: $5.00 spent (500 %)"))
        #expect(try reader.removeBudget(.daily, project: "", agent: ""))
        #expect(try !reader.removeBudget(.daily, project: "", agent: ""))
        #expect(HookRunner(databasePath: path).run(payload: prompt).stdout.isEmpty)
    }

    @Test("Codex's rate limits are read in both of its forms, repeats once, and cut at their resets")
    func codexLimits() throws {
        let folder = try TemporaryFolder()
        for name in ["lpush__rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl",
                     "acmd__rollout-2025-09-25T08-02-05-0199812e-64f0-7f73-91fc-095dda01c36e.jsonl"] {
            try folder.copy(Corpus.root.appendingPathComponent("codex/" + name), to: "sessions/" + name)
        }
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path + "/sessions", agent: .codex)
        let report = try store.limitsReport(now: 0)
        #expect(report.windows.map { "\($0.agent) \($0.window) \($0.windowMinutes ?? 0)" } == ["codex primary 300", "codex secondary 10080"])
        let primary = report.windows[0]
        #expect(primary.periods.count == 2 && primary.periods[0].resetsAt == nil && primary.periods[1].resetsAt == 1_771_864_834_000)
        #expect(primary.latestPercent == 19 && primary.hits == 0)
        let again = try store.limitsReport(now: 0)
        _ = try sync(store, folder.path + "/sessions", agent: .codex)
        #expect(try store.limitsReport(now: 0) == again)
        // A window length out of all reason is not kept, and cannot stop the report.
        var reader = CodexTranscriptReader(sessionId: "c1", model: "gpt-5")
        var batch = RecordBatch(agent: .codex)
        let line = #"{"timestamp":"2026-02-23T12:00:00Z","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":{"primary":{"used_percent":50,"window_minutes":100000000000000000,"resets_in_seconds":3600.4}}}}"#
        Array(line.utf8).withUnsafeBytes { reader.add(line: $0, number: 1, offset: 0, to: &batch) }
        #expect(batch.rateLimits.count == 1 && batch.rateLimits[0].windowMinutes == nil)
        #expect(batch.rateLimits[0].resetsAt.map { $0 % 60_000 } == 0)
        // A window that reached 100 % is a hit, and the wait runs to its reset.
        let hit = LimitPeriod(firstSeen: 0, lastSeen: 10, resetsAt: 3_600_000, peakPercent: 100, hitAt: 600_000)
        #expect(hit.waitedMs == 3_000_000)
        #expect(AgentLogStore.startsNewPeriod(after: hit, at: 3_600_000, used: 1, resets: nil, windowMinutes: 300))
        #expect(!AgentLogStore.startsNewPeriod(after: hit, at: 20, used: 100, resets: 3_600_000, windowMinutes: 300))
        #expect(AgentLogStore.startsNewPeriod(after: hit, at: 20, used: 2, resets: 3_600_000 + 18_000_000, windowMinutes: 300))
    }
}
