import AgentLogIngest
import AgentLogJSON
import AgentLogSQLite

/// Setting and removing budgets (`agentlog budget set|remove`), through the same connection
/// the statusline and the hook read them with.
extension SpendReader {
    /// Sets the budget of `period` for `project` and `agent` ("" for all) to `amountMicros`,
    /// replacing the one already set for the same three; returns it.
    @discardableResult
    public func setBudget(_ period: BudgetPeriod, amountMicros: Int64, project: String, agent: String, now: Int64) throws(SQLiteError) -> Budget {
        let upsert = try db.statement("""
            INSERT INTO budgets (period, amount_micros, project, agent, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT (period, project, agent) DO UPDATE SET amount_micros = excluded.amount_micros RETURNING id
            """)
        upsert.bind(1, period.rawValue)
        upsert.bind(2, amountMicros)
        upsert.bind(3, project)
        upsert.bind(4, agent)
        upsert.bind(5, now)
        let id = try upsert.runReturningInt() ?? 0
        return Budget(id: id, period: period, amountMicros: amountMicros, project: project, agent: agent)
    }

    /// Removes the budget of `period` for `project` and `agent`; whether there was one.
    public func removeBudget(_ period: BudgetPeriod, project: String, agent: String) throws(SQLiteError) -> Bool {
        let delete = try db.statement("DELETE FROM budgets WHERE period = ?1 AND project = ?2 AND agent = ?3")
        delete.bind(1, period.rawValue)
        delete.bind(2, project)
        delete.bind(3, agent)
        return try delete.run()
    }
}

/// `agentlog.budgets.v1`: every budget with its current period's spend.
public struct BudgetReport: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.budgets.v1"
    /// The budgets, in the order they were set.
    public var budgets: [BudgetStatus]
    /// When the spends were read, ms since 1970.
    public var now: Int64

    /// A report of `budgets` as of `now`.
    public init(budgets: [BudgetStatus], now: Int64) {
        self.budgets = budgets
        self.now = now
    }

    /// The document: each budget's period, amount, scope, spend, percentage and level.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("now", .time(now)),
            ("budgets", .array(budgets.map { status in
                .object([
                    ("period", .string(status.budget.period.rawValue)),
                    ("amountUSD", .usd(micros: status.budget.amountMicros)),
                    ("project", status.budget.project.isEmpty ? .null : .string(status.budget.project)),
                    ("agent", status.budget.agent.isEmpty ? .null : .string(status.budget.agent)),
                    ("since", .time(status.since)), ("until", .time(status.until)),
                    ("spentUSD", .cost(pico: status.spend.costPico, fullyPriced: status.spend.unpricedModels.isEmpty)),
                    ("percent", .int(status.percent)), ("level", .string(status.level.rawValue)),
                    ("unpricedModels", .array(status.spend.unpricedModels.map { .string($0) })),
                ])
            })),
        ]).encode(to: encoder)
    }
}
