import AgentLogDatabase
import AgentLogHistory
import AgentLogIngest
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("agentlog report accuracy, --source and serve --otlp options", .serialized)
struct TelemetryCLITests {
    let home: TemporaryFolder
    let db: String

    init() throws {
        home = try TemporaryFolder()
        db = home.path + "/agentlog.db"
    }

    private func run(_ arguments: [String]) async -> CLIRun {
        await CLIRun(["--db", db] + arguments, home: home.path)
    }

    /// One transcript response (1M input tokens of Opus 4.6, request r1) and telemetry that
    /// counts the same request as 2M, plus a call the transcript lacks.
    private func history() throws {
        let store = try AgentLogStore.open(at: db)
        let at = Timestamp.milliseconds(fromISO8601: "2025-12-01T10:00:00Z")!
        try syncOneResponse(store, in: home, session: "s1", at: at)
        var batch = TelemetryBatch()
        batch.requests = [TelemetryRequest(key: "r1", requestId: "r1", sessionId: "s1", model: "claude-opus-4-6", timestamp: at,
                                           tokens: TokenCounts(input: 2_000_000), costPico: 10_000_000_000_000),
                          TelemetryRequest(key: "r2", requestId: "r2", sessionId: "s1", model: "claude-opus-4-6", timestamp: at + 60_000,
                                           tokens: TokenCounts(input: 100, output: 10), costPico: 1_000_000_000)]
        _ = try store.recordTelemetrySynchronously(batch, receivedAt: at)
    }

    @Test("report accuracy: text and agentlog.accuracy.v1; without telemetry it says how to turn it on")
    func accuracy() async throws {
        let empty = await run(["report", "accuracy", "--no-sync"])
        #expect(empty.status == 0 && empty.stdout.contains("agentlog serve --otlp") && empty.stdout.contains("CLAUDE_CODE_ENABLE_TELEMETRY=1"))
        try history()
        let text = await run(["report", "accuracy", "--no-sync", "--timezone", "UTC"])
        #expect(text.status == 0 && text.stdout.contains("2025-12-01") && text.stdout.contains("claude-opus-4-6"))
        #expect(text.stdout.contains("$5.00") && text.stdout.contains("$10.00") && text.stdout.contains("+$5.00"))
        let json = try #require(await run(["report", "accuracy", "--no-sync", "--format", "json", "--timezone", "UTC"]).json)
        #expect(json["schema"] as? String == "agentlog.accuracy.v1")
        let totals = try #require(json["totals"] as? [String: Any])
        #expect(totals["calls"] as? Int == 2 && totals["matched"] as? Int == 1 && totals["missingFromTranscripts"] as? Int == 1)
        #expect(totals["tokenGap"] as? Int == 2_000_110 - 1_000_000)
        #expect((totals["telemetry"] as? [String: Any])?["costUSD"] as? Double == 10.001)
    }

    @Test("usage reports take telemetry by default and say so; --source transcript and telemetry take one side")
    func sources() async throws {
        try history()
        let best = try #require(await run(["report", "model", "--no-sync", "--format", "json"]).json)
        #expect(best["source"] as? String == "best" && (best["totals"] as? [String: Any])?["inputTokens"] as? Int == 2_000_100)
        let transcript = try #require(await run(["report", "model", "--no-sync", "--format", "json", "--source", "transcript"]).json)
        #expect(transcript["source"] as? String == "transcript" && (transcript["totals"] as? [String: Any])?["inputTokens"] as? Int == 1_000_000)
        let text = await run(["report", "daily", "--no-sync"])
        #expect(text.status == 0 && text.stdout.contains("telemetry numbers where it sent them"))
    }

    @Test("options that do not go together are usage errors (exit 2)")
    func badOptions() async throws {
        for arguments in [["report", "blocks", "--source", "telemetry"], ["report", "daily", "--source", "bill"],
                          ["serve", "--otlp-port", "9999"], ["serve", "--otlp", "--otlp-port", "70000"]] {
            let result = await run(arguments)
            #expect(result.status == 2 && !result.stderr.isEmpty, "\(arguments)")
        }
    }
}
