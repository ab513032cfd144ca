import AgentLogDatabase
import AgentLogIngest
import Foundation

/// The reports `agentlog report` prints.
public enum ReportKind: String, Sendable, CaseIterable, Codable {
    case daily, weekly, monthly, session, model, project

    /// The JSON key that names a row: `period`, `session`, `model` or `project`.
    public var rowKey: String {
        switch self {
        case .daily, .weekly, .monthly: return "period"
        case .session: return "session"
        case .model: return "model"
        case .project: return "project"
        }
    }
}

/// One row of a usage report: token sums and their cost.
public struct ReportRow: Sendable, Equatable {
    /// The period (`2026-04-18`, week start `2026-04-13`, `2026-04`), session id, model or project.
    public var key: String
    /// Set when rows are broken down by agent, and on model rows.
    public var agent: String?
    /// Tokens summed over the row's responses.
    public var tokens = TokenCounts()
    /// API responses counted (after de-duplication).
    public var responses = 0
    /// Cost of the priced part, in pico-dollars (exact); see ``costMicros``.
    public var costPico: Int64 = 0
    /// Models in the row that have no price: their tokens are counted, their cost is unknown.
    public var unpricedModels: [String] = []
    /// The models whose usage the row holds, in the order they were met.
    public var models: [String] = []
    /// For session rows: the session's project, title and first activity.
    public var project: String?
    /// For session rows: the session's title.
    public var title: String?
    /// For session rows: when the session started, ms since 1970.
    public var startedAt: Int64?

    /// An empty row (no tokens, no cost) named `key`, for `agent` when rows are split by agent.
    public init(key: String, agent: String? = nil) {
        self.key = key
        self.agent = agent
    }

    /// Cost in micro-dollars, rounded once from the exact sum.
    public var costMicros: Int64 { Money.micros(fromPico: costPico) }
    /// Whether every token of the row was priced.
    public var isFullyPriced: Bool { unpricedModels.isEmpty }
}

/// A usage report: its rows and a totals row with the same keys.
public struct UsageReport: Sendable, Equatable {
    /// Which report this is.
    public var kind: ReportKind
    /// The rows: periods in date order, other kinds costliest first.
    public var rows: [ReportRow]
    /// The sums over every row, keyed `Total`.
    public var totals: ReportRow
    /// Tokens of models without a price, by model: listed under the report.
    public var unpriced: [String: TokenCounts]
    /// Distinct sessions with usage in the report.
    public var sessions: Int
    /// Whose numbers the report holds: `best` only when there was telemetry to take (without,
    /// it is `transcript`).
    public var source: UsageSource = .transcript
}

/// What a report covers and how it is priced and dated.
public struct ReportOptions: Sendable {
    /// Which report to build.
    public var kind: ReportKind
    /// Which usage the report counts (time, agents, project, sessions).
    public var filter: UsageFilter
    /// The time zone that days, weeks and months are reckoned in.
    public var timeZone: TimeZone
    /// The prices that turn tokens into cost.
    public var prices: PriceTable
    /// Split every row by agent.
    public var breakdownByAgent: Bool
    /// Split every row by model (its `models` then holds that one model): the dashboard's cost
    /// per day and model.
    public var breakdownByModel: Bool
    /// Whose numbers: telemetry's where Claude Code sent it (`best`), the transcripts', or telemetry's only.
    public var source: UsageSource

    /// Options for a `kind` report; by default all usage, in the current time zone, at built-in
    /// prices, with telemetry's numbers where there are some.
    public init(kind: ReportKind, filter: UsageFilter = UsageFilter(), timeZone: TimeZone = .current,
                prices: PriceTable = .builtIn, breakdownByAgent: Bool = false, breakdownByModel: Bool = false,
                source: UsageSource = .best) {
        self.kind = kind
        self.source = source
        self.filter = filter
        self.timeZone = timeZone
        self.prices = prices
        self.breakdownByAgent = breakdownByAgent
        self.breakdownByModel = breakdownByModel
    }
}

