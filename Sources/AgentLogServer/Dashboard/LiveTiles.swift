import AgentLogDatabase
import AgentLogHistory
import AgentLogSpend
import Foundation

/// The overview's "Right now" cards: the 5-hour block in progress, the latest rate-limit
/// readings and the budgets, by the statusline's own queries (`AgentLogSpend` on the store's
/// connection), priced with the built-in prices as the rest of the dashboard is.
struct LiveTiles: Sendable {
    /// One line of a card: a label, a value and a level for its colour (`ok`, `warn`, `critical`).
    struct Item: Sendable {
        var label: String
        var value: String
        var detail: String
        var level: String
        /// 0–100, for the bar under the item.
        var percent: Int
    }

    var block: [Item]
    var limits: [Item]
    var budgets: [Item]

    /// Reads the three at `now`.
    static func load(_ context: DashboardContext, now: Int64) async throws -> LiveTiles {
        let store = context.store
        async let spend = context.blocking {
            try store.readStatements { db in
                let reader = SpendReader(db: db)
                return (try reader.activeBlock(now: now), try reader.statuses(of: try reader.budgets(), now: now))
            }
        }
        async let limits = context.blocking { try store.limitsReport(since: now - 8 * 86_400_000, now: now) }
        let (active, statuses) = try await spend
        var block: [Item] = []
        if let active {
            let elapsed = Int((Double(now - active.start) / Double(ActiveBlock.length) * 100).rounded())
            let hours = { (ms: Int64) in String(context.format.dateTime(ms: ms).suffix(5)) }
            block.append(Item(label: "\(hours(active.start)) to \(hours(active.end))", value: Format.money(pico: active.spend.costPico),
                              detail: "\(Format.tokens(active.spend.tokens.total)) tokens · \(duration(active.end - now)) left",
                              level: "ok", percent: min(100, max(0, elapsed))))
        }
        let readings = try await limits.windows.filter { now - $0.latestAt < 8 * 86_400_000 }.map { window in
            let resets = window.periods.last?.resetsAt.flatMap { $0 > now ? " · resets in \(duration($0 - now))" : nil } ?? ""
            return Item(label: "\(window.agent.prefix(1).uppercased() + window.agent.dropFirst()) · \(windowName(window))", value: "\(Int(window.latestPercent.rounded())) %",
                        detail: "read \(context.format.dateTime(ms: window.latestAt))\(resets)",
                        level: level(window.latestPercent), percent: min(100, Int(window.latestPercent.rounded())))
        }
        let budgets = statuses.map { status in
            Item(label: status.budget.label, value: "\(status.percent) %",
                 detail: "\(Format.money(pico: status.spend.costPico)) spent this \(periodName(status.budget.period))",
                 level: status.level.rawValue, percent: min(100, status.percent))
        }
        return LiveTiles(block: block, limits: readings, budgets: budgets)
    }

    static func level(_ percent: Double) -> String { percent >= 100 ? "critical" : percent >= 80 ? "warn" : "ok" }

    static func windowName(_ window: LimitWindow) -> String {
        switch window.window {
        case "five_hour", "primary": "5-hour limit"
        case "seven_day", "secondary": "weekly limit"
        default: window.window
        }
    }

    static func periodName(_ period: BudgetPeriod) -> String {
        switch period {
        case .daily: "day"
        case .weekly: "week"
        case .monthly: "month"
        }
    }

    /// `2 h 10 min`, `45 min`, `3 d 4 h` (days past two days, which `Format.duration` does not say).
    static func duration(_ ms: Int64) -> String {
        ms >= 2 * 86_400_000 ? "\(ms / 86_400_000) d \(ms % 86_400_000 / 3_600_000) h" : Format.duration(ms: ms)
    }
}
