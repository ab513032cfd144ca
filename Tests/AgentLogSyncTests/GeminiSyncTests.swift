import AgentLogIngest
import AgentLogTestSupport
import Foundation
import Testing
import AgentLogDatabase
@testable import AgentLogHistory
@testable import AgentLogSync

@Suite("Syncing Gemini CLI sessions")
struct GeminiSyncTests {
    /// Per file: sessions, messages, tool calls, uncached input, output, cache read; computed
    /// independently by `gemini_expected.py` (next to this file) with Python's json module.
    static let expected: [String: [Int]] = [
        "acmd__session-2025-10-27T19-55-981c87cb.json": [1, 18, 13, 57_420, 6_456, 45_385],
        "acmd__session-2025-10-29T10-36-453aa339.json": [1, 5, 3, 17_665, 563, 4_029],
        "acmd__session-2025-10-29T10-36-9c9a14e1.json": [1, 3, 1, 11_068, 363, 0],
        "acmd__session-2025-10-29T10-39-a63242d9.json": [1, 2, 1, 4_657, 151, 0],
        "vct__test_conversation_gemini.jsonl": [1, 11, 12, 153_635, 4_293, 48_951],
    ]

    /// Gemini names its files session-*.json(l); the corpus file names carry a source tag.
    static func chatName(_ name: String) -> String { name.contains("session-") ? name : "session-" + name }

    @Test("every session file of the corpus: sessions, messages, tool calls and each token bucket equal the independent figures",
          arguments: expected.keys.sorted())
    func perFile(_ name: String) throws {
        let folder = try TemporaryFolder()
        try folder.copy(Corpus.root.appendingPathComponent("gemini/\(name)"), to: "tmp/hash/chats/\(Self.chatName(name))")
        let store = try AgentLogStore.inMemory()
        let report = try sync(store, folder.path + "/tmp", agent: .gemini)
        #expect(report.rejected.isEmpty, "\(report.rejected.prefix(3))")
        let sessions = try store.sessions(SessionQuery())
        let usage = try store.usageReport(ReportOptions(kind: .model)).totals
        let figures = [sessions.count, sessions.reduce(0) { $0 + $1.messages }, sessions.reduce(0) { $0 + $1.toolCalls },
                       usage.tokens.input, usage.tokens.output, usage.tokens.cacheRead]
        #expect(figures == Self.expected[name])
        #expect(sessions.allSatisfy { $0.agent == "gemini" })
    }

    @Test("a document rewritten with one more message adds exactly that message; an unchanged one adds nothing")
    func rewrittenDocument() throws {
        let name = "acmd__session-2025-10-29T10-36-453aa339.json"
        let original = try Data(contentsOf: Corpus.root.appendingPathComponent("gemini/\(name)"))
        var document = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
        var messages = try #require(document["messages"] as? [[String: Any]])
        let full = messages
        messages.removeLast()
        document["messages"] = messages
        let folder = try TemporaryFolder()
        let path = "tmp/hash/chats/\(Self.chatName(name))"
        try folder.write(path, try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted]))
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path + "/tmp", agent: .gemini)
        #expect(try store.status().messages == full.count - 1)

        document["messages"] = full  // the CLI rewrites the whole file with one more message
        try folder.write(path, try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]))
        let second = try sync(store, folder.path + "/tmp", agent: .gemini)
        #expect(second.newMessages == 1)
        #expect(try store.status().messages == full.count)
        let usage = try store.usageReport(ReportOptions(kind: .model)).totals
        #expect([usage.tokens.input, usage.tokens.output, usage.tokens.cacheRead] == Array(Self.expected[name]![3...]))

        let third = try sync(store, folder.path + "/tmp", agent: .gemini)
        #expect(third.filesRead == 0)
        #expect(third.newRecords == 0)
        // Each version is archived; export gives the latest byte for byte.
        let files = try exported(store, "453aa339-7d2b-4709-a41a-b0b73beaff85")
        #expect(files.values.first == [UInt8](try Data(contentsOf: folder.url.appendingPathComponent(path))))
    }

    @Test("a JSONL log read in two syncs gives the same figures as one read")
    func logInTwoSyncs() throws {
        let name = "vct__test_conversation_gemini.jsonl"
        let bytes = try Data(contentsOf: Corpus.root.appendingPathComponent("gemini/\(name)"))
        let lines = bytes.split(separator: UInt8(ascii: "\n"))
        let head = lines.prefix(12).map { Data($0) + Data("\n".utf8) }.reduce(Data(), +)
        let folder = try TemporaryFolder()
        let path = "tmp/hash/chats/\(Self.chatName(name))"
        try folder.write(path, head)
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, folder.path + "/tmp", agent: .gemini)
        try folder.write(path, bytes)
        let second = try sync(store, folder.path + "/tmp", agent: .gemini)
        #expect(second.rejected.isEmpty)
        let sessions = try store.sessions(SessionQuery())
        let usage = try store.usageReport(ReportOptions(kind: .model)).totals
        #expect([sessions.count, sessions[0].messages, sessions[0].toolCalls, usage.tokens.input, usage.tokens.output,
                 usage.tokens.cacheRead] == Self.expected[name])
    }
}
