import AgentLogJSON
import AgentLogIngest
import AgentLogHistory
import AgentLogStore

/// Usage reports as a terminal table, JSON (`agentlog.report.v1`) or CSV.
enum ReportRendering {
    /// What a report with no rows says.
    static let noUsage = "No usage in this range. Run `agentlog sync`, or `agentlog demo` to try sample data."

    static func text(_ report: UsageReport) -> String {
        guard !report.rows.isEmpty else { return noUsage }
        let hasAgent = report.rows.contains { $0.agent != nil }
        var columns: [(String, TextTable.Alignment)] = [(header(report.kind), .left)]
        if hasAgent { columns.append(("Agent", .left)) }
        if report.kind != .model { columns.append(("Models", .left)) }
        columns += [("Input", .right), ("Output", .right), ("Cache write", .right), ("Cache read", .right),
                    ("Total tokens", .right), ("Cost", .right)]
        var table = TextTable(columns)
        func cells(_ row: ReportRow, key: String, total: Bool) -> [String] {
            var cells = [key]
            if hasAgent { cells.append(total ? "" : row.agent ?? "") }
            if report.kind != .model { cells.append(total ? "" : shortModels(row.models).clipped(40)) }
            cells += [row.tokens.input, row.tokens.output, row.tokens.cacheCreation, row.tokens.cacheRead, row.tokens.total]
                .map { Money.groupThousands(Int64($0)) }
            cells.append(cost(row))
            return cells
        }
        for row in report.rows {
            let key = report.kind == .session ? String(row.key.prefix(8)) + (row.title.map { "  " + $0.clipped(40) } ?? "") : row.key
            table.add(cells(row, key: key, total: false))
        }
        table.footer = [cells(report.totals, key: "Total", total: true)]
        var out = table.render()
        out += "\n\(report.sessions) sessions, \(Money.groupThousands(Int64(report.totals.responses))) responses."
        switch report.source {
        case .best: out += " Claude Code's telemetry numbers where it sent them (`report accuracy` compares them with the transcripts')."
        case .telemetry: out += " Telemetry numbers only."
        case .transcript: break
        }
        if !report.unpriced.isEmpty {
            out += "\n\nNo price for: " + report.unpriced.keys.sorted().map { model in
                "\(model) (\(Money.groupThousands(Int64(report.unpriced[model]!.total))) tokens)"
            }.joined(separator: ", ") + ". Their cost is not included; add them to ~/.agentlog/prices.json."
        }
        return out
    }

    /// `report subagent`: one row per subagent type, costliest first.
    static func text(_ report: SubagentReport) -> String {
        guard !report.rows.isEmpty else { return "No subagent usage in this range." }
        var table = TextTable([("Subagent type", .left), ("Spawns", .right), ("Input", .right), ("Output", .right), ("Cache write", .right),
                               ("Cache read", .right), ("Total tokens", .right), ("Cost", .right), ("Per spawn", .right)])
        for row in report.rows {
            let complete = row.unpricedModels.isEmpty
            table.add([row.type.clipped(40), Money.groupThousands(Int64(row.spawns))]
                      + [row.tokens.input, row.tokens.output, row.tokens.cacheCreation, row.tokens.cacheRead, row.tokens.total]
                        .map { Money.groupThousands(Int64($0)) }
                      + [cost(pico: row.costPico, complete: complete), cost(pico: row.costPerSpawnPico, complete: complete)])
        }
        return table.render()
    }

    static func csv(_ report: UsageReport) -> String {
        let hasAgent = report.rows.contains { $0.agent != nil }
        var lines = [[report.kind.rowKey] + (hasAgent ? ["agent"] : [])
            + ["inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "totalTokens", "costUSD", "costComplete"]]
        for row in report.rows + [report.totals] {
            lines.append([row.key] + (hasAgent ? [row.agent ?? ""] : [])
                + [row.tokens.input, row.tokens.output, row.tokens.cacheCreation, row.tokens.cacheRead, row.tokens.total].map(String.init)
                + [Money.decimalString(micros: row.costMicros), row.isFullyPriced ? "true" : "false"])
        }
        return lines.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    private static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func header(_ kind: ReportKind) -> String {
        switch kind {
        case .daily: return "Date"
        case .weekly: return "Week of"
        case .monthly: return "Month"
        case .session: return "Session"
        case .model: return "Model"
        case .project: return "Project"
        }
    }

    /// `sonnet-4-6, opus-4-7` for display.
    static func shortModels(_ models: [String]) -> String {
        models.sorted().map { model in
            var name = model.hasPrefix("claude-") ? String(model.dropFirst(7)) : model
            if let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].count == 8,
               name[name.index(after: dash)...].allSatisfy(\.isNumber) {
                name = String(name[..<dash])
            }
            return name
        }.joined(separator: ", ")
    }

    /// `$12.35`, `unknown` when nothing was priced, `$12.35+` when part was not.
    static func cost(_ row: ReportRow) -> String { cost(pico: row.costPico, complete: row.isFullyPriced) }

    /// `$12.35`, `unknown` when nothing was priced, `$12.35+` when part was not.
    static func cost(pico: Int64, complete: Bool) -> String {
        let dollars = Money.dollars(micros: Money.micros(fromPico: pico))
        if complete { return dollars }
        return pico == 0 ? "unknown" : dollars + "+"
    }
}
