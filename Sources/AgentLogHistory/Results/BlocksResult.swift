import AgentLogDatabase
import AgentLogIngest
import AgentLogJSON

extension BlocksReport: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.blocks.v1"

    /// The report as JSON: every block with its times, tokens by bucket, cost, models, whether it
    /// is active and how it compares with the token limit; the active block's projection.
    public func encode(to encoder: any Encoder) throws {
        func block(_ block: UsageBlock) -> JSONOutput {
            var members: [(String, JSONOutput)] = [
                ("start", .time(block.start)), ("end", .time(block.end)),
                ("firstActivity", .time(block.firstActivity)), ("lastActivity", .time(block.lastActivity)),
                ("active", .bool(block.isActive)),
                ("inputTokens", .int(block.tokens.input)), ("outputTokens", .int(block.tokens.output)),
                ("cacheCreationTokens", .int(block.tokens.cacheCreation)), ("cacheReadTokens", .int(block.tokens.cacheRead)),
                ("totalTokens", .int(block.tokens.total)),
                ("costUSD", .cost(pico: block.costPico, fullyPriced: block.unpricedModels.isEmpty)),
                ("costComplete", .bool(block.unpricedModels.isEmpty)),
                ("responses", .int(block.responses)), ("models", .array(block.models.sorted().map { .string($0) })),
            ]
            if let tokenLimit {
                members.append(("limitPercent", .number(Self.percent(block.tokens.total, of: tokenLimit))))
            }
            return .object(members)
        }
        var members: [(String, JSONOutput)] = [("now", .time(now)), ("tokenLimit", tokenLimit.map { .int($0) } ?? .null),
                                               ("blocks", .array(blocks.map(block)))]
        if let projection {
            var active: [(String, JSONOutput)] = [
                ("tokensPerMinute", .number(String(Int(projection.tokensPerMinute.rounded())))),
                ("costPerHourUSD", .usd(micros: Money.micros(fromPico: projection.costPerHourPico))),
                ("remainingMinutes", .int(projection.remainingMinutes)),
                ("projectedTokens", .int(projection.projectedTokens)),
                ("projectedCostUSD", .usd(micros: Money.micros(fromPico: projection.projectedCostPico))),
            ]
            if let tokenLimit { active.append(("projectedLimitPercent", .number(Self.percent(projection.projectedTokens, of: tokenLimit)))) }
            members.append(("projection", .object(active)))
        } else {
            members.append(("projection", .null))
        }
        try JSONOutput.object(members).encode(to: encoder)
    }

    /// `part` as a percentage of `whole` with one decimal, as JSON number text ("0" for no whole).
    public static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0" }
        let tenths = AgentLogStore.clamped((Double(part) * 1_000 / Double(whole)).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