extension AgentLogStore {
    /// Builds a usage report: sums come from one grouped query, prices are applied per
    /// (model, long-context tier) group, so the user's price file takes effect at once.
    public func usageReport(_ options: ReportOptions) throws(StoreError) -> UsageReport {
        let grouping: UsageGrouping
        switch options.kind {
        case .daily, .weekly, .monthly: grouping = .timeSlot
        case .session: grouping = .session
        case .model: grouping = .model
        case .project: grouping = .project
        }
        let (groups, source) = try sourcedGroups(grouping, options: options)
        let timeline = grouping == .timeSlot
            ? OffsetTimeline(timeZone: options.timeZone, slots: groups.map(\.group.slot)) : nil

        var rows: [String: ReportRow] = [:]
        var totals = ReportRow(key: "Total")
        var unpriced: [String: TokenCounts] = [:]
        // Tokens without a price by row and model: net of what telemetry replaced, so a model
        // whose every call came with telemetry's cost is not listed as unpriced.
        var unpricedByRow: [String: [String: TokenCounts]] = [:]
        for (group, cost, removes) in groups {
            var key: String
            switch options.kind {
            case .daily, .weekly, .monthly: key = timeline!.period(ofSlot: group.slot, kind: options.kind)
            case .model: key = group.model
            case .session, .project: key = group.key
            }
            let agent: String? = options.breakdownByAgent || options.kind == .model ? group.agent : nil
            var rowId = agent.map { key + "\u{0}" + $0 } ?? key
            if options.breakdownByModel, options.kind != .model { rowId += "\u{1}" + group.model }
            var row = rows[rowId] ?? ReportRow(key: key, agent: agent)
            add(group, cost: cost, removes: removes, to: &row)
            add(group, cost: cost, removes: removes, to: &totals)
            if cost == nil {
                unpriced[group.model, default: TokenCounts()] += group.tokens
                unpricedByRow[rowId, default: [:]][group.model, default: TokenCounts()] += group.tokens
            }
            rows[rowId] = row
        }
        unpriced = unpriced.filter { $0.value != TokenCounts() }
        for (rowId, models) in unpricedByRow {
            guard var row = rows[rowId] else { continue }
            row.unpricedModels = row.models.filter { models[$0].map { $0 != TokenCounts() } ?? false }
            rows[rowId] = row
        }
        totals.unpricedModels = totals.models.filter { unpriced[$0] != nil }
        var ordered = Array(rows.values)
        switch options.kind {
        case .daily, .weekly, .monthly:
            ordered.sort { ($0.key, $0.agent ?? "", $0.models.first ?? "") < ($1.key, $1.agent ?? "", $1.models.first ?? "") }
        case .session, .model, .project:
            ordered.sort { ($0.costPico, $0.tokens.total, $1.key, $1.agent ?? "") > ($1.costPico, $1.tokens.total, $0.key, $0.agent ?? "") }
        }
        var sessionCount = 0
        if options.kind == .session {
            let details = try sessionDetails(rowIds: ordered.compactMap { Int64($0.key) })
            for index in ordered.indices {
                guard let detail = details[Int64(ordered[index].key) ?? -1] else { continue }
                ordered[index].key = detail.sessionId
                ordered[index].project = detail.project
                ordered[index].title = detail.title
                ordered[index].startedAt = detail.startedAt
            }
            sessionCount = Set(ordered.map(\.key)).count
        } else {
            sessionCount = try countSessionsWithUsage(options.filter)
        }
        return UsageReport(kind: options.kind, rows: ordered, totals: totals, unpriced: unpriced, sessions: sessionCount, source: source)
    }

    /// The exact cost of a group in pico-dollars, or `nil` when its model has no price.
    func price(_ group: UsageGroup, prices: PriceTable, thresholds: [Int]) -> Int64? {
        prices.costPico(model: group.model, tier: group.tier, tokens: group.tokens, thresholds: thresholds)
    }

    /// Adds a group's tokens and cost to a row (saturating: telemetry's costs come from
    /// outside); one that `removes` (transcript numbers telemetry replaces) names no model.
    /// Unpriced models are listed once all groups are in.
    private func add(_ group: UsageGroup, cost: Int64?, removes: Bool, to row: inout ReportRow) {
        row.tokens += group.tokens
        row.responses += group.responses
        row.costPico = Money.saturatingSum(row.costPico, cost ?? 0)
        if !removes, !row.models.contains(group.model) { row.models.append(group.model) }
    }
}

/// A time zone's UTC offsets over a span of time, so that thousands of slots are dated without
/// asking the calendar for each.
struct OffsetTimeline {
    private var starts: [Int64] = []
    private var offsets: [Int64] = []

    init(timeZone: TimeZone, slots: [Int64]) {
        guard let first = slots.min(), let last = slots.max() else { return }
        let from = Date(timeIntervalSince1970: Double(first * AgentLogStore.slotLength) / 1000)
        let to = Date(timeIntervalSince1970: Double((last + 1) * AgentLogStore.slotLength) / 1000)
        var moment = from
        starts.append(Int64.min)
        offsets.append(Int64(timeZone.secondsFromGMT(for: from)) * 1000)
        while let next = timeZone.nextDaylightSavingTimeTransition(after: moment), next < to, starts.count < 10_000 {
            starts.append(Int64((next.timeIntervalSince1970 * 1000).rounded()))
            offsets.append(Int64(timeZone.secondsFromGMT(for: next)) * 1000)
            moment = next
        }
    }

    /// The UTC offset in ms at a moment.
    func offset(at milliseconds: Int64) -> Int64 {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= milliseconds { low = middle } else { high = middle - 1 }
        }
        return offsets.isEmpty ? 0 : offsets[low]
    }

    /// The local day number (days since 1970-01-01) of a moment.
    func localDay(_ milliseconds: Int64) -> Int {
        let local = milliseconds + offset(at: milliseconds)
        return Int((local - (((local % 86_400_000) + 86_400_000) % 86_400_000)) / 86_400_000)
    }

    /// `2026-04-18` (daily), the Monday that starts the ISO week (weekly), or `2026-04` (monthly).
    func period(ofSlot slot: Int64, kind: ReportKind) -> String {
        var day = localDay(slot * AgentLogStore.slotLength)
        if kind == .weekly { day -= ((day + 3) % 7 + 7) % 7 }
        let date = Timestamp.civilFromDays(day)
        let month = (date.month < 10 ? "0" : "") + String(date.month)
        if kind == .monthly { return "\(date.year)-\(month)" }
        return "\(date.year)-\(month)-\(date.day < 10 ? "0" : "")\(date.day)"
    }
}
