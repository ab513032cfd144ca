import AgentLogIngest
import AgentLogDatabase
import AgentLogHistory
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogSync

/// A user line of session `session` with `uuid` and prompt `text`.
func userLine(_ uuid: String, _ text: String, session: String = "s-1") -> String {
    #"{"type":"user","sessionId":"\#(session)","uuid":"\#(uuid)","timestamp":"2026-03-01T10:00:00.000Z","cwd":"/w/app","message":{"role":"user","content":"\#(text)"}}"#
}

/// An assistant line with usage.
func assistantLine(_ uuid: String, messageId: String, output: Int, session: String = "s-1") -> String {
    #"{"type":"assistant","sessionId":"\#(session)","uuid":"\#(uuid)","timestamp":"2026-03-01T10:00:05.000Z","requestId":"req-\#(messageId)","message":{"model":"claude-sonnet-4-6","id":"\#(messageId)","role":"assistant","content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":\#(output)}}}"#
}

/// The bytes the archive holds for the files of `session`, by path relative to the root.
func exported(_ store: AgentLogStore, _ session: String) throws -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    for file in try store.archivedFiles(of: store.resolveSession(session)) {
        var bytes: [UInt8] = []
        try store.restore(file) { bytes += $0 }
        files[file.relativePath] = bytes
    }
    return files
}

@Suite("Incremental sync")
struct IncrementalSyncTests {
    @Test("a partial last line waits for the next sync and is then read once; export holds every byte")
    func partialLastLine() throws {
        let folder = try TemporaryFolder()
        let first = userLine("u1", "hello") + "\n" + assistantLine("a1", messageId: "m1", output: 5) + "\n"
        let partial = String(userLine("u2", "second").prefix(40))
        try folder.write("p/s.jsonl", Data((first + partial).utf8))
        let store = try AgentLogStore.inMemory()
        let report = try sync(store, folder.path)
        #expect(report.lines == 2)
        #expect(report.rejected.isEmpty)
        #expect(report.pendingBytes == Int64(partial.utf8.count))
        #expect(try store.status().messages == 2)
        #expect(try exported(store, "s-1")["p/s.jsonl"] == Array((first + partial).utf8))

        let rest = String(userLine("u2", "second").dropFirst(40)) + "\n" + assistantLine("a2", messageId: "m2", output: 7) + "\n"
        try folder.append("p/s.jsonl", Data(rest.utf8))
        let second = try sync(store, folder.path)
        #expect(second.lines == 2)
        #expect(second.pendingBytes == 0)
        #expect(second.bytesRead == Int64((partial + rest).utf8.count))
        #expect(try store.status().messages == 4)
        #expect(try totals(store).output == 12)
        #expect(try exported(store, "s-1")["p/s.jsonl"] == Array((first + partial + rest).utf8))
    }

