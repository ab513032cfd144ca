import AgentLogDatabase
import AgentLogIngest
import AgentLogJSON
import Foundation
import GRDB

/// One day and model of `agentlog report accuracy`: what Claude Code's telemetry counted against
/// what the transcripts hold for the same calls.
public struct AccuracyRow: Sendable, Equatable {
    /// The day, `2026-04-18`, in the report's time zone.
    public var day: String
    /// The model, as telemetry names it.
    public var model: String
    /// Calls telemetry reported.
    public var calls = 0
    /// Of those, calls a transcript has too (same request id).
    public var matched = 0
    /// Telemetry's tokens for every call.
    public var telemetryTokens = TokenCounts()
    /// Telemetry's cost (Claude Code's `cost_usd`; priced here for calls sent without one), pico-dollars.
    public var telemetryCostPico: Int64 = 0
    /// The transcripts' tokens for the matched calls.
    public var transcriptTokens = TokenCounts()
    /// Those tokens priced with the report's prices, pico-dollars.
    public var transcriptCostPico: Int64 = 0
    /// Whether every telemetry call had a cost or a price.
    public var telemetryCostComplete = true
    /// Whether every matched transcript row's model has a price.
    public var transcriptCostComplete = true

    /// Calls no transcript has.
    public var missing: Int { calls - matched }
    /// Telemetry's tokens minus the transcripts'.
    public var tokenGap: Int { telemetryTokens.total - transcriptTokens.total }
    /// Telemetry's cost minus the transcripts', pico-dollars.
    public var costGapPico: Int64 { telemetryCostPico - transcriptCostPico }
    /// The cost gap as a share of telemetry's cost, in percent (nil when telemetry's is 0).
    public var costGapPercent: Double? {
        telemetryCostPico == 0 ? nil : Double(costGapPico) / Double(telemetryCostPico) * 100
    }
}

/// `agentlog report accuracy` (`agentlog.accuracy.v1`): per day and model, telemetry against
/// transcripts, and the gap.
public struct AccuracyReport: Sendable, Equatable, SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.accuracy.v1"
    /// Days in order, then models by name.
    public var rows: [AccuracyRow]
    /// The sums over every row (day and model `Total`).
    public var totals: AccuracyRow

    /// The document: each row's calls, both sides' tokens and cost, and the gaps.
    public func encode(to encoder: any Encoder) throws {
        func encode(_ row: AccuracyRow, named: Bool) -> JSONOutput {
            var members: [(String, JSONOutput)] = named ? [("day", .string(row.day)), ("model", .string(row.model))] : []
            members += [
                ("calls", .int(row.calls)), ("matched", .int(row.matched)), ("missingFromTranscripts", .int(row.missing)),
                ("telemetry", tokens(row.telemetryTokens, cost: row.telemetryCostPico, complete: row.telemetryCostComplete)),
                ("transcript", tokens(row.transcriptTokens, cost: row.transcriptCostPico, complete: row.transcriptCostComplete)),
                ("tokenGap", .int(row.tokenGap)),
                ("costGapUSD", .cost(pico: row.costGapPico, fullyPriced: row.telemetryCostComplete && row.transcriptCostComplete)),
                ("costGapPercent", row.costGapPercent.map { .double(($0 * 100).rounded() / 100) } ?? .null),
            ]
            return .object(members)
        }
        func tokens(_ tokens: TokenCounts, cost: Int64, complete: Bool) -> JSONOutput {
            .object([("inputTokens", .int(tokens.input)), ("outputTokens", .int(tokens.output)),
                     ("cacheCreationTokens", .int(tokens.cacheCreation)), ("cacheReadTokens", .int(tokens.cacheRead)),
                     ("totalTokens", .int(tokens.total)), ("costUSD", .cost(pico: cost, fullyPriced: complete)),
                     ("costComplete", .bool(complete))])
        }
        try JSONOutput.object([("rows", .array(rows.map { encode($0, named: true) })), ("totals", encode(totals, named: false))])
            .encode(to: encoder)
    }
}

