import AgentLogIngest
import AgentLogDatabase
@testable import AgentLogHistory
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogSync

@Suite("Syncing the Claude Code corpus")
struct CorpusSyncTests {
    @Test("totals over every Claude file of the corpus equal totals computed independently")
    func corpusTotals() throws {
        let store = try AgentLogStore.inMemory()
        let report = try sync(store, Corpus.claude.path)
        let expected = try ExpectedTotals.of(tree: Corpus.claude)
        #expect(try totals(store) == expected)
        #expect(report.rejected.isEmpty)
        #expect(report.files == 60)
        // Sanity: the independent figures are the ones scale-corpus.py prints for the corpus.
        #expect(expected.responses == 641)
        #expect(expected.sessions == 32)
    }

    @Test("a second sync with nothing changed reads no transcript bytes and adds nothing")
    func secondSyncReadsNothing() throws {
        let folder = try TemporaryFolder()
        let store = try AgentLogStore.open(at: folder.path + "/db.sqlite")
        _ = try sync(store, Corpus.claude.path)
        let before = try store.status()
        let again = try sync(store, Corpus.claude.path)
        #expect(again.filesRead == 0)
        #expect(again.bytesRead == 0)
        #expect(again.newRecords == 0)
        #expect(try store.status() == before)
    }

    @Test("usage is counted once across byte-identical and prefix copies of a live file")
    func dedupAcrossCopies() throws {
        let folder = try TemporaryFolder()
        let backups = Corpus.claude.appendingPathComponent("pwd__transcript_backups")
        try folder.copy(backups, to: "projects/p1")
        try folder.copy(backups, to: "projects/p2-copy")
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path + "/projects")
        #expect(try totals(store) == ExpectedTotals.of(tree: backups))
        let messages = try store.status().messages
        let single = try AgentLogStore.inMemory()
        _ = try sync(single, backups.path)
        #expect(try single.status().messages == messages)
    }

    @Test("2.1.x subagents: meta type and description, linked to the Task call through toolUseResult.agentId")
    func subagentsWithMeta() throws {
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, Corpus.claude.appendingPathComponent("ccl__-experiments-worktrees").path)
        let agents = try store.subagents(of: store.resolveSession("ef958aa1-0e93-49f0-bb71-150f63befcd1"))
        #expect(agents.count == 6)
        #expect(agents.allSatisfy { $0.agentType == "general-purpose" && $0.parentToolUseId != nil && $0.hasFile })
        #expect(agents.contains { $0.agentId == "a4ca7529859c158c2" && $0.description == "Research Claude Code plan mode" && $0.messages == 56 })
    }

    @Test("2.0.x sibling agent files: warm-up agents are kept but not attached to any Task call")
    func warmupAgents() throws {
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, Corpus.claude.appendingPathComponent("ccl__-Users-dain-workspace-JSSoundRecorder").path)
        let sessions = try store.sessions(SessionQuery())
        let agents = try sessions.flatMap { try store.subagents(of: $0.reference) }
        let warmups = agents.filter { $0.hasFile }
        #expect(warmups.count == 8)
        #expect(warmups.allSatisfy { $0.parentToolUseId == nil && $0.messages == 1 })
    }

    @Test("1.0.x inline sidechains become a subagent linked to the Task call by its prompt")
    func inlineSidechain() throws {
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, Corpus.claude.appendingPathComponent("ccl__misc").path)
        let sessions = try store.sessions(SessionQuery())
        #expect(sessions.count == 1)
        let session = try #require(sessions.first)
        let agents = try store.subagents(of: session.reference)
        #expect(agents.count == 1)
        #expect(agents.first?.parentToolUseId == "toolu_01VJzVGXqdaUe6AYX6CAJUHz")
        #expect(agents.first?.description == "Debug failing test output")
        #expect(agents.first?.messages == 7)
    }

    @Test("compaction: the boundary and the summary that follows it are recorded; titles come from title lines")
    func compaction() throws {
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, Corpus.claude.appendingPathComponent("pwd__transcript_backups").path)
        let session = try store.resolveSession("f32d2764-18ca-4c36-8058-6f26e915740b")
        let compactions = try store.compactions(of: session)
        #expect(compactions.count == 2)
        #expect(compactions.allSatisfy { $0.trigger == "manual" && $0.summaryFollows })
        let listed = try store.sessions(SessionQuery()).first { $0.sessionId == session.sessionId }
        #expect(listed?.title != nil)
    }

    @Test("older summary lines title the session that holds their leaf message")
    func summaryTitles() throws {
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, Corpus.claude.appendingPathComponent("ccl__-Users-dain-workspace-claude-code-log-sample").path)
        let titled = try store.sessions(SessionQuery()).filter { $0.title != nil }
        #expect(!titled.isEmpty)
        let withSummary = try store.sessionSummaries()
        #expect(withSummary > 0)
    }

    @Test("a file holding two session ids (a resumed session) yields both sessions, messages keyed by session")
    func twoSessionsInOneFile() throws {
        let folder = try TemporaryFolder()
        let first = try Data(contentsOf: Corpus.claude.appendingPathComponent("acmd__fixtures/full-session-two.jsonl"))
        let second = try Data(contentsOf: Corpus.claude.appendingPathComponent("acmd__fixtures/full-session-three.jsonl"))
        try folder.write("projects/p/resumed.jsonl", first + second)
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path + "/projects")
        let sessions = try store.sessions(SessionQuery())
        #expect(sessions.count == 2)
        #expect(try totals(store) == ExpectedTotals.of(tree: folder.url))
        let messages = sessions.reduce(0) { $0 + $1.messages }
        #expect(messages == 84)  // 41 + 49 lines, less 6 file-history-snapshot bookkeeping lines
    }
}

