import AgentLogDatabase
import AgentLogIngest
import AgentLogSQLite
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogHistory

@Suite("Usage by subagent type")
struct SubagentReportTests {
    @Test("every subagent token is under one type, and spawns count the subagents that used tokens")
    func byType() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/agentlog.db"
        let store = try AgentLogStore.open(at: path)
        _ = try sync(store, Corpus.claude.path)
        let report = try store.subagentReport(filter: UsageFilter())
        #expect(!report.rows.isEmpty)
        #expect(report.rows.contains { $0.type != "unknown" }, "the corpus has typed subagents (2.1.x meta files)")

        // The same sums straight from the tables, through the plain SQLite layer.
        let db = try SQLiteConnection(path: path, busyMilliseconds: 1_000)
        let statement = try db.statement("""
            SELECT COALESCE(SUM(u.output_tokens), 0), COUNT(*), COUNT(DISTINCT a.id) FROM usage u
            JOIN subagents a ON a.session_id = u.session_id AND a.agent_id = u.agent_id
            """)
        #expect(try statement.step())
        #expect(report.rows.reduce(0) { $0 + $1.tokens.output } == statement.int(0))
        #expect(report.rows.reduce(0) { $0 + $1.responses } == statement.int(1))
        #expect(report.rows.reduce(0) { $0 + $1.spawns } == statement.int(2))
        #expect(report.rows.allSatisfy { $0.spawns > 0 && $0.costPerSpawnPico * Int64($0.spawns) <= $0.costPico })
        let costs = report.rows.map(\.costPico)
        #expect(costs == costs.sorted(by: >))
    }
}
