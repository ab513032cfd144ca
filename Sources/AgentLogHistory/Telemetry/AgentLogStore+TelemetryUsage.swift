import AgentLogDatabase
import AgentLogIngest
import GRDB

/// Where a report's numbers come from.
public enum UsageSource: String, Sendable, CaseIterable, Codable {
    /// Claude Code's telemetry for every call it reported (matched to the transcript by request
    /// id, so the call stays in its session and time), the transcripts for the rest.
    case best
    /// The transcripts only.
    case transcript
    /// Telemetry only: calls no telemetry reported are left out.
    case telemetry
}

/// A usage group summed from telemetry, with the cost Claude Code reported for it.
struct TelemetryUsageGroup {
    /// Tokens and calls, grouped as transcript usage is.
    var group: UsageGroup
    /// The summed `cost_usd` in pico-dollars; nil when the calls came without a cost (then the
    /// price table prices their tokens).
    var reportedCostPico: Int64?
}

extension AgentLogStore {
    /// `t`: each telemetry call with the session row and time it is counted at (its transcript
    /// usage row's, found by request id, else its own session id's and time) and, as `m_…`, the
    /// matched transcript row's tokens (null when no transcript has the call).
    static let telemetryCallsCTE = """
        WITH t AS (
            SELECT r.model, r.input_tokens, r.output_tokens, r.cache_creation_tokens, r.cache_read_tokens, r.cost_pico,
                   MIN(COALESCE(m.cache_creation_1h_tokens, 0), r.cache_creation_tokens) AS cache_creation_1h_tokens,
                   COALESCE(m.timestamp, r.timestamp) AS timestamp,
                   COALESCE(m.session_id, (SELECT id FROM sessions WHERE agent = 'claude' AND session_id = r.session_id)) AS session_row,
                   m.id AS m_id, m.input_tokens AS m_input, m.output_tokens AS m_output, m.cache_creation_tokens AS m_cache_creation,
                   m.cache_creation_1h_tokens AS m_cache_creation_1h, m.cache_read_tokens AS m_cache_read
            FROM telemetry_requests r
            LEFT JOIN usage m ON m.id = (SELECT id FROM usage WHERE request_id = r.request_id AND request_id <> '' ORDER BY id LIMIT 1)
        )
        """

    /// Telemetry's calls grouped like ``usageGroups(_:filter:thresholds:)``. A call whose
    /// request id is in a transcript takes that usage row's session and time; any other call is
    /// placed by its own session id (when a transcript has that session) and time.
    func telemetryUsageGroups(_ grouping: UsageGrouping, filter: UsageFilter, thresholds: [Int]) throws(StoreError) -> [TelemetryUsageGroup] {
        let time = "COALESCE(u.timestamp, 0)"
        let agent = "COALESCE(s.agent, 'claude')"
        let key = Self.groupKeySQL(grouping, time: time, agent: agent)
        let (conditions, arguments) = filter.sql(time: time, agent: agent)
        let sql = """
            \(Self.telemetryCallsCTE)
            SELECT \(key) AS k, \(agent), u.model, \(Self.tierSQL(thresholds)) AS tier,
                   SUM(u.input_tokens), SUM(u.output_tokens), SUM(u.cache_creation_tokens),
                   SUM(u.cache_creation_1h_tokens), SUM(u.cache_read_tokens), COUNT(*),
                   SUM(u.cost_pico), u.cost_pico IS NOT NULL AS reported
            FROM t u LEFT JOIN sessions s ON s.id = u.session_row
            LEFT JOIN projects p ON p.id = s.project_id
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            GROUP BY k, 2, u.model, tier, reported
            """
        return try read { db in
            var groups: [TelemetryUsageGroup] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
            while let row = try rows.next() {
                let tokens = TokenCounts(input: row[4], output: row[5], cacheCreation: row[6], cacheCreation1h: row[7], cacheRead: row[8])
                let group = UsageGroup(slot: grouping == .timeSlot ? row[0] : 0,
                                       key: grouping == .timeSlot ? "" : (row[0] as DatabaseValue).plainText,
                                       agent: row[1], model: row[2], tier: row[3], tokens: tokens, responses: row[9])
                let reported: Bool = row[11]
                groups.append(TelemetryUsageGroup(group: group, reportedCostPico: reported ? row[10] : nil))
            }
            return groups
        }
    }

    /// The transcript usage rows that telemetry reported too (same request id), grouped like
    /// ``usageGroups(_:filter:thresholds:)``: what `best` takes out before adding telemetry's.
    func transcriptGroupsReportedByTelemetry(_ grouping: UsageGrouping, filter: UsageFilter, thresholds: [Int]) throws(StoreError) -> [UsageGroup] {
        let time = "COALESCE(u.timestamp, 0)"
        var (conditions, arguments) = filter.sql(time: time)
        conditions += ["r.request_id <> ''", "u.request_id <> ''"]
        // Driven from telemetry's rows (few) into usage by its request-id index.
        let sql = """
            SELECT \(Self.groupKeySQL(grouping, time: time)) AS k, s.agent, u.model, \(Self.tierSQL(thresholds)) AS tier,
                   SUM(u.input_tokens), SUM(u.output_tokens), SUM(u.cache_creation_tokens),
                   SUM(u.cache_creation_1h_tokens), SUM(u.cache_read_tokens), COUNT(*)
            FROM telemetry_requests r CROSS JOIN usage u ON u.request_id = r.request_id
            JOIN sessions s ON s.id = u.session_id
            LEFT JOIN projects p ON p.id = s.project_id
            WHERE \(conditions.joined(separator: " AND "))
            GROUP BY k, s.agent, u.model, tier
            """
        return try fetchGroups(sql, arguments, grouping)
    }

    /// The groups a report sums, each with its cost in pico-dollars (nil: the model has no
    /// price) and whether it takes transcript numbers out (`best` replacing them); and the source
    /// in effect (`best` without any telemetry is `transcript`).
    func sourcedGroups(_ grouping: UsageGrouping, options: ReportOptions) throws(StoreError)
        -> (groups: [(group: UsageGroup, costPico: Int64?, removes: Bool)], source: UsageSource) {
        let thresholds = options.prices.longContextThresholds
        let priced = { (group: UsageGroup) in self.price(group, prices: options.prices, thresholds: thresholds) }
        let useTelemetry = options.source == .transcript ? false : try hasTelemetry()
        var result: [(group: UsageGroup, costPico: Int64?, removes: Bool)] = []
        if options.source != .telemetry {
            for group in try usageGroups(grouping, filter: options.filter, thresholds: thresholds) {
                result.append((group, priced(group), false))
            }
        }
        guard useTelemetry else { return (result, options.source == .best ? .transcript : options.source) }
        if options.source == .best {
            for var group in try transcriptGroupsReportedByTelemetry(grouping, filter: options.filter, thresholds: thresholds) {
                let cost = priced(group).map { -$0 }
                group.tokens = TokenCounts(input: -group.tokens.input, output: -group.tokens.output, cacheCreation: -group.tokens.cacheCreation,
                                           cacheCreation1h: -group.tokens.cacheCreation1h, cacheRead: -group.tokens.cacheRead)
                group.responses = -group.responses
                result.append((group, cost, true))
            }
        }
        for telemetry in try telemetryUsageGroups(grouping, filter: options.filter, thresholds: thresholds) {
            result.append((telemetry.group, telemetry.reportedCostPico ?? priced(telemetry.group), false))
        }
        return (result, options.source)
    }
}
