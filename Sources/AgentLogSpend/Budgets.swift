import AgentLogPricing
import AgentLogSQLite

/// How long a budget's period is.
public enum BudgetPeriod: String, Sendable, CaseIterable, Codable {
    /// A calendar day, from local midnight.
    case daily
    /// A calendar week, from Monday's local midnight.
    case weekly
    /// A calendar month, from the 1st's local midnight.
    case monthly
}

/// A spending limit the user set with `agentlog budget set`.
public struct Budget: Sendable, Equatable, Codable {
    /// The row id.
    public var id: Int64
    /// Per day, week or month.
    public var period: BudgetPeriod
    /// The limit in micro-dollars.
    public var amountMicros: Int64
    /// The project folder it covers (it and the folders under it); "" for all usage.
    public var project: String
    /// The agent it covers; "" for all agents.
    public var agent: String

    /// A budget with these values.
    public init(id: Int64, period: BudgetPeriod, amountMicros: Int64, project: String, agent: String) {
        self.id = id
        self.period = period
        self.amountMicros = amountMicros
        self.project = project
        self.agent = agent
    }

    /// Whether a session of `agent` in folder `directory` counts against this budget.
    public func applies(agent other: String, directory: String) -> Bool {
        (agent.isEmpty || agent == other)
            && (project.isEmpty || directory == project || directory.hasPrefix(project.hasSuffix("/") ? project : project + "/"))
    }

    /// `daily $20.00`, `weekly $100.00 for /src/app (claude)`.
    public var label: String { Self.label(period, amount: Money.dollars(micros: amountMicros), project: project, agent: agent) }

    /// `daily`, `weekly for /src/app (claude)`: which budget, without its amount.
    public static func label(_ period: BudgetPeriod, amount: String? = nil, project: String, agent: String) -> String {
        var text = period.rawValue + (amount.map { " " + $0 } ?? "")
        if !project.isEmpty { text += " for \(project)" }
        if !agent.isEmpty { text += " (\(agent))" }
        return text
    }
}

/// How close spending is to a budget.
public enum BudgetLevel: String, Sendable, Codable, Comparable {
    /// Under 80 %.
    case ok
    /// 80 % or more.
    case warn
    /// 100 % or more.
    case critical

    /// The level of `spent` against `limit` (both in the same unit).
    public init(spent: Int64, limit: Int64) {
        if spent >= limit {
            self = .critical
        } else if spent >= limit - limit / 5 {  // the smallest whole amount at or over 80 % of limit
            self = .warn
        } else {
            self = .ok
        }
    }

    private var rank: Int {
        switch self {
        case .ok: 0
        case .warn: 1
        case .critical: 2
        }
    }

    /// ok < warn < critical.
    public static func < (lhs: BudgetLevel, rhs: BudgetLevel) -> Bool { lhs.rank < rhs.rank }
}

/// A budget and what its current period has spent.
public struct BudgetStatus: Sendable, Equatable {
    /// The budget.
    public var budget: Budget
    /// The start of its current period, ms since 1970.
    public var since: Int64
    /// The end of its current period.
    public var until: Int64
    /// What was spent since `since`.
    public var spend: Spend

    /// The spend in micro-dollars.
    public var spentMicros: Int64 { spend.costMicros }
    /// Spent as a percentage of the limit, rounded down.
    public var percent: Int {
        guard budget.amountMicros > 0 else { return 0 }
        return Int(min(max(Double(spentMicros) * 100 / Double(budget.amountMicros), 0), 1_000_000_000))
    }
    /// ok, warn (80 %) or critical (100 %).
    public var level: BudgetLevel { BudgetLevel(spent: spentMicros, limit: budget.amountMicros) }
}

extension SpendReader {
    /// The budgets the user set, in the order they were made; none on a database older than
    /// the budgets table.
    public func budgets() throws(SQLiteError) -> [Budget] {
        guard try db.appliedMigrations().contains("v9-limits") else { return [] }
        let statement = try db.statement("SELECT id, period, amount_micros, project, agent FROM budgets ORDER BY id")
        defer { statement.reset() }
        var budgets: [Budget] = []
        while try statement.step() {
            guard let period = statement.text(1).flatMap(BudgetPeriod.init(rawValue:)) else { continue }
            budgets.append(Budget(id: statement.int64(0) ?? 0, period: period, amountMicros: statement.int64(2) ?? 0,
                                  project: statement.text(3) ?? "", agent: statement.text(4) ?? ""))
        }
        return budgets
    }

    /// Each of `budgets` with its current period's spend at `now`, periods cut by `calendar`.
    public func statuses(of budgets: [Budget], now: Int64, calendar: LocalCalendar = LocalCalendar()) throws(SQLiteError) -> [BudgetStatus] {
        var statuses: [BudgetStatus] = []
        for budget in budgets {
            let (since, until) = calendar.period(budget.period, containing: now)
            let spend = try spend(since: since, until: until, agent: budget.agent.isEmpty ? nil : budget.agent,
                                  project: budget.project.isEmpty ? nil : budget.project)
            statuses.append(BudgetStatus(budget: budget, since: since, until: until, spend: spend))
        }
        return statuses
    }
}
