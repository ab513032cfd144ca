import AgentLogDatabase
import AgentLogIngest
import GRDB

/// Where a report's numbers come from.
public enum UsageSource: String, Sendable, CaseIterable, Codable {
    /// Claude Code's telemetry for every call it reported (matched to the transcript by request
    /// id, so the call stays in its session and time), the transcripts for the rest; a call only
    /// telemetry has is added when it has a request id and its session's transcript rows all do.
    case best
    /// The transcripts only.
    case transcript
    /// Telemetry only: calls no telemetry reported are left out.
    case telemetry
}

extension AgentLogStore {
    /// A day: how far a call's transcript time may be from its telemetry time and still be found
    /// by a time-bounded report (both sides are cut at the same bounds with this slack, so that
    /// the telemetry index bounds the scan).
    static let telemetrySlack: Int64 = 86_400_000

    /// `t`: each telemetry call in `filter`'s time range (with ``telemetrySlack``) with the
    /// session row and time it is counted at (its transcript usage row's, linked by request id,
    /// else its own session id's and time) and, as `m_…`, the linked transcript row (null when
    /// no transcript has the call).
    static func telemetryCallsCTE(_ filter: UsageFilter) -> (sql: String, arguments: [any DatabaseValueConvertible]) {
        let (conditions, arguments) = telemetryTimeConditions(filter)
        let sql = """
            WITH t AS (
                SELECT r.model, r.input_tokens, r.output_tokens, r.cache_creation_tokens, r.cache_read_tokens, r.cost_pico,
                       r.request_id, r.session_id AS telemetry_session,
                       MIN(COALESCE(m.cache_creation_1h_tokens, 0), r.cache_creation_tokens) AS cache_creation_1h_tokens,
                       COALESCE(m.timestamp, r.timestamp) AS timestamp,
                       CASE WHEN m.id IS NOT NULL THEN m.session_id
                            ELSE (SELECT id FROM sessions WHERE agent = 'claude' AND session_id = r.session_id) END AS session_row,
                       m.id AS m_id, m.model AS m_model, m.input_tokens AS m_input, m.output_tokens AS m_output,
                       m.cache_creation_tokens AS m_cache_creation, m.cache_creation_1h_tokens AS m_cache_creation_1h,
                       m.cache_read_tokens AS m_cache_read
                FROM telemetry_requests r LEFT JOIN usage m ON m.id = r.usage_id
                \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            )
            """
        return (sql, arguments)
    }

    /// Bounds on `r.timestamp` (a telemetry row's own time) from `filter`'s, widened by a day.
    private static func telemetryTimeConditions(_ filter: UsageFilter) -> ([String], [any DatabaseValueConvertible]) {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let since = filter.since {
            conditions.append("r.timestamp >= ?")
            arguments.append(since.subtractingReportingOverflow(telemetrySlack).partialValue)
        }
        if let until = filter.until {
            conditions.append("r.timestamp < ?")
            let (bound, overflow) = until.addingReportingOverflow(telemetrySlack)
            arguments.append(overflow ? Int64.max : bound)
        }
        return (conditions, arguments)
    }

