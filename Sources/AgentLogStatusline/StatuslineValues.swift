import AgentLogPricing
import AgentLogSpend

/// The placeholders' values for one line: the payload's own first, then what the history adds.
struct StatuslineValues {
    private(set) var values: [String: String] = [:]
    let payload: StatuslinePayload
    let now: Int64
    let color: Bool

    init(payload: StatuslinePayload, now: Int64, color: Bool) {
        self.payload = payload
        self.now = now
        self.color = color
        values["model"] = payload.modelName.isEmpty ? payload.modelId : payload.modelName
        values["session_cost"] = payload.sessionCostMicros.map { Money.dollars(micros: $0) }
        values["context"] = payload.contextUsedPercent.map { paint(Self.percent($0), level($0)) }
        for (name, reading) in [("five_hour", payload.fiveHour), ("seven_day", payload.sevenDay)] {
            guard let reading else { continue }
            values[name] = paint(Self.percent(reading.usedPercent), level(reading.usedPercent))
            if let resets = reading.resetsAt, resets > now { values[name + "_reset"] = Self.duration(resets - now) }
        }
        if let folder = payload.directory.split(separator: "/").last { values["folder"] = String(folder) }
    }

    /// Adds what the history knows: today's cost, the block, the session's cost when the payload
    /// had none, and the budget closest to its limit.
    mutating func read(_ reader: SpendReader, calendar: LocalCalendar) throws {
        let today = calendar.period(.daily, containing: now)
        values["today_cost"] = Money.dollars(micros: try reader.spend(since: today.start, until: nil).costMicros)
        if let block = try reader.activeBlock(now: now) {
            values["block_cost"] = Money.dollars(micros: block.spend.costMicros)
            values["block_left"] = Self.duration(block.end - now)
            values["block_tokens"] = Self.tokens(block.spend.tokens.total)
        }
        if values["session_cost"] == nil, !payload.sessionId.isEmpty,
           let spend = try reader.sessionSpend(agent: "claude", sessionId: payload.sessionId) {
            values["session_cost"] = Money.dollars(micros: spend.costMicros)
        }
        // The working folder, as the hook matches it (a budget for a subfolder counts there).
        let budgets = try reader.budgets().filter { $0.applies(agent: "claude", directory: payload.directory) }
        if let worst = try reader.statuses(of: budgets, now: now, calendar: calendar).max(by: { $0.percent < $1.percent }),
           worst.level != .ok {
            values["budget"] = paint("\(worst.budget.period.rawValue) \(worst.percent)%", worst.level)
        }
    }

    /// warn from 80 %, critical from 100 %.
    private func level(_ percent: Double) -> BudgetLevel {
        percent >= 100 ? .critical : percent >= 80 ? .warn : .ok
    }

    /// `text` in yellow (warn) or red (critical) when colour is on.
    private func paint(_ text: String, _ level: BudgetLevel) -> String {
        guard color else { return text }
        switch level {
        case .ok: return text
        case .warn: return "\u{1B}[33m" + text + "\u{1B}[0m"
        case .critical: return "\u{1B}[31m" + text + "\u{1B}[0m"
        }
    }

    /// `42%`.
    static func percent(_ value: Double) -> String { "\(Int(value.rounded()))%" }

    /// `2h10m`, `45m`, `3d4h`.
    static func duration(_ ms: Int64) -> String {
        let minutes = max(0, (ms + 59_999) / 60_000)
        if minutes >= 48 * 60 { return "\(minutes / 1440)d\(minutes % 1440 / 60)h" }
        if minutes >= 60 { return "\(minutes / 60)h\(minutes % 60)m" }
        return "\(minutes)m"
    }

    /// `1.2M`, `340k`, `812`.
    static func tokens(_ count: Int) -> String {
        if count >= 1_000_000 { return "\(count / 1_000_000).\(count % 1_000_000 / 100_000)M" }
        if count >= 1_000 { return "\(count / 1_000)k" }
        return "\(count)"
    }
}
