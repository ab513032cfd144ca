import AgentLogIngest
import AgentLogTestSupport
import Foundation
import Testing
import AgentLogDatabase
@testable import AgentLogHistory
@testable import AgentLogSync

@Suite("Syncing Codex CLI rollouts")
struct CodexSyncTests {
    /// Per file: sessions, tool calls, uncached input, output, cache read; computed independently
    /// by `codex_expected.py` (next to this file) with Python's json module.
    static let expected: [String: [Int]] = [
        "acmd__rollout-2025-09-24T19-22-20-01997e76-d124-7592-9cac-2ec05abbca08.jsonl": [1, 123, 204_231, 99_678, 7_290_112],
        "acmd__rollout-2025-09-25T08-02-05-0199812e-64f0-7f73-91fc-095dda01c36e.jsonl": [1, 57, 82_071, 8_672, 1_310_208],
        "acmd__rollout-2025-09-25T15-12-14-019982b8-3422-79e0-8b3b-05abaf4f3c3e.jsonl": [1, 34, 64_514, 6_654, 472_320],
        "lpush__rollout-2026-02-23T12-40-23-019c8a4c-ed82-79a1-aa28-7738fc5ab61a.jsonl": [1, 105, 367_673, 36_075, 6_836_352],
        "lpush__rollout-2026-02-23T12-41-04-019c8a4d-8f45-7010-8b5d-7fad920aa6f9.jsonl": [1, 118, 99_460, 14_600, 1_651_968],
        "lpush__rollout-2026-02-23T12-47-42-019c8a53-a0dd-7130-bcd7-95445d84846a.jsonl": [1, 144, 403_949, 36_950, 6_337_024],
        "lpush__rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9.jsonl": [1, 372, 2_188_981, 133_999, 31_621_504],
        "lpush__rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl": [1, 1, 31_013, 431, 3_456],
        "lpush__rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl": [1, 5, 59_525, 1_123, 238_848],
    ]

    @Test("every rollout of the corpus: sessions, tool calls and each token bucket equal the independent figures",
          arguments: expected.keys.sorted())
    func perFile(_ name: String) throws {
        let folder = try TemporaryFolder()
        try folder.copy(Corpus.root.appendingPathComponent("codex/\(name)"), to: "sessions/\(name)")
        let store = try AgentLogStore.inMemory()
        let report = try sync(store, folder.path + "/sessions", agent: .codex)
        #expect(report.rejected.isEmpty, "\(report.rejected.prefix(3))")
        let sessions = try store.sessions(SessionQuery())
        let usage = try store.usageReport(ReportOptions(kind: .model)).totals
        let figures = [sessions.count, sessions.reduce(0) { $0 + $1.toolCalls }, usage.tokens.input, usage.tokens.output, usage.tokens.cacheRead]
        #expect(figures == Self.expected[name])
        #expect(usage.tokens.cacheCreation == 0)
        #expect(sessions.allSatisfy { $0.agent == "codex" })
    }

    @Test("a rollout read in two syncs, cut mid-file, gives the same totals as one read")
    func resumeMidFile() throws {
        let name = "lpush__rollout-2026-02-23T12-47-42-019c8a53-a0dd-7130-bcd7-95445d84846a.jsonl"
        let bytes = try Data(contentsOf: Corpus.root.appendingPathComponent("codex/\(name)"))
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let head = lines.prefix(lines.count / 2).map { Data($0) + Data("\n".utf8) }.reduce(Data(), +)
        let folder = try TemporaryFolder()
        try folder.write("sessions/\(name)", head)
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path + "/sessions", agent: .codex)
        try folder.write("sessions/\(name)", bytes)  // the rest appended
        let second = try sync(store, folder.path + "/sessions", agent: .codex)
        #expect(second.rejected.isEmpty)
        #expect(second.bytesRead == Int64(bytes.count - head.count))
        let usage = try store.usageReport(ReportOptions(kind: .model))
        #expect([usage.totals.tokens.input, usage.totals.tokens.output, usage.totals.tokens.cacheRead] == Array(Self.expected[name]![2...]))
        #expect(usage.rows.map(\.key) == ["gpt-5.3-codex"])  // the model carried over from the first sync
    }

    @Test("injected context is not a prompt; apply_patch inputs become files touched; outputs pair by call_id")
    func contextPatchesAndOutputs() throws {
        let folder = try TemporaryFolder()
        try folder.copy(Corpus.root.appendingPathComponent("codex/acmd__rollout-2025-09-24T19-22-20-01997e76-d124-7592-9cac-2ec05abbca08.jsonl"),
                        to: "sessions/r.jsonl")
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path + "/sessions", agent: .codex)
        let session = try #require(try store.sessions(SessionQuery()).first)
        #expect(session.title?.hasPrefix("<environment_context>") == false)
        #expect(session.gitBranch == "fix/team-optimization-v2")
        let touches = try store.filesTouched(by: session.reference)
        #expect(touches.contains { $0.path.hasSuffix("apps/spectora-labs/src/app/api/teams/[id]/route.ts") && $0.operation == "write" })
        #expect(touches.allSatisfy { $0.path.hasPrefix("/Users/jnarowski/") })
        let calls = try store.toolCalls(of: session.reference)
        #expect(calls.filter { $0.outputLength != nil }.count == calls.count)
        #expect(calls.allSatisfy { $0.name != nil })
    }
}

@Suite("One report over every agent")
struct MixedAgentReportTests {
    @Test("report daily --breakdown agent over Claude Code, Codex and Gemini histories splits every day by agent")
    func dailyByAgent() throws {
        let folder = try TemporaryFolder()
        try folder.copy(Corpus.claude.appendingPathComponent("acmd__fixtures"), to: "claude/p")
        try folder.copy(Corpus.root.appendingPathComponent("codex"), to: "codex")
        for name in GeminiSyncTests.expected.keys {
            try folder.copy(Corpus.root.appendingPathComponent("gemini/\(name)"), to: "gemini/h/chats/\(GeminiSyncTests.chatName(name))")
        }
        let store = try AgentLogStore.inMemory()
        _ = try SyncEngine(store: store).sync(roots: [SyncRoot(path: folder.path + "/claude", agent: .claude, isExplicit: true),
                                                       SyncRoot(path: folder.path + "/codex", agent: .codex, isExplicit: true),
                                                       SyncRoot(path: folder.path + "/gemini", agent: .gemini, isExplicit: true)])
        let report = try store.usageReport(ReportOptions(kind: .daily, timeZone: TimeZone(identifier: "UTC")!, breakdownByAgent: true))
        #expect(Set(report.rows.compactMap(\.agent)) == ["claude", "codex", "gemini"])
        let claude = try store.usageReport(ReportOptions(kind: .model, filter: UsageFilter(agents: ["claude"])))
        let codex = try store.usageReport(ReportOptions(kind: .model, filter: UsageFilter(agents: ["codex"])))
        let gemini = try store.usageReport(ReportOptions(kind: .model, filter: UsageFilter(agents: ["gemini"])))
        #expect(report.totals.tokens == claude.totals.tokens + codex.totals.tokens + gemini.totals.tokens)
        #expect(gemini.totals.tokens.output == GeminiSyncTests.expected.values.reduce(0) { $0 + $1[4] })
        #expect(report.unpriced.isEmpty)  // every model of the three agents has a price
        #expect(codex.totals.tokens.input == CodexSyncTests.expected.values.reduce(0) { $0 + $1[2] })
        #expect(claude.totals.tokens.output == (try ExpectedTotals.of(tree: Corpus.claude.appendingPathComponent("acmd__fixtures"))).output)
    }
}
