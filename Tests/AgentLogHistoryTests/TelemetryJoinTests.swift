import AgentLogDatabase
import AgentLogHistory
import AgentLogIngest
import AgentLogTestSupport
import Foundation
import Testing

/// A transcript and Claude Code's telemetry that disagree: the transcript's first call holds
/// placeholder counts, one call is only in the transcript, one only in telemetry (same session),
/// and one telemetry call belongs to a session no transcript has.
@Suite("Telemetry joined to transcript usage by request id")
struct TelemetryJoinTests {
    static let base = Timestamp.milliseconds(fromISO8601: "2025-12-01T10:00:00Z")!
    static let model = "claude-opus-4-6"

    static func line(request: String, message: String, input: Int, output: Int, at minutes: Int64) -> String {
        """
        {"type":"assistant","sessionId":"s1","uuid":"u-\(message)","timestamp":"\(Timestamp.iso8601(milliseconds: base + minutes * 60_000))",\
        "cwd":"/src/app","requestId":"\(request)","message":{"id":"\(message)","role":"assistant","model":"\(model)",\
        "content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":\(input),"output_tokens":\(output)}}}
        """
    }

    static func call(_ request: String, session: String, input: Int, output: Int, cost: Int64?, at minutes: Int64) -> TelemetryRequest {
        TelemetryRequest(key: request, requestId: request, sessionId: session, model: model, timestamp: base + minutes * 60_000 + 1_500,
                         tokens: TokenCounts(input: input, output: output), costPico: cost)
    }

    /// The store with the transcript synced and the telemetry recorded (or, `telemetryFirst`,
    /// the telemetry received before the transcript is synced).
    static func store(in folder: TemporaryFolder, telemetryFirst: Bool = false) throws -> AgentLogStore {
        let lines = [line(request: "req_1", message: "m1", input: 10, output: 5, at: 0),
                     line(request: "req_2", message: "m2", input: 20, output: 10, at: 10),
                     line(request: "req_3", message: "m3", input: 30, output: 30, at: 20)]
        _ = try folder.write("tree/-src-app/s1.jsonl", Data((lines.joined(separator: "\n") + "\n").utf8))
        let store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
        if !telemetryFirst { _ = try sync(store, folder.path + "/tree") }
        defer { if telemetryFirst { _ = try? sync(store, folder.path + "/tree") } }
        var batch = TelemetryBatch()
        batch.requests = [call("req_1", session: "s1", input: 100, output: 500, cost: 500_000_000_000, at: 0),
                          call("req_3", session: "s1", input: 30, output: 30, cost: nil, at: 20),
                          call("req_4", session: "s1", input: 1_000, output: 100, cost: 20_000_000_000, at: 30),
                          call("req_5", session: "s9", input: 7, output: 3, cost: 1_000_000_000, at: 40)]
        let stored = try store.recordTelemetrySynchronously(batch, receivedAt: base)
        #expect(stored.requests == 4 && stored.duplicates == 0)
        return store
    }

    static func price(_ input: Int, _ output: Int) -> Int64 {
        PriceTable.builtIn.costPico(model: model, tier: 0, tokens: TokenCounts(input: input, output: output),
                                    thresholds: PriceTable.builtIn.longContextThresholds)!
    }

    @Test("best takes telemetry's numbers for every call it reported and the transcript's for the rest, whichever came first",
          arguments: [false, true])
    func best(telemetryFirst: Bool) throws {
        let folder = try TemporaryFolder()
        let store = try Self.store(in: folder, telemetryFirst: telemetryFirst)
        let report = try store.usageReport(ReportOptions(kind: .model, timeZone: TimeZone(identifier: "UTC")!))
        #expect(report.source == .best)
        #expect(report.totals.tokens.input == 100 + 20 + 30 + 1_000 + 7)
        #expect(report.totals.tokens.output == 500 + 10 + 30 + 100 + 3)
        #expect(report.totals.responses == 5)
        #expect(report.totals.costPico == 500_000_000_000 + Self.price(20, 10) + Self.price(30, 30) + 20_000_000_000 + 1_000_000_000)
    }

    @Test("transcript keeps the transcript's numbers; telemetry keeps only telemetry's")
    func oneSide() throws {
        let folder = try TemporaryFolder()
        let store = try Self.store(in: folder)
        let transcript = try store.usageReport(ReportOptions(kind: .model, source: .transcript))
        #expect(transcript.source == .transcript && transcript.totals.responses == 3)
        #expect(transcript.totals.tokens.input == 60 && transcript.totals.tokens.output == 45)
        #expect(transcript.totals.costPico == Self.price(10, 5) + Self.price(20, 10) + Self.price(30, 30))
        let telemetry = try store.usageReport(ReportOptions(kind: .model, source: .telemetry))
        #expect(telemetry.totals.responses == 4 && telemetry.totals.tokens.input == 1_137 && telemetry.totals.tokens.output == 633)
        #expect(telemetry.totals.costPico == 500_000_000_000 + Self.price(30, 30) + 20_000_000_000 + 1_000_000_000)
    }

    @Test("a matched call stays in its transcript session; an unmatched one joins its session by id, or is a session of its own")
    func sessions() throws {
        let folder = try TemporaryFolder()
        let store = try Self.store(in: folder)
        let report = try store.usageReport(ReportOptions(kind: .session))
        let s1 = try #require(report.rows.first { $0.key == "s1" })
        #expect(s1.responses == 4 && s1.tokens.input == 100 + 20 + 30 + 1_000 && s1.project == "/src/app")
        let orphan = try #require(report.rows.first { $0.key == "s9" })
        #expect(orphan.responses == 1 && orphan.tokens.input == 7 && orphan.project == nil)
        // A project filter keeps the calls placed in the project's sessions only.
        let project = try store.usageReport(ReportOptions(kind: .project, filter: UsageFilter(project: "/src/app")))
        #expect(project.totals.responses == 4)
    }

