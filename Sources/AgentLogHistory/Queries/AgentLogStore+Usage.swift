import AgentLogSQLite
import AgentLogDatabase
import AgentLogIngest
import GRDB

/// Which rows a usage query covers.
public struct UsageFilter: Sendable, Equatable {
    /// Inclusive lower bound, ms since 1970.
    public var since: Int64?
    /// Exclusive upper bound, ms since 1970.
    public var until: Int64?
    /// Only these agents (`claude`, `codex`, `gemini`); empty means all.
    public var agents: [String] = []
    /// Only projects whose path or name contains this text.
    public var project: String?
    /// Only these sessions (their row ids in `sessions`), or all.
    public var sessionRowIds: [Int64]?

    /// A filter over the given time range, agents and project; the defaults cover all usage.
    public init(since: Int64? = nil, until: Int64? = nil, agents: [String] = [], project: String? = nil) {
        self.since = since
        self.until = until
        self.agents = agents
        self.project = project
    }
}

/// What usage rows are summed by.
public enum UsageGrouping: Sendable {
    /// 15-minute slots (every time zone's offset is a multiple of 15 minutes), for periods.
    case timeSlot
    case session
    case project
    case model
    case agent
}

/// Token sums of the usage rows that share a group key, a model and a long-context tier.
public struct UsageGroup: Sendable, Equatable {
    /// The slot number (ms / 900 000) for ``UsageGrouping/timeSlot``; otherwise 0.
    public var slot: Int64
    /// Session row id, project path, agent, or "" by grouping.
    public var key: String
    /// The agent whose sessions made the requests.
    public var agent: String
    /// The model that answered them.
    public var model: String
    /// How many long-context thresholds (of ``PriceTable/longContextThresholds``) the requests
    /// were over.
    public var tier: Int
    /// Tokens summed over the group's responses.
    public var tokens: TokenCounts
    /// API responses in the group.
    public var responses: Int
}

extension AgentLogStore {
    /// Length of a time slot, in ms.
    public static let slotLength: Int64 = 900_000

    /// Sums usage by `grouping`, model and long-context tier: one indexed pass in SQL, so a report
    /// over years of history takes milliseconds.
    public func usageGroups(_ grouping: UsageGrouping, filter: UsageFilter, thresholds: [Int]) throws(StoreError) -> [UsageGroup] {
        try usageGroups(grouping, filter: filter, thresholds: thresholds, rollup: true)
    }

    /// `rollup: false` always sums the usage rows themselves (tests compare the two).
    ///
    /// Three sources: `usage_rollup` (by slot and agent) for periods, models and agents over all
    /// projects; `session_usage_rollup` (by session and slot) for sessions and projects; the
    /// usage rows themselves for bounds off slot boundaries or other long-context thresholds.
    func usageGroups(_ grouping: UsageGrouping, filter: UsageFilter, thresholds: [Int], rollup: Bool) throws(StoreError) -> [UsageGroup] {
        let query = Self.usageGroupsQuery(grouping, filter: filter, thresholds: thresholds, rollup: rollup)
        return try read { db in try query.fetch(db) }
    }

    /// The query ``usageGroups(_:filter:thresholds:rollup:)`` runs, to run it in a read of the
    /// caller's (a report that reads several queries from one snapshot).
    static func usageGroupsQuery(_ grouping: UsageGrouping, filter: UsageFilter, thresholds: [Int], rollup: Bool) -> UsageGroupQuery {
        let aligned = (filter.since ?? 0) % Self.slotLength == 0 && (filter.until ?? 0) % Self.slotLength == 0
        let rolledUp = rollup && aligned && thresholds == Schema.longContextThresholds
        if rolledUp, filter.project == nil, filter.sessionRowIds == nil, grouping != .session, grouping != .project {
            return rollupGroupsQuery(grouping, filter: filter)
        }
        let time: String, tier: String, responses: String, source: String
        if rolledUp {
            (source, time, tier, responses) = ("session_usage_rollup u", "u.slot * \(Self.slotLength)", "u.tier", "SUM(u.responses)")
        } else {
            tier = Self.tierSQL(thresholds)
            (source, time, responses) = ("usage u", "COALESCE(u.timestamp, 0)", "COUNT(*)")
        }
        let key = Self.groupKeySQL(grouping, time: time)
        var (conditions, arguments) = filter.sql(time: time)
        if rolledUp { conditions.append("u.responses > 0") }
        let sql = """
            SELECT \(key) AS k, s.agent, u.model, \(tier) AS tier,
                   SUM(u.input_tokens), SUM(u.output_tokens), SUM(u.cache_creation_tokens),
                   SUM(u.cache_creation_1h_tokens), SUM(u.cache_read_tokens), \(responses)
            FROM \(source) JOIN sessions s ON s.id = u.session_id
            LEFT JOIN projects p ON p.id = s.project_id
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            GROUP BY k, s.agent, u.model, tier
            """
        return UsageGroupQuery(sql: sql, arguments: arguments, grouping: grouping)
    }
}

