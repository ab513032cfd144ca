import AgentLogDatabase
import AgentLogIngest
import AgentLogJSON
import AgentLogSQLite
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogHistory

@Suite("5-hour blocks")
struct BlocksTests {
    /// One response as the test reads it back from the file, without the store's code.
    struct Response { var time: Int64; var tokens: [Int] }

    /// A block as this test computes it: first and last response, token sums by bucket, count.
    struct Expected: Equatable { var start: Int64; var first: Int64; var last: Int64; var tokens: [Int]; var responses: Int }

    /// Blocks by the rule, computed from the usage rows read through the plain SQLite layer.
    private func independentBlocks(_ path: String) throws -> [Expected] {
        let db = try SQLiteConnection(path: path, busyMilliseconds: 1_000)
        let statement = try db.statement("""
            SELECT timestamp, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens FROM usage
            WHERE timestamp IS NOT NULL ORDER BY timestamp
            """)
        var responses: [Response] = []
        while try statement.step() {
            responses.append(Response(time: statement.int64(0)!, tokens: (1...4).map { statement.int(Int32($0)) ?? 0 }))
        }
        var blocks: [Expected] = []
        for response in responses {
            let hour = response.time / 3_600_000 * 3_600_000
            if let last = blocks.last, response.time < last.start + 5 * 3_600_000 {
                blocks[blocks.count - 1].last = response.time
                blocks[blocks.count - 1].tokens = zip(last.tokens, response.tokens).map { $0 + $1 }
                blocks[blocks.count - 1].responses += 1
            } else {
                blocks.append(Expected(start: hour, first: response.time, last: response.time, tokens: response.tokens, responses: 1))
            }
        }
        return blocks
    }

    @Test("blocks over a scaled history equal a computation written here, and hold every token of it")
    func scaledHistory() throws {
        let folder = try TemporaryFolder()
        let tree = try scaledTree(in: folder, seed: 5)
        let path = folder.path + "/agentlog.db"
        let store = try AgentLogStore.open(at: path)
        _ = try sync(store, tree)
        let report = try store.blocksReport(filter: UsageFilter(), now: 4_000_000_000_000)
        let got = report.blocks.map {
            Expected(start: $0.start, first: $0.firstActivity, last: $0.lastActivity,
                     tokens: [$0.tokens.input, $0.tokens.output, $0.tokens.cacheCreation, $0.tokens.cacheRead], responses: $0.responses)
        }
        let expected = try independentBlocks(path)
        #expect(got.count > 10)
        #expect(got == expected)
        #expect(report.projection == nil && report.blocks.allSatisfy { !$0.isActive && $0.end == $0.start + UsageBlock.length })
        // Every token of the tree is in some block (scale-corpus.py's exact totals).
        let totals = try ExpectedTotals.of(tree: URL(fileURLWithPath: tree))
        #expect(report.blocks.reduce(0) { $0 + $1.tokens.output } == totals.output)
        #expect(report.blocks.reduce(0) { $0 + $1.tokens.input } == totals.input)
        #expect(report.blocks.reduce(0) { $0 + $1.responses } == totals.responses)
    }

    @Test("the open block is active, burns at its rate and is projected to its end; max is the largest past block")
    func activeBlock() throws {
        let store = try AgentLogStore.inMemory()
        _ = try sync(store, Corpus.claude.appendingPathComponent("acmd__fixtures").path)
        let all = try store.blocksReport(filter: UsageFilter())
        let last = try #require(all.blocks.last)
        let now = last.lastActivity + 10 * 60_000
        let report = try store.blocksReport(filter: UsageFilter(), tokenLimit: .largestPast, now: now)
        let active = try #require(report.blocks.last)
        #expect(active.isActive && report.blocks.dropLast().allSatisfy { !$0.isActive })
        let projection = try #require(report.projection)
        let minutes = max(1, Double(active.lastActivity - active.firstActivity) / 60_000)
        #expect(projection.remainingMinutes == Int((active.end - now) / 60_000))
        #expect(abs(projection.tokensPerMinute - Double(active.tokens.total) / minutes) < 0.001)
        #expect(projection.projectedTokens >= active.tokens.total)
        #expect(report.tokenLimit == report.blocks.dropLast().map(\.tokens.total).max())
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONOutput.document(report).text().utf8)) as? [String: Any])
        #expect(json["schema"] as? String == "agentlog.blocks.v1")
        #expect((json["blocks"] as? [[String: Any]])?.last?["active"] as? Bool == true)
        #expect((json["projection"] as? [String: Any])?["projectedLimitPercent"] is NSNumber)
        // Past its end, no block is active.
        #expect(try store.blocksReport(filter: UsageFilter(), now: active.end).projection == nil)
    }

    @Test("percentages of the limit have one decimal, and absurd counts are held in range instead of stopping the report")
    func percentages() {
        #expect(BlocksReport.percent(1, of: 3) == "33.3" && BlocksReport.percent(2, of: 3) == "66.7" && BlocksReport.percent(5, of: 0) == "0")
        #expect(BlocksReport.percent(Int.max, of: 1).hasPrefix("9"))
        #expect(AgentLogStore.clamped(.infinity) == .max && AgentLogStore.clamped(.nan) == 0 && AgentLogStore.clamped(1e30) == 9_000_000_000_000_000_000)
    }
}