    @Test("daily periods date a matched call at its transcript time, and time bounds apply to telemetry")
    func periods() throws {
        let folder = try TemporaryFolder()
        let store = try Self.store(in: folder)
        let utc = TimeZone(identifier: "UTC")!
        let day = try store.usageReport(ReportOptions(kind: .daily, timeZone: utc))
        #expect(day.rows.map(\.key) == ["2025-12-01"] && day.rows[0].responses == 5)
        let late = try store.usageReport(ReportOptions(kind: .daily, filter: UsageFilter(since: Self.base + 25 * 60_000), timeZone: utc))
        #expect(late.totals.responses == 2 && late.totals.tokens.input == 1_007)
    }

    @Test("report accuracy shows per day and model both sides for the same calls, the calls no transcript has, and the gap")
    func accuracy() throws {
        let folder = try TemporaryFolder()
        let store = try Self.store(in: folder)
        let report = try store.accuracyReport(timeZone: TimeZone(identifier: "UTC")!)
        #expect(report.rows.count == 1)
        let row = try #require(report.rows.first)
        #expect(row.day == "2025-12-01" && row.model == Self.model)
        #expect(row.calls == 4 && row.matched == 2 && row.missing == 2)
        #expect(row.transcriptTokens.total == 10 + 5 + 30 + 30)
        #expect(row.telemetryTokens.total == 600 + 60 + 1_100 + 10)
        #expect(row.tokenGap == 1_770 - 75)
        #expect(row.transcriptCostPico == Self.price(10, 5) + Self.price(30, 30))
        #expect(row.telemetryCostPico == 500_000_000_000 + Self.price(30, 30) + 21_000_000_000)
        #expect(report.totals.calls == 4 && row.costGapPercent! > 0)
    }

    @Test("an export sent twice is stored once; without telemetry, best is the transcript")
    func repeatsAndNone() throws {
        let folder = try TemporaryFolder()
        let store = try Self.store(in: folder)
        var again = TelemetryBatch()
        again.requests = [Self.call("req_1", session: "s1", input: 1, output: 1, cost: 1, at: 0)]
        let stored = try store.recordTelemetrySynchronously(again, receivedAt: Self.base)
        #expect(stored.requests == 0 && stored.duplicates == 1)
        #expect(try store.usageReport(ReportOptions(kind: .model)).totals.tokens.input == 1_157)

        let other = try TemporaryFolder()
        let plain = try AgentLogStore.open(at: other.path + "/agentlog.db")
        try syncOneResponse(plain, in: other, session: "p1", at: Self.base)
        let report = try plain.usageReport(ReportOptions(kind: .model))
        #expect(report.source == .transcript && report.totals.responses == 1)
        #expect(try plain.accuracyReport().rows.isEmpty)
    }

    @Test("a call without a request id is left to the transcript in best (it may be there already); telemetry counts it")
    func withoutRequestId() throws {
        let folder = try TemporaryFolder()
        let store = try Self.store(in: folder)
        var batch = TelemetryBatch()
        batch.requests = [TelemetryRequest(key: "s1-seq-9", requestId: "", sessionId: "s1", model: Self.model, timestamp: Self.base + 60_000,
                                           tokens: TokenCounts(input: 20, output: 10), costPico: 5)]
        _ = try store.recordTelemetrySynchronously(batch, receivedAt: Self.base)
        #expect(try store.usageReport(ReportOptions(kind: .model)).totals.responses == 5)
        #expect(try store.usageReport(ReportOptions(kind: .model, source: .telemetry)).totals.responses == 5)
    }

    @Test("in a session whose transcript has responses without a request id, an unmatched call is not added")
    func sessionWithIdlessRows() throws {
        let folder = try TemporaryFolder()
        let line = Self.line(request: "", message: "m9", input: 5, output: 5, at: 0)
        _ = try folder.write("tree/-src-app/s1.jsonl", Data((line + "\n").utf8))
        let store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
        _ = try sync(store, folder.path + "/tree")
        var batch = TelemetryBatch()
        batch.requests = [Self.call("req_7", session: "s1", input: 5, output: 5, cost: 1, at: 0)]
        _ = try store.recordTelemetrySynchronously(batch, receivedAt: Self.base)
        let best = try store.usageReport(ReportOptions(kind: .model))
        #expect(best.totals.responses == 1 && best.totals.tokens.input == 5)
    }

    @Test("absurd costs saturate instead of stopping the report; an unpriced model priced by telemetry is not listed as unpriced")
    func absurdCostsAndUnpriced() throws {
        let folder = try TemporaryFolder()
        let store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
        var batch = TelemetryBatch()
        batch.requests = (0..<1_000).map { index in
            TelemetryRequest(key: "k\(index)", requestId: "r\(index)", sessionId: "s", model: "no-such-model",
                             timestamp: Self.base + Int64(index) * 900_000, tokens: TokenCounts(input: 1), costPico: 10_000_000_000_000_000)
        }
        _ = try store.recordTelemetrySynchronously(batch, receivedAt: Self.base)
        let report = try store.usageReport(ReportOptions(kind: .daily))
        #expect(report.totals.costPico == Int64.max && report.totals.responses == 1_000)
        #expect(report.unpriced.isEmpty && report.totals.isFullyPriced)
        let accuracy = try store.accuracyReport()
        #expect(accuracy.totals.telemetryCostPico == Int64.max && accuracy.totals.telemetryCostComplete)
    }
}

