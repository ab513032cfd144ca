import AgentLogIngest
import AgentLogDatabase
import AgentLogHistory
import AgentLogTestSupport
import Foundation
import Testing

/// `agentlog sessions --tool --file --errors-only --min-cost --max-cost`, checked on the corpus
/// against what each session's own tool calls, files and cost say.
@Suite("Listing sessions by what they did")
struct SessionCriteriaTests {
    let store: AgentLogStore
    let all: [SessionSummary]

    init() throws {
        store = try AgentLogStore.inMemory()
        _ = try sync(store, Corpus.claude.path)
        _ = try sync(store, Corpus.root.appendingPathComponent("codex").path, agent: .codex)
        all = try store.sessions(SessionQuery())
    }

    private func ids(_ change: (inout SessionCriteria) -> Void) throws -> Set<String> {
        var criteria = SessionCriteria()
        change(&criteria)
        return Set(try store.sessions(SessionQuery(criteria: criteria)).map(\.sessionId))
    }

    @Test("--tool lists exactly the sessions that called the tool, in any case")
    func byTool() throws {
        for tool in ["Bash", "Edit", "shell", "Read"] {
            let expected = Set(try all.filter { try store.toolCalls(of: $0.reference).contains { $0.name == tool } }.map(\.sessionId))
            #expect(!expected.isEmpty, "the corpus has \(tool) calls")
            #expect(try ids { $0.tool = tool } == expected)
            #expect(try ids { $0.tool = tool.uppercased() } == expected)
        }
        #expect(try ids { $0.tool = "NoSuchTool" }.isEmpty)
    }

    @Test("--file is a prefix match on the paths touched, with % and _ taken literally")
    func byFile() throws {
        let touches = try all.map { ($0.sessionId, try store.filesTouched(by: $0.reference).map(\.path)) }
        let somePath = try #require(touches.flatMap(\.1).first)
        let folder = (somePath as NSString).deletingLastPathComponent + "/"
        let expected = Set(touches.filter { $0.1.contains { $0.hasPrefix(folder) } }.map(\.0))
        #expect(!expected.isEmpty)
        #expect(try ids { $0.file = folder } == expected)
        #expect(try ids { $0.file = somePath } == Set(touches.filter { $0.1.contains { $0.hasPrefix(somePath) } }.map(\.0)))
        #expect(try ids { $0.file = "%" }.isEmpty)
        #expect(try ids { $0.file = String(folder.dropLast(2)) + "_" }.isEmpty || folder.count < 3)
    }

    @Test("--errors-only keeps every session with a failed tool call")
    func withErrors() throws {
        let failing = Set(try all.filter { try store.toolCalls(of: $0.reference).contains { $0.isError == true } }.map(\.sessionId))
        let listed = try ids { $0.hadErrors = true }
        #expect(!failing.isEmpty)
        #expect(failing.isSubset(of: listed))
        #expect(listed.count < all.count)
    }

    @Test("--min-cost and --max-cost bound the cost inclusively, and --limit applies after them")
    func byCost() throws {
        let costs = all.map(\.costMicros).sorted()
        let middle = costs[costs.count / 2]
        let low = Set(all.filter { $0.costMicros <= middle }.map(\.sessionId))
        let high = Set(all.filter { $0.costMicros >= middle }.map(\.sessionId))
        #expect(try ids { $0.maxCostMicros = middle } == low)
        #expect(try ids { $0.minCostMicros = middle } == high)
        #expect(try ids { $0.minCostMicros = middle; $0.maxCostMicros = middle } == low.intersection(high))
        var criteria = SessionCriteria()
        criteria.minCostMicros = 1
        let limited = try store.sessions(SessionQuery(criteria: criteria, limit: 2))
        #expect(limited.count == 2)
        #expect(limited.allSatisfy { $0.costMicros >= 1 })
        #expect(limited.map(\.sessionId) == Array(all.filter { $0.costMicros >= 1 }.prefix(2).map(\.sessionId)))
    }
}
