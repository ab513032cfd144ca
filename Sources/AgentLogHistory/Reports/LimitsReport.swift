import AgentLogDatabase
import AgentLogIngest
import AgentLogJSON
import GRDB

/// One stretch of a rate-limit window, from its first reading to its reset: how full it got
/// and, if it was hit, how long the wait for the reset was.
public struct LimitPeriod: Sendable, Equatable {
    /// The first reading, ms since 1970.
    public var firstSeen: Int64
    /// The last reading.
    public var lastSeen: Int64
    /// When the window resets (or reset), where the agent said.
    public var resetsAt: Int64?
    /// The highest reading, 0–100.
    public var peakPercent: Double
    /// The first reading at 100 % or more, when the limit was hit.
    public var hitAt: Int64?
    /// Readings in the stretch.
    public var readings = 0

    /// How long the limit held after it was hit, in ms (from the hit to the reset).
    public var waitedMs: Int64? {
        guard let hitAt, let resetsAt, resetsAt > hitAt else { return nil }
        return resetsAt - hitAt
    }
}

/// One agent's rate-limit window (Claude's `five_hour`, `seven_day`; Codex's `primary`,
/// `secondary`) over time.
public struct LimitWindow: Sendable, Equatable {
    /// `claude` or `codex`.
    public var agent: String
    /// The window's name as the agent gives it.
    public var window: String
    /// Its length in minutes, where known.
    public var windowMinutes: Int?
    /// The latest reading, 0–100, and when it was read.
    public var latestPercent: Double
    /// When the latest reading was taken, ms since 1970.
    public var latestAt: Int64
    /// Its stretches, oldest first.
    public var periods: [LimitPeriod]

    /// How many stretches hit the limit.
    public var hits: Int { periods.filter { $0.hitAt != nil }.count }
}

/// `agentlog report limits`: when each rate-limit window was hit and how long until it reset.
public struct LimitsReport: Sendable, Equatable, SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.limits.v1"
    /// One entry per agent and window.
    public var windows: [LimitWindow]
    /// When the report was made, ms since 1970.
    public var now: Int64

    /// The document: each window's latest reading and its stretches.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("now", .time(now)),
            ("windows", .array(windows.map { window in
                .object([
                    ("agent", .string(window.agent)), ("window", .string(window.window)),
                    ("windowMinutes", window.windowMinutes.map { .int($0) } ?? .null),
                    ("latestPercent", .double(window.latestPercent)), ("latestAt", .time(window.latestAt)),
                    ("hits", .int(window.hits)),
                    ("periods", .array(window.periods.map { period in
                        .object([
                            ("firstSeen", .time(period.firstSeen)), ("lastSeen", .time(period.lastSeen)),
                            ("resetsAt", .time(period.resetsAt)), ("peakPercent", .double(period.peakPercent)),
                            ("hitAt", .time(period.hitAt)), ("waitedMinutes", period.waitedMs.map { .int($0 / 60_000) } ?? .null),
                            ("readings", .int(period.readings)),
                        ])
                    })),
                ])
            })),
        ]).encode(to: encoder)
    }
}

extension AgentLogStore {
    /// The rate-limit readings from `since` to `until` (ms since 1970, either open), cut into
    /// stretches: a new one starts when the reset time moves by more than a minute, when a
    /// reading comes after the previous reset, when more than the window's length passed
    /// between two readings, or (without reset times) when the reading drops.
    public func limitsReport(since: Int64? = nil, until: Int64? = nil, agents: [String] = [],
                             now: Int64 = AgentLogStore.now()) throws(StoreError) -> LimitsReport {
        var conditions = ["observed_at >= ?", "observed_at < ?"]
        var arguments: [any DatabaseValueConvertible] = [since ?? Int64.min, until ?? Int64.max]
        if !agents.isEmpty {
            conditions.append("agent IN (\(agents.map { _ in "?" }.joined(separator: ", ")))")
            arguments += agents
        }
        let sql = """
            SELECT agent, window, observed_at, used_percent, window_minutes, resets_at FROM rate_limit_samples
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY agent, window, observed_at
            """
        var windows: [LimitWindow] = []
        try read { db in
            guard try db.tableExists("rate_limit_samples") else { return }
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
            while let row = try rows.next() {
                let agent: String = row[0], window: String = row[1], at: Int64 = row[2], used: Double = row[3]
                let minutes: Int? = row[4], resets: Int64? = row[5]
                if windows.last?.agent != agent || windows.last?.window != window {
                    windows.append(LimitWindow(agent: agent, window: window, windowMinutes: minutes, latestPercent: used, latestAt: at, periods: []))
                }
                var current = windows[windows.count - 1]
                current.latestPercent = used
                current.latestAt = at
                current.windowMinutes = minutes ?? current.windowMinutes
                if let last = current.periods.last,
                   !Self.startsNewPeriod(after: last, at: at, used: used, resets: resets, windowMinutes: current.windowMinutes) {
                    var period = last
                    period.lastSeen = at
                    period.resetsAt = resets ?? period.resetsAt
                    period.peakPercent = max(period.peakPercent, used)
                    if period.hitAt == nil, used >= 100 { period.hitAt = at }
                    period.readings += 1
                    current.periods[current.periods.count - 1] = period
                } else {
                    current.periods.append(LimitPeriod(firstSeen: at, lastSeen: at, resetsAt: resets, peakPercent: used,
                                                       hitAt: used >= 100 ? at : nil, readings: 1))
                }
                windows[windows.count - 1] = current
            }
        }
        return LimitsReport(windows: windows, now: now)
    }

    /// Whether a reading belongs to a new stretch of its window rather than to `last`: the
    /// window has reset in between if the previous reset time has passed, the reset time moved,
    /// more than the window's length went by, or (without reset times) the reading dropped.
    static func startsNewPeriod(after last: LimitPeriod, at: Int64, used: Double, resets: Int64?, windowMinutes: Int?) -> Bool {
        if let minutes = windowMinutes, case let (length, overflow) = Int64(minutes).multipliedReportingOverflow(by: 60_000),
           !overflow, at - last.lastSeen > length { return true }
        if let previous = last.resetsAt {
            if at >= previous { return true }
            if let resets, abs(resets - previous) > 60_000 { return true }
            return false
        }
        return resets == nil && used + 0.5 < last.peakPercent
    }
}