    @Test("only appended bytes are read")
    func appendReadsOnlyNewBytes() throws {
        let folder = try TemporaryFolder()
        let first = userLine("u1", "hello") + "\n"
        try folder.write("p/s.jsonl", Data(first.utf8))
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path)
        let more = assistantLine("a1", messageId: "m1", output: 3) + "\n"
        try folder.append("p/s.jsonl", Data(more.utf8))
        let report = try sync(store, folder.path)
        #expect(report.bytesRead == Int64(more.utf8.count))
        #expect(report.newMessages == 1)
    }

    @Test("a file that shrank is read again from the start without duplicating anything")
    func shrunkFile() throws {
        let folder = try TemporaryFolder()
        let lines = (1...4).map { userLine("u\($0)", "prompt \($0)") }
        try folder.write("p/s.jsonl", Data((lines.joined(separator: "\n") + "\n").utf8))
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path)
        try folder.write("p/s.jsonl", Data((lines[0...1].joined(separator: "\n") + "\n").utf8))
        let report = try sync(store, folder.path)
        #expect(report.lines == 2)
        #expect(report.newRecords == 0)
        #expect(try store.status().messages == 4)
        let restored = try exported(store, "s-1")["p/s.jsonl"]
        #expect(restored == Array((lines[0...1].joined(separator: "\n") + "\n").utf8))
    }

    @Test("a file replaced by one of the same size is detected by its prefix hash and read again")
    func replacedFile() throws {
        let folder = try TemporaryFolder()
        try folder.write("p/s.jsonl", Data((userLine("u1", "aaaa") + "\n").utf8))
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path)
        try folder.write("p/s.jsonl", Data((userLine("u2", "bbbb") + "\n").utf8))
        let report = try sync(store, folder.path)
        #expect(report.newMessages == 1)
        #expect(try store.status().messages == 2)
    }

    @Test("usage repeated with growing output keeps the largest count, whichever file comes first")
    func largestOutputWins() throws {
        let folder = try TemporaryFolder()
        try folder.write("p/a.jsonl", Data((assistantLine("a1", messageId: "m1", output: 50) + "\n").utf8))
        try folder.write("p/b.jsonl", Data((assistantLine("a2", messageId: "m1", output: 7) + "\n" + assistantLine("a3", messageId: "m1", output: 90) + "\n").utf8))
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path)
        let result = try totals(store)
        #expect(result.responses == 1)
        #expect(result.output == 90)
    }
}

