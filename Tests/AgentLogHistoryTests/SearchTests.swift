@testable import AgentLogIngest
import AgentLogTestSupport
import Foundation
import Testing
import AgentLogDatabase
@testable import AgentLogHistory

@Suite("Full-text search")
struct SearchTests {
    /// A store with one session of prompts, replies and tool calls holding prose and code.
    private func store(_ folder: TemporaryFolder) throws -> AgentLogStore {
        let store = try AgentLogStore.open(at: folder.path + "/a.db")
        try add(to: store, file: "/x/s.jsonl", messages: [
            ("u1", .user, true, "Why does the build fail with -Werror on src/app/main.swift?"),
            ("a1", .assistant, false, "Because foo.bar() returns an unused value; see snake_case_name."),
            ("u2", .user, true, "The server says ERR_CONNECTION_REFUSED when running tests"),
            ("a2", .assistant, false, "The server was running on another port: ERR_CONNECTION_REFUSED goes away after restarting."),
            ("a3", .assistant, false, "Emoji 😀 and quotes \" and NEAR( and AND OR NOT are only text."),
        ], calls: [("t1", "Bash", "swift build -Xswiftc -warnings-as-errors", "error: unused value", true),
                   ("t2", "Edit", "{\"file_path\": \"/repo/src/app/main.swift\"}", "ok", false)])
        return store
    }

    private func add(to store: AgentLogStore, file path: String, messages: [(String, MessageRole, Bool, String)],
                     calls: [(String, String, String, String, Bool)], replacing: Bool = false) throws {
        var batch = RecordBatch(agent: .claude)
        batch.facts("s") { $0.cwd = "/repo"; $0.title = "Fixing the build warnings" }
        for (index, (uuid, role, isPrompt, text)) in messages.enumerated() {
            var entry = ClaudeEntry(sessionId: "s", uuid: uuid, role: role)
            entry.text = text
            entry.textLength = text.utf8.count
            entry.isMeta = role == .user && !isPrompt
            entry.timestamp = 1_700_000_000_000 + Int64(index) * 1000
            var record = MessageRecord(sessionId: "s", entry: entry, agentId: nil, line: index + 1)
            record.replacesEarlier = replacing
            batch.messages.append(record)
        }
        for (id, name, input, output, isError) in calls {
            var use = ToolUse(id: id, name: name, inputPreview: input, inputLength: input.utf8.count)
            if name == "Edit" { use.filePath = "/repo/src/app/main.swift"; use.fileOperation = .edit }
            var row = ToolCallRow(sessionId: "s", agentId: nil, messageUuid: "a1", timestamp: 1_700_000_000_500, use: use)
            row.result = ToolResult(toolUseId: id, isError: isError, outputPreview: output, outputLength: output.utf8.count)
            batch.addToolCall(row)
        }
        let file = try store.registerSourceFile(path: path, root: "/x", agent: "claude", kind: "transcript")
        _ = try store.ingest(batch, position: FilePosition(fileId: file.id, device: 1, inode: 1, size: 0, mtimeNs: 0, offset: 0,
                                                           lines: 0, prefixHash: nil, reset: false), chunks: [], tail: [])
    }

    private func search(_ store: AgentLogStore, _ text: String, _ configure: (inout SearchQuery) -> Void = { _ in }) throws -> [SearchHit] {
        try store.updateSearchIndex()
        var query = SearchQuery(expression: try SearchExpression(text))
        configure(&query)
        return try store.search(query)
    }

    @Test("code is found as written", arguments: ["foo.bar()", "snake_case_name", "src/app/main.swift", "ERR_CONNECTION_REFUSED", "-Werror", "main.swift", "snake_case*"])
    func codeTerms(_ text: String) throws {
        let folder = try TemporaryFolder()
        let hits = try search(try store(folder), text)
        #expect(!hits.isEmpty, "no hit for \(text)")
        #expect(hits.allSatisfy { $0.kind == .title || $0.snippet.contains(SearchHit.matchStart) })
    }

    @Test("hostile queries give results or one clear message, never an SQL error", arguments: [
        "\"unbalanced", "NEAR(", "*", "\"", "-", ":", "text : foo", "{text}: foo", "AND OR NOT", "AND", "(", ")", "^a",
        "a\u{0}b", "😀", "emoji 😀", "x\"y", "'; DROP TABLE messages; --", "thinking:*", "NEAR(a b, 2)", String(repeating: "word ", count: 2_000),
        // Found by fuzzing: a quote followed by a combining mark is one Character to Swift, still a quote to FTS5.
        "^snul\"ltard \"\u{05AE}\u{FFFD}]W/", "a\"\u{0301}b", "\"\u{0308}phrase\u{0308}\" word",
    ])
    func hostileQueries(_ text: String) throws {
        let folder = try TemporaryFolder()
        let store = try store(folder)
        do {
            _ = try search(store, text)
        } catch let error as SearchError {
            #expect(error.description.hasPrefix("Nothing to search for"))
        }
        #expect(try store.status().messages == 5)  // nothing was dropped or broken
    }

    @Test("a prompt ranks above a reply with the same words; quoted phrases keep their order")
    func ranking() throws {
        let folder = try TemporaryFolder()
        let store = try store(folder)
        let hits = try search(store, "ERR_CONNECTION_REFUSED").filter { $0.kind == .message }
        #expect(hits.map(\.item) == ["u2", "a2"])
        #expect(hits[0].score > hits[1].score)
        #expect(try search(store, "\"server was running\"").compactMap(\.item) == ["a2"])
        #expect(try search(store, "\"running was server\"").isEmpty)
    }

    @Test("filters: tool, file prefix, errors only, agent; titles are found by their words")
    func filters() throws {
        let folder = try TemporaryFolder()
        let store = try store(folder)
        #expect(try search(store, "unused") { $0.errorsOnly = true }.map(\.item) == ["t1"])
        #expect(try search(store, "server") { $0.criteria.tool = "bash" }.count == 2)
        #expect(try search(store, "server") { $0.criteria.tool = "Read" }.isEmpty)
        #expect(try search(store, "server") { $0.criteria.file = "/repo/src/" }.count == 2)
        #expect(try search(store, "server") { $0.criteria.file = "/elsewhere/" }.isEmpty)
        #expect(try search(store, "server") { $0.filter.agents = ["codex"] }.isEmpty)
        #expect(try search(store, "warnings").contains { $0.kind == .title })
        #expect(try search(store, "warn").allSatisfy { $0.kind != .title })
    }

    @Test("the index catches up with new rows and follows rows that change")
    func incrementalIndex() throws {
        let folder = try TemporaryFolder()
        let store = try store(folder)
        #expect(try search(store, "zebra").isEmpty)
        try add(to: store, file: "/x/t.jsonl", messages: [("a9", .assistant, false, "a zebra appeared")], calls: [])
        #expect(try store.updateSearchIndex() == 1)
        #expect(try search(store, "zebra").map(\.item) == ["a9"])
        // A rewritten message (Gemini) replaces its text: the old words go, the new ones come.
        try add(to: store, file: "/x/t.jsonl", messages: [("a9", .assistant, false, "a giraffe appeared")], calls: [], replacing: true)
        #expect(try search(store, "zebra").isEmpty)
        #expect(try search(store, "giraffe").map(\.item) == ["a9"])
        #expect(try store.updateSearchIndex() == 0)
    }
}
