import AgentLogPricing
import AgentLogSQLite

/// Usage summed over a span of time: its tokens and its exact cost.
public struct Spend: Sendable, Equatable {
    /// Tokens, bucket by bucket.
    public var tokens = TokenCounts()
    /// Responses counted.
    public var responses = 0
    /// The cost in pico-dollars of the priced models.
    public var costPico: Int64 = 0
    /// Models that have no price (their tokens are counted, their cost is not).
    public var unpricedModels: [String] = []

    /// Nothing spent.
    public init() {}

    /// The cost in micro-dollars, rounded.
    public var costMicros: Int64 { Money.micros(fromPico: costPico) }
}

/// What was spent, read from the usage rollups through the plain SQLite layer (no Foundation, no
/// GRDB), so the statusline and the hook answer in a few milliseconds on any history. Sums are
/// those of the reports: the same rollup rows, priced by the same ``PriceTable``.
///
/// ```swift
/// let spend = try SpendReader(db: connection).spend(since: midnight, until: nil)
/// print(Money.dollars(micros: spend.costMicros))
/// ```
public struct SpendReader {
    /// The connection read from.
    public let db: any SQLiteStatements
    /// The prices applied.
    public let prices: PriceTable

    /// A reader of `db`, pricing with `prices`.
    public init(db: any SQLiteStatements, prices: PriceTable = .builtIn) {
        self.db = db
        self.prices = prices
    }

    /// Usage from `since` (ms since 1970, counted from its 15-minute slot) up to `until`
    /// (exclusive; nil for no end), of one agent and one project folder (it and the folders
    /// under it) when given.
    /// With a project, its projects come first, then their sessions (by index), then each
    /// session's rollup rows of the span by key, rather than the whole session rollup by slot.
    /// A session's folder is its project's path (every session with a folder has a project).
    public func spend(since: Int64, until: Int64?, agent: String? = nil, project: String? = nil) throws(SQLiteError) -> Spend {
        let statement: RawStatement
        if let project, !project.isEmpty, project != "/" {
            statement = try db.statement("""
                SELECT \(Self.sums) FROM session_usage_rollup
                WHERE session_id IN (SELECT s.id FROM sessions s WHERE (?3 = '' OR s.agent = ?3) AND s.project_id IN (
                          SELECT id FROM projects WHERE path = ?4 OR substr(path, 1, length(?4) + 1) = ?4 || '/'))
                  AND slot >= ?1 AND slot < ?2
                GROUP BY model, tier
                """)
            statement.bind(4, project)
        } else {
            statement = try db.statement("""
                SELECT \(Self.sums) FROM usage_rollup WHERE slot >= ?1 AND slot < ?2 AND (?3 = '' OR agent = ?3) GROUP BY model, tier
                """)
        }
        statement.bind(1, Self.slot(since))
        statement.bind(2, until.map { Self.slot($0 + Self.slotLength - 1) } ?? Int64.max)
        statement.bind(3, agent ?? "")
        return try priced(statement)
    }

    /// All usage of one session of `agent`, by the agent's own session id; nil when the
    /// history has no such session.
    public func sessionSpend(agent: String, sessionId: String) throws(SQLiteError) -> Spend? {
        let statement = try db.statement("""
            SELECT \(Self.sums) FROM session_usage_rollup
            WHERE session_id = (SELECT id FROM sessions WHERE agent = ?1 AND session_id = ?2) GROUP BY model, tier
            """)
        statement.bind(1, agent)
        statement.bind(2, sessionId)
        let spend = try priced(statement)
        return spend.responses == 0 ? nil : spend
    }

    /// The columns every spend query selects: model, tier and the sums of a rollup's counts.
    private static let sums = "model, tier, " + ["input_tokens", "output_tokens", "cache_creation_tokens", "cache_creation_1h_tokens",
                                                  "cache_read_tokens", "responses"].map { "SUM(\($0))" }.joined(separator: ", ")

    /// The rows of a spend query, added up and priced.
    private func priced(_ statement: RawStatement) throws(SQLiteError) -> Spend {
        defer { statement.reset() }
        var spend = Spend()
        while try statement.step() {
            let model = statement.text(0) ?? ""
            let tokens = TokenCounts(input: statement.int(2) ?? 0, output: statement.int(3) ?? 0, cacheCreation: statement.int(4) ?? 0,
                                     cacheCreation1h: statement.int(5) ?? 0, cacheRead: statement.int(6) ?? 0)
            spend.tokens += tokens
            spend.responses += statement.int(7) ?? 0
            if let cost = prices.costPico(model: model, tier: statement.int(1) ?? 0, tokens: tokens, thresholds: Schema.longContextThresholds) {
                spend.costPico = Money.saturatingSum(spend.costPico, cost)
            } else if !spend.unpricedModels.contains(model) {
                spend.unpricedModels.append(model)
            }
        }
        return spend
    }

    /// The rollups' slot length: 15 minutes, in ms.
    public static let slotLength: Int64 = 900_000

    /// The 15-minute slot of a time (ms since 1970).
    static func slot(_ time: Int64) -> Int64 { time >= 0 ? time / slotLength : (time - slotLength + 1) / slotLength }
}
