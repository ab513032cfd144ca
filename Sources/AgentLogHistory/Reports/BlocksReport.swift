import AgentLogDatabase
import AgentLogIngest
import GRDB

/// A 5-hour usage window, as Claude's plans meter them: it starts at its first response's time
/// floored to the hour (UTC) and lasts 5 hours; the first response after its end starts the
/// next one (so does a gap of more than 5 hours, which always ends past it).
public struct UsageBlock: Sendable, Equatable {
    /// When the block starts: its first response's time floored to the hour, ms since 1970.
    public var start: Int64
    /// When it ends: 5 hours after ``start``.
    public var end: Int64
    /// The first and last responses in it, ms since 1970.
    public var firstActivity: Int64
    /// The last response in it, ms since 1970.
    public var lastActivity: Int64
    /// Tokens summed over its responses.
    public var tokens = TokenCounts()
    /// API responses in it.
    public var responses = 0
    /// Cost of the priced part, in pico-dollars.
    public var costPico: Int64 = 0
    /// The models that answered, in the order they were met.
    public var models: [String] = []
    /// Models without a price (their tokens are counted, their cost is not).
    public var unpricedModels: [String] = []
    /// Whether the block is still open at the report's time.
    public var isActive = false

    /// The block's length: 5 hours, in ms.
    public static let length: Int64 = 5 * 3_600_000
}

/// How fast the active block burns, and where that leads by its end.
public struct BlockProjection: Sendable, Equatable {
    /// Tokens (all four buckets) per minute of activity so far.
    public var tokensPerMinute: Double
    /// Cost per hour of activity so far, in pico-dollars.
    public var costPerHourPico: Int64
    /// Minutes until the block ends.
    public var remainingMinutes: Int
    /// Tokens by the block's end at this rate.
    public var projectedTokens: Int
    /// Cost by the block's end at this rate, in pico-dollars.
    public var projectedCostPico: Int64
}

/// `agentlog report blocks`: every 5-hour block, the active one's burn rate and projection, and
/// how each compares with a token limit.
public struct BlocksReport: Sendable, Equatable {
    /// The blocks, oldest first.
    public var blocks: [UsageBlock]
    /// The active block's rate and projection, when one is open.
    public var projection: BlockProjection?
    /// The token limit blocks are compared with, if one was asked for.
    public var tokenLimit: Int?
    /// The moment the report was made for, ms since 1970.
    public var now: Int64
}

/// What token limit a blocks report compares with.
public enum BlockTokenLimit: Sendable, Equatable {
    /// This many tokens.
    case tokens(Int)
    /// The largest block before the active one (`--token-limit max`).
    case largestPast
}

extension AgentLogStore {
    /// Builds the 5-hour blocks of the usage `filter` covers (one pass over its responses in time
    /// order), priced with `prices`, the one open at `now` marked active and projected.
    public func blocksReport(filter: UsageFilter, prices: PriceTable = .builtIn, tokenLimit: BlockTokenLimit? = nil,
                             now: Int64 = AgentLogStore.now()) throws(StoreError) -> BlocksReport {
        let thresholds = prices.longContextThresholds
        let tier = Self.tierSQL(thresholds)
        var (conditions, arguments) = filter.sql(time: "u.timestamp")
        conditions.append("u.timestamp IS NOT NULL")
        let sql = """
            SELECT u.timestamp, u.model, \(tier), u.input_tokens, u.output_tokens, u.cache_creation_tokens,
                   u.cache_creation_1h_tokens, u.cache_read_tokens
            FROM usage u JOIN sessions s ON s.id = u.session_id LEFT JOIN projects p ON p.id = s.project_id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY u.timestamp
            """
        var blocks: [UsageBlock] = []
        try read { db in
            var current: UsageBlock?
            var groups: [String: UsageGroup] = [:]
            func close() {
                guard var block = current else { return }
                for group in groups.values.sorted(by: { ($0.model, $0.tier) < ($1.model, $1.tier) }) {
                    if let cost = price(group, prices: prices, thresholds: thresholds) {
                        block.costPico += cost
                    } else if !block.unpricedModels.contains(group.model) {
                        block.unpricedModels.append(group.model)
                    }
                }
                blocks.append(block)
                groups.removeAll(keepingCapacity: true)
            }
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
            while let row = try rows.next() {
                let time: Int64 = row[0], model: String = row[1], tier: Int = row[2]
                let tokens = TokenCounts(input: row[3], output: row[4], cacheCreation: row[5], cacheCreation1h: row[6], cacheRead: row[7])
                if current == nil || time >= current!.end {
                    close()
                    let start = time - ((time % 3_600_000) + 3_600_000) % 3_600_000
                    current = UsageBlock(start: start, end: start + UsageBlock.length, firstActivity: time, lastActivity: time)
                }
                current!.lastActivity = time
                current!.tokens += tokens
                current!.responses += 1
                if !current!.models.contains(model) { current!.models.append(model) }
                let key = "\(tier)\u{0}\(model)"
                var group = groups[key] ?? UsageGroup(slot: 0, key: "", agent: "", model: model, tier: tier, tokens: TokenCounts(), responses: 0)
                group.tokens += tokens
                group.responses += 1
                groups[key] = group
            }
            close()
        }
        var projection: BlockProjection?
        if let last = blocks.indices.last, now >= blocks[last].start, now < blocks[last].end {
            blocks[last].isActive = true
            let block = blocks[last]
            let minutes = max(1, Double(block.lastActivity - block.firstActivity) / 60_000)
            let remaining = Int((block.end - now) / 60_000)
            let perMinute = Double(block.tokens.total) / minutes
            let costPerMinute = Double(block.costPico) / minutes
            projection = BlockProjection(tokensPerMinute: perMinute, costPerHourPico: Self.clamped(costPerMinute * 60),
                                         remainingMinutes: remaining,
                                         projectedTokens: Int(Self.clamped(Double(block.tokens.total) + perMinute * Double(remaining))),
                                         projectedCostPico: Self.clamped(Double(block.costPico) + costPerMinute * Double(remaining)))
        }
        let limit: Int?
        switch tokenLimit {
        case .tokens(let count): limit = count
        case .largestPast: limit = blocks.filter { !$0.isActive }.map(\.tokens.total).max()
        case nil: limit = nil
        }
        return BlocksReport(blocks: blocks, projection: projection, tokenLimit: limit, now: now)
    }

    /// `value` as a whole number, held within Int64's range (a history with absurd counts must
    /// not stop the report).
    static func clamped(_ value: Double) -> Int64 {
        guard value.isFinite else { return value > 0 ? .max : 0 }
        return Int64(min(max(value, -9.0e18), 9.0e18))
    }
}
