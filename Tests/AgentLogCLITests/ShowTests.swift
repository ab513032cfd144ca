import AgentLogJSON
import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import AgentLogSync
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

/// The whole corpus (Claude Code, Codex CLI, Gemini CLI) in one store.
func corpusStore() throws -> AgentLogStore {
    let store = try AgentLogStore.inMemory()
    // Gemini keeps chats under tmp/<project hash>/chats/session-*.json(l).
    let gemini = try TemporaryFolder()
    for name in try FileManager.default.contentsOfDirectory(atPath: Corpus.root.appendingPathComponent("gemini").path) {
        try gemini.copy(Corpus.root.appendingPathComponent("gemini/\(name)"),
                        to: "tmp/hash/chats/" + (name.contains("session-") ? name : "session-" + name))
    }
    _ = try SyncEngine(store: store).sync(roots: [
        SyncRoot(path: Corpus.claude.path, agent: .claude, isExplicit: true),
        SyncRoot(path: Corpus.root.appendingPathComponent("codex").path, agent: .codex, isExplicit: true),
        SyncRoot(path: gemini.path + "/tmp", agent: .gemini, isExplicit: true),
    ])
    return store
}

@Suite("agentlog show")
struct ShowTests {
    /// Lines that are a tool call in the text format: `⚙` after indentation and subagent bars.
    static func textToolLines(_ text: String) -> Int {
        text.split(separator: "\n").filter { line in
            line.drop { $0 == " " || $0 == "┃" }.hasPrefix("⚙ ")
        }.count
    }

    static func markdownToolLines(_ text: String) -> Int {
        text.split(separator: "\n").filter { line in
            line.drop { $0 == " " || $0 == ">" }.hasPrefix("**⚙ ")
        }.count
    }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// Tool call ids in a rendered `agentlog.session.v1` value, nested ones included.
    static func toolCallIds(in value: Any) -> [String] {
        if let object = value as? [String: Any] {
            let own = object["type"] as? String == "tool_call" ? [object["id"] as? String ?? "?"] : []
            return own + object.values.flatMap(toolCallIds)
        }
        if let array = value as? [Any] { return array.flatMap(toolCallIds) }
        return []
    }

    @Test("every corpus session renders in every format, showing every tool call of its source files")
    func everySessionEveryFormat() throws {
        let store = try corpusStore()
        let source = try SourceToolCalls.inCorpus()
        let sessions = try store.sessions(SessionQuery())
        #expect(sessions.count == 46)  // 32 Claude Code, 9 Codex CLI, 5 Gemini CLI
        var shown = 0
        for session in sessions {
            let transcript = try store.transcript(of: session.reference)
            let expected = source[session.sessionId] ?? []
            let facts = TranscriptFacts(transcript: transcript, zone: TimeZone(identifier: "UTC")!)

            let json = try JSONOutput.document(transcript).text()
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            #expect(parsed?["schema"] as? String == "agentlog.session.v1")
            let ids = Self.toolCallIds(in: parsed?["turns"] as Any)
            #expect(ids.count == expected.count, "\(session.sessionId): JSON shows \(ids.count) calls, source has \(expected.count)")
            // Codex web searches have no call id: agentlog names them by their place in the file.
            let named = { (ids: Set<String>) in ids.filter { !$0.hasPrefix("web_search_call-") } }
            #expect(named(Set(ids)) == named(expected),
                    "\(session.sessionId): shown but not in source \(named(Set(ids)).subtracting(expected).sorted()), missing \(named(expected).subtracting(ids).sorted())")
            #expect(transcript.main.toolCallCount == expected.count)

            let text = TranscriptText(facts: facts, style: TextStyle(enabled: false)).render()
            #expect(Self.textToolLines(text) == expected.count, "\(session.sessionId) text")
            let markdown = TranscriptMarkdown(facts: facts).render()
            #expect(Self.markdownToolLines(markdown) == expected.count, "\(session.sessionId) markdown")
            let html = TranscriptHTML(facts: facts).render()
            #expect(Self.occurrences(of: "<details class=\"tool", in: html) == expected.count, "\(session.sessionId) html")
            #expect(Self.occurrences(of: "<details", in: html) == Self.occurrences(of: "</details>", in: html))
            #expect(html.hasSuffix("</html>\n"))
            shown += ids.count

            // The running totals end at the session's totals.
            let last = try #require(transcript.turns().last)
            #expect(last.cumulativeTokens == session.tokens)
            if session.unpricedModels.isEmpty { #expect(last.cumulativeCostPico == session.costPico) }
        }
        #expect(shown == source.values.reduce(0) { $0 + $1.count })
        #expect(shown > 1_500)
    }

    @Test("compaction boundaries and their summaries are shown where they happened")
    func compactions() throws {
        let store = try corpusStore()
        let session = try store.resolveSession("f32d2764")
        let transcript = try store.transcript(of: session)
        let entries = transcript.main.entries
        let boundaries = entries.indices.filter { if case .compaction = entries[$0] { true } else { false } }
        #expect(boundaries.count == 2)
        for index in boundaries {
            guard case .message(let next) = entries[index + 1] else { Issue.record("nothing after a boundary"); continue }
            #expect(next.kind == .compactSummary)
        }
        let text = TranscriptText(facts: TranscriptFacts(transcript: transcript, zone: .current), style: TextStyle(enabled: false)).render()
        #expect(Self.occurrences(of: "═══ Context compacted (manual", in: text) == 2)
    }

    @Test("subagent work is nested under the call that spawned it")
    func subagentsNested() throws {
        let store = try corpusStore()
        let transcript = try store.transcript(of: store.resolveSession("29ccd257"))
        let spawned = transcript.main.entries.compactMap { entry -> TranscriptThread? in
            if case .toolCall(let call, let subagent) = entry, call.name == "Task" { return subagent }
            return nil
        }
        #expect(spawned.count == 1)
        #expect(spawned.first?.agentType == "Explore")
        #expect((spawned.first?.toolCallCount ?? 0) > 10)
        #expect(spawned.first?.entries.contains { if case .message(let m) = $0 { m.model?.contains("haiku") == true } else { false } } == true)
    }

    @Test("replay's next error skips turns without one; moves past either end are refused")
    func replayNavigation() throws {
        let store = try corpusStore()
        let turns = try store.transcript(of: store.resolveSession("f32d2764")).turns()
        var navigator = ReplayNavigator(turns: turns)
        #expect(navigator.apply(.previous) == "This is the first turn.")
        var visited: [Int] = []
        while navigator.apply(.nextError) == nil { visited.append(navigator.current.index) }
        #expect(visited == turns.filter(\.hasError).map(\.index).filter { $0 > turns[0].index })
        #expect(!visited.isEmpty)
        #expect(navigator.apply(.last) == nil && navigator.apply(.next) == "This is the last turn.")
        #expect(navigator.apply(.jump(4)) == nil && navigator.current.index == 4)
        #expect(ReplayNavigator.command("12") == .jump(12))
        #expect(ReplayNavigator.command("") == .next)
        #expect(ReplayNavigator.command("E") == .previousError)
        #expect(ReplayNavigator.command("bogus") == nil)
        // Running totals never go down, and end at the session's.
        let running = turns.map(\.cumulativeTokens.total)
        #expect(running == running.sorted())
    }
}
