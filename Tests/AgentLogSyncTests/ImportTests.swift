import AgentLogHistory
import AgentLogIngest
import AgentLogSQLite
import AgentLogStore
import AgentLogSync
import AgentLogTestSupport
import Foundation
import Testing

@Suite("db import: another machine's history merged, each session counted once, a second import changes nothing")
struct ImportTests {
    let start = Timestamp.milliseconds(fromISO8601: "2026-10-01T09:00:00Z")!
    let hour: Int64 = 3_600_000

    /// A database at `folder/name.db` that synced `sessions` (name, responses, hours after start).
    func machine(_ name: String, _ sessions: [(String, Int, Int64)], in root: TemporaryFolder) throws -> AgentLogStore {
        let folder = try TemporaryFolder()
        for (session, responses, hours) in sessions {
            try writeSession(session, responses: responses, from: start + hours * hour, in: folder, project: "p-\(session.prefix(1))")
        }
        let store = try AgentLogStore.open(at: root.path + "/\(name).db")
        _ = try sync(store, folder.path + "/tree")
        return store
    }

    func counts(_ store: AgentLogStore) throws -> [Int] {
        let status = try store.status()
        return [status.sessions, status.messages, status.usageRecords, status.events]
    }

    @Test("the merge equals one machine that saw every session; shared sessions count once; re-import adds nothing")
    func mergeEqualsTheUnion() async throws {
        let root = try TemporaryFolder()
        // `shared` is the same session on both (B saw it run longer); each also has its own.
        let a = try machine("a", [("shared", 3, 0), ("a-only", 2, 5)], in: root)
        let b = try machine("b", [("shared", 5, 0), ("b-only", 4, 30), ("b-two", 1, 60)], in: root)
        let union = try machine("union", [("shared", 5, 0), ("a-only", 2, 5), ("b-only", 4, 30), ("b-two", 1, 60)], in: root)
        try await b.appendEvent(session: "b-only", type: "note", payload: #"{"n":1}"#, at: start + 31 * hour)
        try await b.appendEvent(session: "b-only", type: "note", payload: #"{"n":2}"#, at: start + 32 * hour)
        try await a.appendEvent(session: "b-only", type: "seen", at: start + 33 * hour)
        var telemetry = TelemetryBatch()
        telemetry.requests = [TelemetryRequest(key: "req_b-only_0", requestId: "req_b-only_0", sessionId: "b-only", model: "claude-sonnet-4-5",
                                               timestamp: start + 30 * hour, tokens: TokenCounts(input: 999), costPico: 5)]
        _ = try b.recordTelemetrySynchronously(telemetry, receivedAt: start + 30 * hour)

        let plan = try a.importDatabase(from: root.path + "/b.db", dryRun: true)
        #expect(try counts(a) == [2, 10, 5, 1], "a dry run changes nothing")
        let result = try a.importDatabase(from: root.path + "/b.db", machineName: "laptop")
        #expect(result == plan)
        #expect(result.sessionsAdded == 2 && result.sessionsMerged == 1)
        #expect(result.usageRecords == 2 + 4 + 1 && result.messages == 14 && result.events == 2 && result.telemetryRecords == 1)

        // Every report path gives what one machine that saw it all gives.
        for kind in [ReportKind.daily, .session, .project, .model] {
            let merged = try a.usageReport(ReportOptions(kind: kind, source: .transcript)), expected = try union.usageReport(ReportOptions(kind: kind))
            #expect(merged.totals.tokens == expected.totals.tokens && merged.totals.responses == expected.totals.responses, "\(kind)")
            #expect(merged.rows.map(\.tokens) == expected.rows.map(\.tokens), "\(kind)")
        }
        #expect(try counts(a) == [4, 24, 12, 3])
        // Telemetry is linked to the imported response of the same request.
        let best = try a.usageReport(ReportOptions(kind: .session, source: .best))
        #expect(best.totals.tokens.input == (try union.usageReport(ReportOptions(kind: .session))).totals.tokens.input - 100 + 999)
        // Imported events follow this machine's own in the session, in their order.
        let events = try await a.events(session: "b-only")
        #expect(events.map(\.seq) == [1, 2, 3] && events.map(\.type) == ["seen", "note", "note"])

        // Rows remember their machine; shared sessions stay this machine's.
        let connection = try SQLiteConnection(path: root.path + "/a.db", busyMilliseconds: 1_000)
        func number(_ sql: String) throws -> Int64? { try connection.statement(sql).runReturningInt() }
        #expect(try number("SELECT COUNT(*) FROM machines") == 2)
        #expect(try number("SELECT COUNT(*) FROM machines WHERE name = 'laptop' AND imported_from IS NOT NULL") == 1)
        #expect(try number("SELECT machine_id FROM sessions WHERE session_id = 'shared'") == 1)
        #expect(try number("SELECT COUNT(*) FROM usage WHERE machine_id = 2") == 7)
        #expect(try number("SELECT COUNT(*) FROM source_files WHERE machine_id = 2 AND missing_since IS NOT NULL AND path LIKE '%:%'") == 3)
        #expect(try a.check(archiveSample: 100).ok)
        // The imported session's transcript is in the archive.
        let reference = try a.resolveSession("b-two")
        #expect(try a.archivedFiles(of: reference).count == 1)

        // Importing again adds nothing.
        let again = try a.importDatabase(from: root.path + "/b.db")
        #expect(again.changedNothing && again.sessionsMerged == 3)
        #expect(try counts(a) == [4, 24, 12, 3])
        #expect(try a.usageReport(ReportOptions(kind: .daily, source: .transcript)).totals.tokens == (try union.usageReport(ReportOptions(kind: .daily))).totals.tokens)
        // B importing A's merged database back gets the union too, and its own rows are not doubled.
        _ = try b.importDatabase(from: root.path + "/a.db")
        #expect(try b.usageReport(ReportOptions(kind: .model, source: .transcript)).totals.tokens == (try union.usageReport(ReportOptions(kind: .model))).totals.tokens)
        let files = try b.status().sourceFiles
        #expect(files == 5, "its own 3, and A's 2 under A's name: \(files)")
    }

    @Test("an older database is brought up to date in a copy and names the same machine each time; this machine's own backup is refused")
    func olderDatabasesAndOwnBackups() throws {
        let root = try TemporaryFolder()
        let a = try machine("a", [("a-only", 2, 0)], in: root)
        let oldFolder = try TemporaryFolder()
        try writeSession("old-one", responses: 3, from: start, in: oldFolder)
        let old = try AgentLogStore.open(at: root.path + "/old.db", migratedUpTo: "v10-telemetry")
        _ = try sync(old, oldFolder.path + "/tree")
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: root.path + "/old.db"))

        var steps: [Int] = []
        let first = try a.importDatabase(from: root.path + "/old.db") { done, total in steps.append(done); #expect(total == 16) }
        #expect(steps == Array(1...16), "one step per table merged")
        let second = try a.importDatabase(from: root.path + "/old.db")
        #expect(first.sessionsAdded == 1 && first.usageRecords == 3 && second.changedNothing && first.machine == second.machine)
        #expect(first.machine.hasPrefix("legacy-"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: root.path + "/old.db")) == oldBytes, "the source is only read")

        _ = try a.backup(to: root.path + "/a-backup.db")
        #expect(throws: StoreError.self) { try a.importDatabase(from: root.path + "/a-backup.db") }
        #expect(throws: StoreError.self) { try a.importDatabase(from: root.path + "/missing.db") }
        _ = FileManager.default.createFile(atPath: root.path + "/junk.db", contents: Data("not a database".utf8))
        #expect(throws: StoreError.self) { try a.importDatabase(from: root.path + "/junk.db") }
        #expect(try a.status().sessions == 2)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".agentlog-import-") }
        #expect(leftovers.isEmpty, "the private copies are removed")
    }

    @Test("a database that masks secrets masks what it imports from one that did not")
    func importMasksWhatTheOtherKeptAsIs() throws {
        let root = try TemporaryFolder()
        let key = "sk-ant-api03-" + String(repeating: "Zq8", count: 31) + "AA"
        let folder = try TemporaryFolder()
        let line = """
            {"type":"user","sessionId":"leaky","uuid":"u1","timestamp":"2026-10-01T09:00:00Z","cwd":"/src/x","message":{"role":"user","content":"use \(key) here"}}

            """
        _ = try folder.write("tree/-src-x/leaky.jsonl", Data(line.utf8))
        let other = try AgentLogStore.open(at: root.path + "/other.db")
        var engine = SyncEngine(store: other)
        engine.redact = false
        _ = try engine.sync(roots: [SyncRoot(path: folder.path + "/tree", agent: .claude, isExplicit: true)])
        let here = try AgentLogStore.open(at: root.path + "/here.db")
        let result = try here.importDatabase(from: root.path + "/other.db")
        #expect(result.messages == 1 && result.secretsMasked == 2, "the message and the session's first prompt")
        let stored = try here.maskedSecrets()
        #expect(stored.total == 2 && Set(stored.rows.map(\.location)) == ["messages.text", "sessions.first_prompt"])
        let connection = try SQLiteConnection(path: root.path + "/here.db", busyMilliseconds: 1_000)
        #expect(try connection.statement("SELECT COUNT(*) FROM messages WHERE text LIKE '%Zq8Zq8%'").runReturningInt() == 0)
        #expect(try connection.statement("SELECT COUNT(*) FROM messages WHERE text LIKE '%[REDACTED:anthropic-key]%'").runReturningInt() == 1)
    }
}
