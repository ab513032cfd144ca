import AgentLogHistory
import AgentLogIngest
import AgentLogSQLite
import AgentLogStore
import AgentLogSync
import AgentLogTestSupport
import Foundation
import Testing

/// Writes a Claude Code session of `responses` responses, a minute apart from `start`, under
/// `folder/tree`: every id is unique to the session, so sessions never share a usage row.
func writeSession(_ session: String, responses: Int, from start: Int64, in folder: TemporaryFolder, project: String = "app") throws {
    var lines = ""
    for index in 0..<responses {
        let time = Timestamp.iso8601(milliseconds: start + Int64(index) * 60_000)
        lines += """
            {"type":"user","sessionId":"\(session)","uuid":"\(session)-q\(index)","timestamp":"\(time)","cwd":"/src/\(project)",\
            "message":{"role":"user","content":"question number \(index) about parsers"}}
            {"type":"assistant","sessionId":"\(session)","uuid":"\(session)-a\(index)","parentUuid":"\(session)-q\(index)","timestamp":"\(time)",\
            "cwd":"/src/\(project)","requestId":"req_\(session)_\(index)","message":{"id":"msg_\(session)_\(index)","role":"assistant",\
            "model":"claude-sonnet-4-5","content":[{"type":"text","text":"answer \(index)"}],\
            "usage":{"input_tokens":\(100 + index),"output_tokens":\(10 + index),"cache_read_input_tokens":\(1000 * index)}}}

            """
    }
    _ = try folder.write("tree/-src-\(project)/\(session).jsonl", Data(lines.utf8))
}

@Suite("db prune: old sessions, events and telemetry go; what is newer stays exact")
struct PruneTests {
    let day: Int64 = 86_400_000
    let now = AgentLogStore.now()

    @Test("pruning removes old sessions with their rows, rollups and archive, keeps newer ones exact, and a resync brings nothing back")
    func pruneRemovesOldHistoryExactly() async throws {
        let folder = try TemporaryFolder()
        let store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
        try writeSession("old-a", responses: 5, from: now - 400 * day, in: folder)
        try writeSession("old-b", responses: 3, from: now - 200 * day, in: folder, project: "lib")
        try writeSession("new-c", responses: 4, from: now - 10 * day, in: folder)
        _ = try sync(store, folder.path + "/tree")
        try store.updateSearchIndex()
        try await store.appendEvent(session: "old-a", type: "note", at: now - 300 * day)
        try await store.appendEvent(session: "new-c", type: "note", at: now - day)
        let recent = ReportOptions(kind: .daily)
        let before = try store.usageReport(recent)

        let plan = try store.prune(olderThan: now - 180 * day, dryRun: true)
        #expect(plan.sessions == 2 && plan.messages == 16 && plan.usageRecords == 8 && plan.events == 1)
        #expect(plan.archiveChunks == 2 && plan.archiveBytes > 0)
        #expect(try store.status().sessions == 3, "a dry run changes nothing")

        let done = try store.prune(olderThan: now - 180 * day)
        var expected = plan
        expected.dryRun = false
        #expect(done == expected)
        #expect(done.sessions == 2 && done.toolCalls == 0 && done.telemetryRecords == 0)
        let status = try store.status()
        #expect(status.sessions == 1 && status.messages == 8 && status.usageRecords == 4 && status.events == 1)

        // What stays is counted as before, by every path the reports take.
        let after = try store.usageReport(recent)
        let newDays = before.rows.filter { row in after.rows.contains { $0.key == row.key } }
        #expect(after.rows.count == 1 && newDays.map(\.tokens) == after.rows.map(\.tokens))
        #expect(after.totals.responses == 4 && after.totals.tokens.input == 100 + 101 + 102 + 103)
        let bySession = try store.usageReport(ReportOptions(kind: .session))
        #expect(bySession.totals.tokens == after.totals.tokens)
        let byProject = try store.usageReport(ReportOptions(kind: .project))
        #expect(byProject.rows.count == 1 && byProject.totals.tokens == after.totals.tokens)
        #expect(try store.search(SearchQuery(expression: try SearchExpression("parsers"))).count == 4)
        #expect(try store.check(archiveSample: 100).ok)

        // The pruned files stay registered: a resync reads nothing again.
        let resync = try sync(store, folder.path + "/tree")
        #expect(resync.lines == 0 && resync.newRecords == 0)
        #expect(try store.status().sessions == 1)
    }

    @Test("--keep-archive keeps the pruned transcripts' raw bytes; a prune with nothing old removes nothing")
    func keepArchiveAndNothingToPrune() throws {
        let folder = try TemporaryFolder()
        let store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
        try writeSession("old", responses: 2, from: now - 400 * day, in: folder)
        _ = try sync(store, folder.path + "/tree")
        let chunks = try store.status().archiveStoredBytes
        let kept = try store.prune(olderThan: now - 180 * day, keepArchive: true)
        #expect(kept.sessions == 1 && kept.archiveChunks == 0)
        #expect(try store.status().archiveStoredBytes == chunks && (try store.status().sessions) == 0)
        let nothing = try store.prune(olderThan: now - 180 * day)
        #expect(nothing.sessions == 0 && nothing.messages == 0 && nothing.events == 0)
    }

    @Test("pruning the rows with the highest ids moves the search mark down, so rows stored later are indexed")
    func pruneKeepsTheSearchMarkBelowTheIds() throws {
        let folder = try TemporaryFolder()
        let store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
        try writeSession("kept", responses: 2, from: now - 5 * day, in: folder)
        _ = try sync(store, folder.path + "/tree")
        // The old session comes second (an import does this), so it holds the highest ids.
        let later = try TemporaryFolder()
        try writeSession("old", responses: 3, from: now - 400 * day, in: later)
        _ = try sync(store, later.path + "/tree")
        try store.updateSearchIndex()
        _ = try store.prune(olderThan: now - 180 * day)
        try writeSession("after", responses: 2, from: now - day, in: later)
        _ = try sync(store, later.path + "/tree")
        try store.updateSearchIndex()
        let hits = try store.search(SearchQuery(expression: try SearchExpression("parsers")))
        #expect(Set(hits.map(\.session.sessionId)) == ["kept", "after"])
        #expect(try store.check(archiveSample: 10, searchSample: 100).ok)
    }
}
