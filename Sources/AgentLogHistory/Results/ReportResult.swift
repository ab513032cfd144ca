import AgentLogIngest
import AgentLogJSON

extension UsageReport: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.report.v1"

    /// The report as JSON: its kind, one row per period (or session, model, project) with
    /// tokens by bucket, cost (null when none of it could be priced), responses and models, the
    /// totals, and the models without a price.
    public func encode(to encoder: any Encoder) throws {
        func row(_ row: ReportRow, key: String?) -> JSONOutput {
            var members: [(String, JSONOutput)] = []
            if key != nil { members.append((kind.rowKey, .string(row.key))) }
            if let agent = row.agent { members.append(("agent", .string(agent))) }
            if kind == .session {
                members.append(("project", .optional(row.project)))
                members.append(("title", .optional(row.title)))
                members.append(("startedAt", .time(row.startedAt)))
            }
            members += [
                ("inputTokens", .int(row.tokens.input)),
                ("outputTokens", .int(row.tokens.output)),
                ("cacheCreationTokens", .int(row.tokens.cacheCreation)),
                ("cacheReadTokens", .int(row.tokens.cacheRead)),
                ("totalTokens", .int(row.tokens.total)),
                ("costUSD", .cost(pico: row.costPico, fullyPriced: row.isFullyPriced)),
                ("costComplete", .bool(row.isFullyPriced)),
                ("responses", .int(row.responses)),
                ("models", .array(row.models.sorted().map { .string($0) })),
            ]
            if !row.unpricedModels.isEmpty {
                members.append(("unpricedModels", .array(row.unpricedModels.sorted().map { .string($0) })))
            }
            return .object(members)
        }
        var totalRow = row(totals, key: nil)
        if case .object(var members) = totalRow {
            members.insert(("sessions", .int(sessions)), at: 0)
            totalRow = .object(members)
        }
        try JSONOutput.object([
            ("report", .string(kind.rawValue)),
            ("source", .string(source.rawValue)),
            ("rows", .array(rows.map { row($0, key: kind.rowKey) })),
            ("totals", totalRow),
            ("unpriced", .array(unpriced.keys.sorted().map { model in
                let tokens = unpriced[model]!
                return .object([("model", .string(model)), ("totalTokens", .int(tokens.total))])
            })),
        ]).encode(to: encoder)
    }
}
