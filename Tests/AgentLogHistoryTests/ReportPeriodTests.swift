import AgentLogIngest
import Foundation
import Testing
import AgentLogDatabase
@testable import AgentLogHistory

@Suite("Report periods and time zones")
struct ReportPeriodTests {
    /// A store holding one response of `output` tokens at each UTC time.
    private func store(_ responses: [(String, Int)]) throws -> AgentLogStore {
        let store = try AgentLogStore.inMemory()
        var batch = RecordBatch(agent: .claude)
        batch.facts("s") { _ in }
        for (index, (time, output)) in responses.enumerated() {
            batch.addUsage(UsageRow(sessionId: "s", agentId: nil, timestamp: Timestamp.milliseconds(fromISO8601: time),
                                    usage: UsageRecord(messageId: "m\(index)", requestId: "r\(index)", model: "claude-sonnet-4-6",
                                                       tokens: TokenCounts(output: output))))
        }
        let file = try store.registerSourceFile(path: "/t/s.jsonl", root: "/t", agent: "claude", kind: "transcript")
        _ = try store.ingest(batch, position: FilePosition(fileId: file.id, device: 1, inode: 1, size: 0, mtimeNs: 0,
                                                           offset: 0, lines: 0, prefixHash: nil, reset: false),
                             chunks: [], tail: [])
        return store
    }

    private func periods(_ store: AgentLogStore, _ kind: ReportKind, _ zone: String, filter: UsageFilter = UsageFilter()) throws -> [String: Int] {
        let report = try store.usageReport(ReportOptions(kind: kind, filter: filter, timeZone: TimeZone(identifier: zone)!))
        return Dictionary(uniqueKeysWithValues: report.rows.map { ($0.key, $0.tokens.output) })
    }

    @Test("days follow the zone's offset across a daylight-saving change, and half-hour zones")
    func dailyInZones() throws {
        let store = try store([
            ("2026-03-08T04:30:00.000Z", 1),   // New York: 03-07 23:30 EST
            ("2026-03-08T06:30:00.000Z", 2),   // New York: 03-08 01:30 EST
            ("2026-03-09T03:30:00.000Z", 4),   // New York: 03-08 23:30 EDT (after the change)
            ("2026-03-01T18:45:00.000Z", 8),   // Kolkata (+5:30): 03-02 00:15
        ])
        #expect(try periods(store, .daily, "UTC") == ["2026-03-08": 3, "2026-03-09": 4, "2026-03-01": 8])
        #expect(try periods(store, .daily, "America/New_York") == ["2026-03-07": 1, "2026-03-08": 6, "2026-03-01": 8])
        #expect(try periods(store, .daily, "Asia/Kolkata")["2026-03-02"] == 8)
    }

    @Test("weeks start on Monday and months on the first, in the zone")
    func weeksAndMonths() throws {
        let store = try store([
            ("2026-03-01T12:00:00.000Z", 1),   // Sunday
            ("2026-03-02T12:00:00.000Z", 2),   // Monday
            ("2026-03-31T23:30:00.000Z", 4),   // UTC March; Berlin April 1st
        ])
        #expect(try periods(store, .weekly, "UTC") == ["2026-02-23": 1, "2026-03-02": 2, "2026-03-30": 4])
        #expect(try periods(store, .monthly, "UTC") == ["2026-03": 7])
        #expect(try periods(store, .monthly, "Europe/Berlin") == ["2026-03": 3, "2026-04": 4])
    }

    @Test("since and until bound the report by local days, on both summing paths")
    func bounds() throws {
        let store = try store([("2026-03-01T12:00:00.000Z", 1), ("2026-03-02T12:00:00.000Z", 2), ("2026-03-03T12:00:00.000Z", 4)])
        let since = Timestamp.milliseconds(fromISO8601: "2026-03-02T00:00:00.000Z")!
        let until = Timestamp.milliseconds(fromISO8601: "2026-03-03T00:00:00.000Z")!
        #expect(try periods(store, .daily, "UTC", filter: UsageFilter(since: since, until: until)) == ["2026-03-02": 2])
        #expect(try periods(store, .daily, "UTC", filter: UsageFilter(since: since + 1, until: until)) == ["2026-03-02": 2])
        #expect(try periods(store, .model, "UTC", filter: UsageFilter(since: since)).values.reduce(0, +) == 6)
    }
}