extension AgentLogStore {
    /// The same sums from `usage_rollup`, which triggers keep equal to `usage` summed by slot,
    /// agent, model and tier.
    private static func rollupGroupsQuery(_ grouping: UsageGrouping, filter: UsageFilter) -> UsageGroupQuery {
        var conditions = ["responses > 0"]
        var arguments: [any DatabaseValueConvertible] = []
        // Only called with bounds on slot boundaries (days start at multiples of 15 minutes in
        // every zone); other bounds take the exact path.
        if let since = filter.since {
            conditions.append("slot >= ?")
            arguments.append(since / Self.slotLength)
        }
        if let until = filter.until {
            conditions.append("slot < ?")
            arguments.append(until / Self.slotLength)
        }
        if !filter.agents.isEmpty {
            conditions.append("agent IN (\(filter.agents.map { _ in "?" }.joined(separator: ",")))")
            arguments += filter.agents.map { $0 as any DatabaseValueConvertible }
        }
        let key: String
        switch grouping {
        case .timeSlot: key = "slot"
        case .agent: key = "agent"
        default: key = "''"
        }
        let sql = """
            SELECT \(key), agent, model, tier, SUM(input_tokens), SUM(output_tokens), SUM(cache_creation_tokens),
                   SUM(cache_creation_1h_tokens), SUM(cache_read_tokens), SUM(responses)
            FROM usage_rollup WHERE \(conditions.joined(separator: " AND "))
            GROUP BY 1, agent, model, tier
            """
        return UsageGroupQuery(sql: sql, arguments: arguments, grouping: grouping)
    }

    /// The SQL that names a usage row's group over `usage u JOIN sessions s LEFT JOIN projects
    /// p`, with `time` the expression that dates the row.
    static func groupKeySQL(_ grouping: UsageGrouping, time: String, agent: String = "s.agent") -> String {
        switch grouping {
        case .timeSlot: return "\(time) / \(slotLength)"
        case .session: return "s.id"
        case .project: return "COALESCE(p.path, s.cwd, '')"
        case .model: return "''"
        case .agent: return agent
        }
    }
}

/// A grouped usage query whose columns are key, agent, model, tier, the five token sums and the
/// response count (and, for telemetry, more after them).
struct UsageGroupQuery {
    var sql: String
    var arguments: [any DatabaseValueConvertible]
    var grouping: UsageGrouping

    /// Runs it on `db`; `extra` reads each row's columns past the tenth.
    func fetch<Extra>(_ db: Database, extra: (Row) -> Extra) throws -> [(group: UsageGroup, extra: Extra)] {
        var groups: [(group: UsageGroup, extra: Extra)] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        while let row = try rows.next() {
            let tokens = TokenCounts(input: row[4], output: row[5], cacheCreation: row[6], cacheCreation1h: row[7], cacheRead: row[8])
            let group = UsageGroup(slot: grouping == .timeSlot ? row[0] : 0,
                                   key: grouping == .timeSlot ? "" : (row[0] as DatabaseValue).plainText,
                                   agent: row[1], model: row[2], tier: row[3], tokens: tokens, responses: row[9])
            groups.append((group, extra(row)))
        }
        return groups
    }

    /// Runs it on `db`.
    func fetch(_ db: Database) throws -> [UsageGroup] {
        try fetch(db) { _ in () }.map(\.group)
    }
}

extension AgentLogStore {
    /// SQL for a usage row `u`'s long-context tier: how many of `thresholds` its prompt is over.
    static func tierSQL(_ thresholds: [Int]) -> String {
        let prompt = "(u.input_tokens + u.cache_creation_tokens + u.cache_read_tokens)"
        return thresholds.isEmpty ? "0" : thresholds.map { "(\(prompt) > \($0))" }.joined(separator: " + ")
    }
}

extension UsageFilter {
    /// The filter as SQL conditions over `usage u JOIN sessions s LEFT JOIN projects p`, with
    /// `time` the expression that dates a usage row.
    func sql(time: String, agent: String = "s.agent") -> (conditions: [String], arguments: [any DatabaseValueConvertible]) {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let since {
            conditions.append("\(time) >= ?")
            arguments.append(since)
        }
        if let until {
            conditions.append("\(time) < ?")
            arguments.append(until)
        }
        if !agents.isEmpty {
            conditions.append("\(agent) IN (\(agents.map { _ in "?" }.joined(separator: ",")))")
            arguments += agents.map { $0 as any DatabaseValueConvertible }
        }
        if let project {
            conditions.append("(instr(p.path, ?) > 0 OR instr(p.name, ?) > 0 OR instr(s.cwd, ?) > 0)")
            arguments += [project, project, project]
        }
        if let sessionRowIds {
            conditions.append("s.id IN (\(sessionRowIds.map(String.init).joined(separator: ",")))")
        }
        return (conditions, arguments)
    }
}

extension DatabaseValue {
    /// The value as plain text (no quotes around strings).
    var plainText: String {
        switch storage {
        case .null: return ""
        case .int64(let value): return String(value)
        case .double(let value): return String(value)
        case .string(let value): return value
        case .blob: return ""
        }
    }
}