extension AgentLogStore {
    /// Telemetry against transcripts per day (in `timeZone`) and model, over the telemetry calls
    /// `filter` selects (dated and placed as ``UsageSource/best`` places them).
    public func accuracyReport(filter: UsageFilter = UsageFilter(), timeZone: TimeZone = .current,
                               prices: PriceTable = .builtIn) throws(StoreError) -> AccuracyReport {
        guard try hasTelemetry() else { return AccuracyReport(rows: [], totals: AccuracyRow(day: "Total", model: "Total")) }
        let thresholds = prices.longContextThresholds
        let time = "COALESCE(u.timestamp, 0)"
        let agent = "COALESCE(s.agent, 'claude')"
        let (conditions, arguments) = filter.sql(time: time, agent: agent)
        let matchedPrompt = "(COALESCE(u.m_input, 0) + COALESCE(u.m_cache_creation, 0) + COALESCE(u.m_cache_read, 0))"
        let matchedTier = thresholds.isEmpty ? "0" : thresholds.map { "(\(matchedPrompt) > \($0))" }.joined(separator: " + ")
        let cte = Self.telemetryCallsCTE(filter)
        let sql = """
            \(cte.sql)
            SELECT \(time) / \(Self.slotLength) AS slot, u.model, \(Self.tierSQL(thresholds)) AS tier, \(matchedTier) AS m_tier,
                   u.cost_pico IS NOT NULL AS reported, COALESCE(u.m_model, u.model) AS m_model, COUNT(*), COUNT(u.m_id),
                   SUM(u.input_tokens), SUM(u.output_tokens), SUM(u.cache_creation_tokens), SUM(u.cache_creation_1h_tokens),
                   SUM(u.cache_read_tokens), TOTAL(u.cost_pico),
                   SUM(COALESCE(u.m_input, 0)), SUM(COALESCE(u.m_output, 0)), SUM(COALESCE(u.m_cache_creation, 0)),
                   SUM(COALESCE(u.m_cache_creation_1h, 0)), SUM(COALESCE(u.m_cache_read, 0))
            FROM t u LEFT JOIN sessions s ON s.id = u.session_row
            LEFT JOIN projects p ON p.id = s.project_id
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            GROUP BY slot, u.model, tier, m_tier, reported, m_model
            """
        let groups: [(slot: Int64, model: String, tier: Int, matchedTier: Int, reported: Bool, matchedModel: String, calls: Int, matched: Int,
                      telemetry: TokenCounts, cost: Double, transcript: TokenCounts)] = try read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(cte.arguments + arguments)).map { row in
                (row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
                 TokenCounts(input: row[8], output: row[9], cacheCreation: row[10], cacheCreation1h: row[11], cacheRead: row[12]),
                 row[13], TokenCounts(input: row[14], output: row[15], cacheCreation: row[16], cacheCreation1h: row[17], cacheRead: row[18]))
            }
        }
        let timeline = OffsetTimeline(timeZone: timeZone, slots: groups.map(\.slot))
        var rows: [String: AccuracyRow] = [:]
        var totals = AccuracyRow(day: "Total", model: "Total")
        for group in groups {
            let day = timeline.period(ofSlot: group.slot, kind: .daily)
            var row = rows[day + "\u{0}" + group.model] ?? AccuracyRow(day: day, model: group.model)
            let telemetryCost = group.reported ? (group.cost >= 9.2e18 ? Int64.max : Int64(group.cost.rounded()))
                : prices.costPico(model: group.model, tier: group.tier, tokens: group.telemetry, thresholds: thresholds)
            // The transcript side at the transcript's own model (the same call, so the same model
            // but for how each names it).
            let transcriptCost = group.matched == 0 ? 0
                : prices.costPico(model: group.matchedModel, tier: group.matchedTier, tokens: group.transcript, thresholds: thresholds)
            for index in 0..<2 {
                var target = index == 0 ? row : totals
                target.calls += group.calls
                target.matched += group.matched
                target.telemetryTokens += group.telemetry
                target.transcriptTokens += group.transcript
                target.telemetryCostPico = Money.saturatingSum(target.telemetryCostPico, telemetryCost ?? 0)
                target.transcriptCostPico = Money.saturatingSum(target.transcriptCostPico, transcriptCost ?? 0)
                target.telemetryCostComplete = target.telemetryCostComplete && telemetryCost != nil
                target.transcriptCostComplete = target.transcriptCostComplete && transcriptCost != nil
                if index == 0 { row = target } else { totals = target }
            }
            rows[day + "\u{0}" + group.model] = row
        }
        return AccuracyReport(rows: rows.values.sorted { ($0.day, $0.model) < ($1.day, $1.model) }, totals: totals)
    }
}