    /// Telemetry's calls grouped like ``usageGroups(_:filter:thresholds:)``, in one pass that
    /// also sums the linked transcript rows (the columns after the tenth: Claude Code's summed
    /// cost, whether the calls came with one, and the transcript rows' model, tier, five token
    /// sums and count). For `best`, only calls a transcript has, or calls with a request id in a
    /// session whose transcript rows all have theirs (a call with no id, or in a session with
    /// id-less rows, may be in the transcript already, so it is not added twice).
    static func telemetryUsageQuery(_ grouping: UsageGrouping, filter: UsageFilter, thresholds: [Int], source: UsageSource) -> UsageGroupQuery {
        let time = "COALESCE(u.timestamp, 0)"
        // Telemetry is Claude Code's; a call in no transcript session is its own session row,
        // named by its session id. Sessions and projects are joined only where a grouping or a
        // filter needs them (each join is a lookup per call).
        let agent = "'claude'"
        let key = grouping == .session ? "COALESCE(u.session_row, u.telemetry_session)" : groupKeySQL(grouping, time: time, agent: agent)
        let needsProject = grouping == .project || filter.project != nil
        let needsSession = needsProject || filter.sessionRowIds != nil
        var (conditions, arguments) = filter.sql(time: time, agent: agent)
        if source == .best {
            conditions.append("""
                (u.m_id IS NOT NULL OR (u.request_id <> '' AND NOT EXISTS \
                (SELECT 1 FROM usage x WHERE x.session_id = u.session_row AND x.request_id = '')))
                """)
        }
        let matchedPrompt = "(COALESCE(u.m_input, 0) + COALESCE(u.m_cache_creation, 0) + COALESCE(u.m_cache_read, 0))"
        let matchedTier = thresholds.isEmpty ? "0" : thresholds.map { "(\(matchedPrompt) > \($0))" }.joined(separator: " + ")
        let cte = telemetryCallsCTE(filter)
        let sql = """
            \(cte.sql)
            SELECT \(key) AS k, \(agent), u.model, \(tierSQL(thresholds)) AS tier,
                   SUM(u.input_tokens), SUM(u.output_tokens), SUM(u.cache_creation_tokens),
                   SUM(u.cache_creation_1h_tokens), SUM(u.cache_read_tokens), COUNT(*),
                   TOTAL(u.cost_pico), u.cost_pico IS NOT NULL AS reported, COALESCE(u.m_model, '') AS m_model, \(matchedTier) AS m_tier,
                   SUM(COALESCE(u.m_input, 0)), SUM(COALESCE(u.m_output, 0)), SUM(COALESCE(u.m_cache_creation, 0)),
                   SUM(COALESCE(u.m_cache_creation_1h, 0)), SUM(COALESCE(u.m_cache_read, 0)), COUNT(u.m_id)
            FROM t u\(needsSession ? " LEFT JOIN sessions s ON s.id = u.session_row" : "")\(needsProject ? " LEFT JOIN projects p ON p.id = s.project_id" : "")
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            GROUP BY k, u.model, tier, reported, m_model, m_tier
            """
        return UsageGroupQuery(sql: sql, arguments: cte.arguments + arguments, grouping: grouping)
    }

    /// Whether `db` holds any telemetry.
    static func hasTelemetry(_ db: Database) throws -> Bool {
        try db.tableExists("telemetry_requests") && (try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM telemetry_requests)") ?? false)
    }

    /// The groups a report sums, each with its cost in pico-dollars (nil: the model has no
    /// price) and whether it takes transcript numbers out (`best` replacing them); and the source
    /// in effect (`best` without any telemetry is `transcript`). All read from one snapshot, so a
    /// sync or an export committed meanwhile cannot be taken out without having been counted.
    func sourcedGroups(_ grouping: UsageGrouping, options: ReportOptions) throws(StoreError)
        -> (groups: [(group: UsageGroup, costPico: Int64?, removes: Bool)], source: UsageSource) {
        let thresholds = options.prices.longContextThresholds
        let transcript = Self.usageGroupsQuery(grouping, filter: options.filter, thresholds: thresholds, rollup: true)
        let telemetry = Self.telemetryUsageQuery(grouping, filter: options.filter, thresholds: thresholds, source: options.source)
        let source = options.source
        let (transcriptGroups, telemetryGroups, used) = try read { db in
            let used = try source != .transcript && Self.hasTelemetry(db)
            return (source == .telemetry ? [] : try transcript.fetch(db),
                    used ? try telemetry.fetch(db) { row -> (reported: Int64?, matched: UsageGroup?) in
                        let total: Double = row[10], reported: Bool = row[11], matchedCount: Int = row[19]
                        var matched: UsageGroup?
                        if matchedCount > 0 {
                            matched = UsageGroup(slot: 0, key: "", agent: row[1], model: row[12], tier: row[13],
                                                 tokens: TokenCounts(input: row[14], output: row[15], cacheCreation: row[16],
                                                                     cacheCreation1h: row[17], cacheRead: row[18]),
                                                 responses: matchedCount)
                        }
                        return (reported ? (total >= 9.2e18 ? Int64.max : Int64(total.rounded())) : nil, matched)
                    } : [],
                    used)
        }
        let priced = { (group: UsageGroup) in self.price(group, prices: options.prices, thresholds: thresholds) }
        var result = transcriptGroups.map { (group: $0, costPico: priced($0), removes: false) }
        for (group, extra) in telemetryGroups {
            result.append((group, extra.reported ?? priced(group), false))
            // `best` takes out the transcript's numbers of the calls telemetry replaces.
            guard source == .best, var removed = extra.matched else { continue }
            removed.slot = group.slot
            removed.key = group.key
            let cost = priced(removed).map { -$0 }
            removed.tokens = TokenCounts(input: -removed.tokens.input, output: -removed.tokens.output,
                                         cacheCreation: -removed.tokens.cacheCreation, cacheCreation1h: -removed.tokens.cacheCreation1h,
                                         cacheRead: -removed.tokens.cacheRead)
            removed.responses = -removed.responses
            result.append((removed, cost, true))
        }
        return (result, used || source != .best ? source : .transcript)
    }
}