@Suite("Bad input")
struct BadInputTests {
    @Test("every kind of bad line is rejected with its line number and reason; the good lines around it are kept")
    func badLines() throws {
        let folder = try TemporaryFolder()
        var bytes = Data((userLine("u1", "first") + "\n").utf8)
        bytes += Data(#"{"type":"user","sessionId":"s-1","uuid":"broken""#.utf8) + Data("\n".utf8)  // 2: truncated
        bytes += Data("this is not json\n".utf8)  // 3
        bytes += Data(#"{"type":"user","sessionId":"s-1","uuid":"u4","message":{"role":"user","content":"bad "#.utf8)
            + Data([0xFF, 0xFE]) + Data("\"}}\n".utf8)  // 4: invalid UTF-8
        let big = String(repeating: "x", count: 5 << 20)
        bytes += Data(#"{"type":"user","sessionId":"s-1","uuid":"u5","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"\#(big)"}]}}"#.utf8) + Data("\n".utf8)
        bytes += Data(#"{"type":"brand-new-kind","sessionId":"s-1","payload":{"a":[1,2]}}"#.utf8) + Data("\n".utf8)  // 6
        bytes += Data("\n".utf8)  // 7: blank
        bytes += Data("[1,2,3]\n".utf8)  // 8: not an object
        bytes += Data((userLine("u9", "last") + "\n").utf8)
        try folder.write("p/s.jsonl", bytes)
        try folder.write("p/empty.jsonl", Data())
        let store = try AgentLogStore.inMemory()
        let report = try sync(store, folder.path)
        #expect(report.rejected.map(\.line) == [2, 3, 4, 6, 8])
        #expect(report.rejected.allSatisfy { $0.file.hasSuffix("p/s.jsonl") && !$0.reason.isEmpty })
        #expect(report.rejected.first { $0.line == 4 }?.reason.contains("UTF-8") == true)
        #expect(report.rejected.first { $0.line == 6 }?.reason.contains("brand-new-kind") == true)
        #expect(report.lines == 9)
        #expect(report.emptyFiles == 1)
        #expect(try store.status().messages == 3)  // u1, u5, u9
        #expect(try store.status().rejectedLines == 5)
        let session = try store.resolveSession("s-1")
        let calls = try store.toolCalls(of: session)
        #expect(calls.first?.outputLength == 5 << 20)
        #expect((calls.first?.outputPreview.utf8.count ?? .max) <= PreviewLimits.tool)
        // Every byte is archived, bad lines included.
        #expect(try exported(store, "s-1")["p/s.jsonl"] == [UInt8](bytes))
    }

    @Test("a file removed mid-sync is counted, not fatal; the other files are read")
    func vanishingFile() throws {
        let folder = try TemporaryFolder()
        try folder.write("p/a.jsonl", Data((userLine("u1", "a", session: "s-a") + "\n").utf8))
        try folder.write("p/b.jsonl", Data((userLine("u2", "b", session: "s-b") + "\n").utf8))
        let store = try AgentLogStore.inMemory()
        var engine = SyncEngine(store: store)
        let doomed = folder.path + "/p/a.jsonl"
        engine.beforeReading = { path in if path == doomed { try? FileManager.default.removeItem(atPath: path) } }
        let report = try engine.sync(roots: [SyncRoot(path: folder.path, agent: .claude, isExplicit: true)])
        #expect(report.failedFiles == 1)
        #expect(report.rejected.count == 1)
        #expect(report.rejected.first?.file == doomed)
        #expect(report.rejected.first?.line == 0)
        #expect(report.rejected.first?.reason.contains("no such file") == true)
        #expect(report.filesRead == 1)
        #expect(try store.sessions(SessionQuery()).map(\.sessionId) == ["s-b"])
    }

    @Test("a root given with --path that does not exist is an error naming it; an absent default root is not")
    func missingRoots() throws {
        let store = try AgentLogStore.inMemory()
        #expect { try sync(store, "/nonexistent/agentlog-root") } throws: { "\($0)".contains("/nonexistent/agentlog-root") }
        let report = try SyncEngine(store: store).sync(roots: [SyncRoot(path: "/nonexistent/default", agent: .claude, isExplicit: false)])
        #expect(report.absentRoots == ["/nonexistent/default"])
    }
}

@Suite("Lossless archive")
struct ArchiveTests {
    @Test("raw export is byte-identical to the source files, also after they were deleted")
    func exportAfterDelete() throws {
        let folder = try TemporaryFolder()
        let source = Corpus.claude.appendingPathComponent("ccl__-experiments-worktrees")
        try folder.copy(source, to: "projects/worktrees")
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path + "/projects")
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("projects"))
        let report = try sync(store, folder.path)
        #expect(report.missingFiles == 13)
        let files = try exported(store, "ef958aa1-0e93-49f0-bb71-150f63befcd1")
        #expect(files.count == 13)  // the session, 6 subagent transcripts and their 6 meta files
        for (relative, bytes) in files {
            let original = try Data(contentsOf: source.appendingPathComponent(String(relative.dropFirst("worktrees/".count))))
            #expect(bytes == [UInt8](original), "\(relative) differs")
        }
    }
}

@Suite("Concurrent syncs")
struct ConcurrentSyncTests {
    @Test("two syncs of the same database at once take turns: totals exact, archive exportable")
    func twoSyncsAtOnce() async throws {
        let folder = try TemporaryFolder()
        let source = Corpus.claude.appendingPathComponent("acmd__fixtures")
        try folder.copy(source, to: "projects/p")
        let path = folder.path + "/db.sqlite"
        _ = try AgentLogStore.open(at: path)
        let root = folder.path + "/projects"
        async let first = Task.detached { try sync(AgentLogStore.open(at: path), root) }.value
        async let second = Task.detached { try sync(AgentLogStore.open(at: path), root) }.value
        let reports = try await [first, second]
        #expect(reports.map(\.filesRead).sorted() == [0, 5])  // the second found nothing left to read
        let store = try AgentLogStore.open(at: path)
        #expect(try totals(store) == ExpectedTotals.of(tree: source))
        let files = try exported(store, "06381696-0074-49f8-863e-6ad4fac507f9")
        #expect(files["p/06381696-0074-49f8-863e-6ad4fac507f9.jsonl"]
            == [UInt8](try Data(contentsOf: source.appendingPathComponent("06381696-0074-49f8-863e-6ad4fac507f9.jsonl"))))
    }
}
