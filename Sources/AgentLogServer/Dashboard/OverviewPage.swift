import AgentLogDatabase
import AgentLogHistory
import AgentLogStore
import Foundation

/// The period the overview and the projects page cover: the last 7, 30 or 90 days, a year,
/// or everything.
struct Period: Sendable {
    /// The `period` parameter's values, in the order the picker shows them.
    static let choices = [("7d", "7 days", 7), ("30d", "30 days", 30), ("90d", "90 days", 90), ("1y", "1 year", 365), ("all", "All", 0)]

    let id: String
    let label: String
    let days: Int

    private init(id: String, label: String, days: Int) {
        (self.id, self.label, self.days) = (id, label, days)
    }

    /// The period `text` names (30 days when absent).
    init(_ text: String?) throws(APIError) {
        let id = text ?? "30d"
        guard let choice = Self.choices.first(where: { $0.0 == id }) else {
            throw .badParameter("period", "period must be one of \(Self.choices.map(\.0).joined(separator: ", ")), not '\(id.prefix(20))'.")
        }
        (self.id, label, days) = choice
    }

    /// Where the period starts: the start of the day `days - 1` days before today, in `zone`.
    func since(now: Date, zone: TimeZone) -> Int64? {
        guard days > 0 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: now)
        let start = calendar.date(byAdding: .day, value: -(days - 1), to: today) ?? today
        return Int64(start.timeIntervalSince1970 * 1000)
    }
}

/// A link in a picker.
struct PickerItem: Sendable {
    var label: String
    var href: String
    var current: Bool
}

/// The overview: totals for the period, cost or tokens per day by model and by agent, a year of
/// activity, top projects and sessions, what runs now, and the latest sessions.
struct OverviewPage: Sendable {
    struct Totals: Sendable {
        var cost: String, tokens: String, sessions: String, responses: String, cacheShare: String
    }
    struct Chart: Sendable {
        var svg: String
        var legend: [Charts.LegendItem]
    }
    struct ProjectItem: Sendable { var name: String, path: String, query: String, tokens: String, cost: String }
    struct SessionItem: Sendable { var id: String, title: String, project: String, cost: String }
    struct RunningItem: Sendable { var session: String, label: String, project: String, since: String, name: String }
    struct ClaimItem: Sendable { var path: String, who: String, when: String }

    var frame: PageFrame
    var periods: [PickerItem]
    var metrics: [PickerItem]
    var metricLabel: String
    var totals: Totals
    var byModel: Chart
    var byAgent: Chart
    var heatmap: String
    var heatmapNote: String
    var topProjects: [ProjectItem]
    var topSessions: [SessionItem]
    var runningAgents: [RunningItem]
    var runningRuns: [RunningItem]
    var claims: [ClaimItem]
    var anythingRunning: Bool
    var sessions: [SessionRow]
    /// The block in progress, the latest rate-limit readings and the budgets.
    var live: LiveTiles
    /// Whether the database holds no session at all (a first run): the page says how to fill it.
    var isEmptyHistory: Bool