@Suite("Usage rollup")
struct RollupTests {
    /// Groups sorted so that two query paths can be compared.
    private func sorted(_ groups: [UsageGroup]) -> [String] {
        groups.map { "\($0.slot) \($0.key) \($0.agent) \($0.model) \($0.tier) \($0.tokens) \($0.responses)" }.sorted()
    }

    @Test("the trigger-kept rollups equal summing the usage rows, after duplicates, updates, re-reads and a deleted session")
    func rollupMatchesUsage() throws {
        let folder = try TemporaryFolder()
        try folder.copy(Corpus.claude.appendingPathComponent("pwd__transcript_backups"), to: "p/a")
        try folder.copy(Corpus.claude.appendingPathComponent("acmd__fixtures"), to: "p/b")
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path)
        // Re-read a file from the start: every usage row is seen again.
        try folder.write("p/b/full-session-four.jsonl", try Data(contentsOf: Corpus.claude.appendingPathComponent("acmd__fixtures/full-session-two.jsonl")))
        _ = try sync(store, folder.path)
        try expectRollupsMatchUsage(store)
        // Another session repeats one of those responses with a larger output count: the stored
        // row (which stays with the session that brought it first) and both rollups move to it.
        let source = try String(contentsOf: Corpus.claude.appendingPathComponent("acmd__fixtures/full-session-two.jsonl"), encoding: .utf8)
        let line = try #require(source.split(separator: "\n").first { $0.contains("\"output_tokens\"") && $0.contains("\"requestId\"") })
        var object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        var message = try #require(object["message"] as? [String: Any])
        var usage = try #require(message["usage"] as? [String: Any])
        usage["output_tokens"] = ((usage["output_tokens"] as? Int) ?? 0) + 1_000
        message["usage"] = usage
        object["message"] = message
        object["sessionId"] = "repeats-a-response"
        _ = try folder.write("p/c/repeats.jsonl", try JSONSerialization.data(withJSONObject: object) + Data("\n".utf8))
        let before = try store.usageReport(ReportOptions(kind: .model)).totals.tokens.output
        _ = try sync(store, folder.path)
        #expect(try store.usageReport(ReportOptions(kind: .model)).totals.tokens.output == before + 1_000)
        try expectRollupsMatchUsage(store)
        // Deleting a session takes its usage out of both rollups.
        let sessions = try store.sessions(SessionQuery())
        let doomed = try #require(sessions.first { $0.tokens.output > 0 })
        try store.executeForTesting("DELETE FROM sessions WHERE id = \(doomed.rowId)")
        try expectRollupsMatchUsage(store)
    }

    /// Every grouping and filter gives the same sums from the rollups as from the usage rows.
    private func expectRollupsMatchUsage(_ store: AgentLogStore) throws {
        let thresholds = PriceTable.builtIn.longContextThresholds
        let rowIds = try store.sessions(SessionQuery()).map(\.rowId)
        var someSessions = UsageFilter(since: 1_760_000_400_000)
        someSessions.sessionRowIds = Array(rowIds.prefix(3))
        let filters = [UsageFilter(), UsageFilter(since: 1_760_000_400_000, until: 1_775_000_700_000, agents: ["claude"]),
                       UsageFilter(since: 1_760_000_000_123), UsageFilter(project: "p"), someSessions]
        for grouping in [UsageGrouping.timeSlot, .model, .agent, .session, .project] {
            for filter in filters {
                let fast = try store.usageGroups(grouping, filter: filter, thresholds: thresholds, rollup: true)
                let slow = try store.usageGroups(grouping, filter: filter, thresholds: thresholds, rollup: false)
                #expect(sorted(fast) == sorted(slow), "\(grouping) \(filter)")
                #expect(!fast.isEmpty, "\(grouping) \(filter)")
            }
        }
    }
}

