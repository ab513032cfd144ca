import AgentLogDatabase
import AgentLogIngest
import AgentLogJSON
import GRDB

/// One subagent type's share of the usage: how often it was spawned and what it cost.
public struct SubagentTypeRow: Sendable, Equatable {
    /// The type: the meta file's `agentType`, else the spawning Task call's `subagent_type`, else
    /// `unknown`.
    public var type: String
    /// Subagents of this type that used tokens in the range.
    public var spawns = 0
    /// Tokens summed over their responses.
    public var tokens = TokenCounts()
    /// Their API responses.
    public var responses = 0
    /// Cost of the priced part, in pico-dollars.
    public var costPico: Int64 = 0
    /// Models without a price.
    public var unpricedModels: [String] = []

    /// The average cost of one spawn, in pico-dollars.
    public var costPerSpawnPico: Int64 { spawns == 0 ? 0 : costPico / Int64(spawns) }
}

/// `agentlog report subagent`: usage of subagents by type, costliest first.
public struct SubagentReport: Sendable, Equatable, SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.subagents.v1"
    /// One row per type.
    public var rows: [SubagentTypeRow]

    /// Rows with spawns, tokens by bucket, cost and the average cost per spawn.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([("rows", .array(rows.map { row in
            .object([
                ("type", .string(row.type)), ("spawns", .int(row.spawns)),
                ("inputTokens", .int(row.tokens.input)), ("outputTokens", .int(row.tokens.output)),
                ("cacheCreationTokens", .int(row.tokens.cacheCreation)), ("cacheReadTokens", .int(row.tokens.cacheRead)),
                ("totalTokens", .int(row.tokens.total)), ("responses", .int(row.responses)),
                ("costUSD", .cost(pico: row.costPico, fullyPriced: row.unpricedModels.isEmpty)),
                ("costPerSpawnUSD", .cost(pico: row.costPerSpawnPico, fullyPriced: row.unpricedModels.isEmpty)),
                ("costComplete", .bool(row.unpricedModels.isEmpty)),
            ])
        }))]).encode(to: encoder)
    }
}

extension AgentLogStore {
    /// The usage `filter` covers that subagents made, by subagent type, priced with `prices`.
    public func subagentReport(filter: UsageFilter, prices: PriceTable = .builtIn) throws(StoreError) -> SubagentReport {
        let thresholds = prices.longContextThresholds
        let tier = Self.tierSQL(thresholds)
        let (conditions, arguments) = filter.sql(time: "COALESCE(u.timestamp, 0)")
        let source = """
            FROM usage u JOIN sessions s ON s.id = u.session_id LEFT JOIN projects p ON p.id = s.project_id
            JOIN subagents a ON a.session_id = u.session_id AND a.agent_id = u.agent_id
            LEFT JOIN tool_calls t ON t.session_id = a.session_id AND t.tool_use_id = a.parent_tool_use_id
            WHERE u.agent_id IS NOT NULL AND u.agent_id != '' \(conditions.map { "AND " + $0 }.joined(separator: " "))
            """
        let type = "COALESCE(a.agent_type, t.subagent_type, 'unknown')"
        var rows: [String: SubagentTypeRow] = [:]
        try read { db in
            let groups = try Row.fetchCursor(db, sql: """
                SELECT \(type), u.model, \(tier), SUM(u.input_tokens), SUM(u.output_tokens), SUM(u.cache_creation_tokens),
                       SUM(u.cache_creation_1h_tokens), SUM(u.cache_read_tokens), COUNT(*)
                \(source) GROUP BY 1, 2, 3
                """, arguments: StatementArguments(arguments))
            while let group = try groups.next() {
                let name: String = group[0]
                let usage = UsageGroup(slot: 0, key: name, agent: "", model: group[1], tier: group[2],
                                       tokens: TokenCounts(input: group[3], output: group[4], cacheCreation: group[5],
                                                           cacheCreation1h: group[6], cacheRead: group[7]), responses: group[8])
                var row = rows[name] ?? SubagentTypeRow(type: name)
                row.tokens += usage.tokens
                row.responses += usage.responses
                if let cost = price(usage, prices: prices, thresholds: thresholds) {
                    row.costPico += cost
                } else if !row.unpricedModels.contains(usage.model) {
                    row.unpricedModels.append(usage.model)
                }
                rows[name] = row
            }
            let spawns = try Row.fetchCursor(db, sql: "SELECT \(type), COUNT(DISTINCT a.id) \(source) GROUP BY 1",
                                             arguments: StatementArguments(arguments))
            while let spawn = try spawns.next() { rows[spawn[0], default: SubagentTypeRow(type: spawn[0])].spawns = spawn[1] }
        }
        return SubagentReport(rows: rows.values.sorted { ($0.costPico, $0.tokens.total, $1.type) > ($1.costPico, $1.tokens.total, $0.type) })
    }
}