    /// Reads everything the overview shows, the queries side by side on the thread pool.
    static func load(_ query: QueryParameters, _ context: DashboardContext) async throws -> OverviewPage {
        try query.allowOnly(["period", "metric"])
        let period = try Period(query.string("period"))
        let metric = try query.choice("metric", ["cost", "tokens"], default: "cost")!
        let format = context.format
        let now = Date()
        let filter = UsageFilter(since: period.since(now: now, zone: format.timeZone))
        let yearFilter = UsageFilter(since: Period.yearStart(now: now, zone: format.timeZone))
        let store = context.store

        async let daily = context.blocking {
            try store.usageReport(ReportOptions(kind: .daily, filter: filter, timeZone: format.timeZone,
                                                breakdownByAgent: true, breakdownByModel: true))
        }
        async let year = context.blocking { try store.usageReport(ReportOptions(kind: .daily, filter: yearFilter, timeZone: format.timeZone)) }
        async let projects = context.blocking { try store.usageReport(ReportOptions(kind: .project, filter: filter, timeZone: format.timeZone)) }
        async let topSessions = context.blocking { try store.usageReport(ReportOptions(kind: .session, filter: filter, timeZone: format.timeZone)) }
        async let recent = context.blocking { try store.sessions(SessionQuery(limit: 8)) }
        async let agents = context.blocking { try store.agents() }
        async let claims = context.blocking { try store.fileClaims() }
        async let runs = store.runs(status: .running, limit: 10)
        async let projectList = store.projects()
        async let live = LiveTiles.load(context, now: Int64(now.timeIntervalSince1970 * 1000))

        let report = try await daily
        let value: (ReportRow) -> Double = metric == "cost" ? { Double($0.costPico) / 1e12 } : { Double($0.tokens.total) }
        let unit: (Double) -> String = metric == "cost" ? { Format.money(pico: Int64($0 * 1e12)) } : { Format.tokens(Int($0)) }
        let days = dayLabels(report: report, period: period, now: now, zone: format.timeZone)
        func chart(_ series: (ReportRow) -> String, title: String) -> Chart {
            var bars = days.map { Charts.Bar(label: $0, values: [:]) }
            let index = Dictionary(uniqueKeysWithValues: days.enumerated().map { ($1, $0) })
            for row in report.rows {
                guard let position = index[row.key] else { continue }
                bars[position].values[series(row), default: 0] += value(row)
            }
            let drawn = Charts.stackedBars(bars, unit: unit, title: title)
            return Chart(svg: drawn.svg, legend: drawn.legend)
        }
        let totals = report.totals
        let prompt = totals.tokens.input + totals.tokens.cacheCreation + totals.tokens.cacheRead
        let yearReport = try await year
        let (heatmap, heatmapNote) = activityHeatmap(yearReport, now: now, zone: format.timeZone)
        let running = try await agents.filter { $0.status == "running" }
        let directories = Dictionary(try await projectList.map { ($0.id, $0.directory) }, uniquingKeysWith: { first, _ in first })
        let runningRuns = try await runs.map { run in
            RunningItem(session: "", label: "", project: Format.project(directories[run.projectId]), since: format.dateTime(ms: run.startedAt),
                        name: run.name ?? run.args.joined(separator: " "))
        }
        let claimItems = try await claims.sorted { $0.lastAt > $1.lastAt }.prefix(6).map {
            ClaimItem(path: Format.clip($0.path, 60), who: $0.agentId.isEmpty ? String($0.session.prefix(8)) : "subagent \($0.agentId.prefix(8))",
                      when: format.dateTime(ms: $0.lastAt))
        }
        let runningItems = running.prefix(8).map {
            RunningItem(session: $0.session, label: $0.agentType ?? ($0.agentId.isEmpty ? "main agent" : "subagent"),
                        project: Format.project($0.project), since: format.time(ms: $0.startedAt), name: "")
        }
        return OverviewPage(
            frame: PageFrame(title: "Overview", tab: "overview"),
            periods: Period.choices.map { PickerItem(label: $0.1, href: "/?period=\($0.0)&metric=\(metric)", current: $0.0 == period.id) },
            metrics: [("cost", "Cost"), ("tokens", "Tokens")].map { PickerItem(label: $0.1, href: "/?period=\(period.id)&metric=\($0.0)", current: $0.0 == metric) },
            metricLabel: metric == "cost" ? "Cost" : "Tokens",
            totals: Totals(cost: Format.money(pico: totals.costPico), tokens: Format.tokens(totals.tokens.total),
                           sessions: Format.grouped(report.sessions), responses: Format.grouped(totals.responses),
                           cacheShare: prompt > 0 ? "\(Int((Double(totals.tokens.cacheRead) / Double(prompt) * 100).rounded())) %" : "—"),
            byModel: chart({ $0.models.first ?? "?" }, title: "\(metric) per day by model"),
            byAgent: chart({ $0.agent ?? "?" }, title: "\(metric) per day by agent"),
            heatmap: heatmap, heatmapNote: heatmapNote,
            topProjects: try await projects.rows.prefix(6).map {
                ProjectItem(name: Format.project($0.key), path: $0.key, query: Format.queryValue($0.key), tokens: Format.tokens($0.tokens.total),
                            cost: Format.money(pico: $0.costPico))
            },
            topSessions: try await topSessions.rows.prefix(6).map {
                SessionItem(id: $0.key, title: Format.clip($0.title ?? $0.key, 60), project: Format.project($0.project), cost: Format.money(pico: $0.costPico))
            },
            runningAgents: Array(runningItems), runningRuns: runningRuns, claims: Array(claimItems),
            anythingRunning: !runningItems.isEmpty || !runningRuns.isEmpty || !claimItems.isEmpty,
            sessions: try await recent.map { SessionRow($0, format) },
            live: try await live,
            isEmptyHistory: try await recent.isEmpty)
    }

    /// Every day of the period (for "all", from the first day with usage), as report keys.
    static func dayLabels(report: UsageReport, period: Period, now: Date, zone: TimeZone) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let keyFormat = DateFormatter()
        keyFormat.locale = Locale(identifier: "en_US_POSIX")
        keyFormat.timeZone = zone
        keyFormat.dateFormat = "yyyy-MM-dd"
        let today = calendar.startOfDay(for: now)
        var count = period.days
        if count == 0 {
            guard let first = report.rows.map(\.key).min(), let start = keyFormat.date(from: first) else { return [] }
            count = min(3_660, (calendar.dateComponents([.day], from: start, to: today).day ?? 0) + 1)
        }
        return (0..<count).reversed().compactMap { calendar.date(byAdding: .day, value: -$0, to: today).map(keyFormat.string(from:)) }
    }

    /// 52 weeks of cost per day as a calendar, and a sentence on how active they were.
    static func activityHeatmap(_ report: UsageReport, now: Date, zone: TimeZone) -> (String, String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let labels = dayLabels(report: report, period: Period.year, now: now, zone: zone)
        var values: [String: Double] = [:]
        for row in report.rows { values[row.key, default: 0] += Double(row.costPico) / 1e12 }
        let keyFormat = DateFormatter()
        keyFormat.locale = Locale(identifier: "en_US_POSIX")
        keyFormat.timeZone = zone
        keyFormat.dateFormat = "yyyy-MM-dd"
        let first = labels.first.flatMap(keyFormat.date(from:)) ?? now
        let weekday = (calendar.component(.weekday, from: first) + 5) % 7  // Monday = 0
        let active = labels.filter { (values[$0] ?? 0) > 0 }.count
        let svg = Charts.heatmap(days: values, labels: labels, firstWeekday: weekday) { Format.money(pico: Int64($0 * 1e12)) }
        return (svg, "\(active) active days · cost per day")
    }

}

extension Period {
    /// A year back from today: the heatmap's 52 weeks.
    static let year = Period(id: "1y", label: "1 year", days: 365)

    /// Where the heatmap's year starts.
    static func yearStart(now: Date, zone: TimeZone) -> Int64? { year.since(now: now, zone: zone) }
}