@Suite("Tool calls and files touched")
struct ToolCallTests {
    @Test("tool calls pair with their results; writes, edits and reads are recorded as files touched")
    func toolCallsAndFiles() throws {
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, Corpus.claude.appendingPathComponent("acmd__fixtures").path)
        // full-session-four.jsonl, the fixture with the most tool calls
        let session = try #require(try store.sessions(SessionQuery()).max { $0.toolCalls < $1.toolCalls }).reference
        let calls = try store.toolCalls(of: session)
        #expect(calls.count == 27)  // MANIFEST: tool_use=27 tool_result=27 is_error=1
        #expect(calls.allSatisfy { $0.name != nil && $0.outputLength != nil })
        #expect(calls.filter { $0.isError == true }.count == 1)
        let touches = try store.filesTouched(by: session)
        let editing = calls.filter { ["Write", "Edit", "MultiEdit", "NotebookEdit", "Read"].contains($0.name ?? "") }
        #expect(touches.count == editing.count)
        #expect(Set(touches.map(\.operation)).isSubset(of: ["read", "write", "edit", "multi_edit", "notebook_edit"]))
        #expect(touches.allSatisfy { $0.path.hasPrefix("/") })
    }

    @Test("a tool call whose result is missing is kept without one")
    func missingResult() throws {
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, Corpus.claude.appendingPathComponent("ccl__misc").path)  // 3 tool_use, 1 tool_result
        let session = try #require(try store.sessions(SessionQuery()).first)
        let calls = try store.toolCalls(of: session.reference)
        #expect(calls.count == 3)
        #expect(calls.filter { $0.outputLength != nil }.count == 1)
    }
}

@Suite("A session spread over several files")
struct SpreadSessionTests {
    /// One user line of session `s1` in folder `cwd` on `branch` at `time`.
    private func line(_ uuid: String, cwd: String, branch: String, time: String) -> String {
        #"{"type":"user","sessionId":"s1","uuid":"\#(uuid)","timestamp":"\#(time)","cwd":"\#(cwd)","gitBranch":"\#(branch)","message":{"role":"user","content":"hello \#(uuid)"}}"# + "\n"
    }

    @Test("files read in either order file the session under the folder it started in and the branch it reached last")
    func orderDoesNotMatter() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("repo/s1.jsonl", Data((line("a", cwd: "/repo", branch: "main", time: "2026-01-01T10:00:00Z")
            + line("b", cwd: "/repo", branch: "main", time: "2026-01-01T10:05:00Z")).utf8))
        _ = try folder.write("worktree/s1.jsonl", Data(line("c", cwd: "/repo/.claude/worktrees/agent-x", branch: "worktree-x",
                                                           time: "2026-01-01T10:30:00Z").utf8))
        var seen: [String] = []
        for order in [["repo", "worktree"], ["worktree", "repo"]] {
            let store = try AgentLogStore.inMemory()
            for part in order { _ = try sync(store, folder.path + "/" + part) }
            let session = try #require(try store.sessions(SessionQuery()).first)
            seen.append("\(session.project ?? "-") \(session.gitBranch ?? "-")")
        }
        #expect(seen == ["/repo worktree-x", "/repo worktree-x"])
    }
}
