import AgentLogHistory
import AgentLogIngest
import AgentLogJSON
import Foundation

/// `report blocks` as a terminal table: one row per 5-hour block, the active one with its burn
/// rate and projection under the table.
enum BlocksRendering {

    static func text(_ report: BlocksReport, zone: TimeZone) -> String {
        guard !report.blocks.isEmpty else { return ReportRendering.noUsage }
        var columns: [(String, TextTable.Alignment)] = [("Block start", .left), ("Status", .left), ("Active for", .right), ("Models", .left),
                                                         ("Input", .right), ("Output", .right), ("Cache write", .right),
                                                         ("Cache read", .right), ("Total tokens", .right), ("Cost", .right)]
        if report.tokenLimit != nil { columns.append(("% of limit", .right)) }
        var table = TextTable(columns)
        for block in report.blocks {
            var cells = [TimeText.localTime(block.start, zone), block.isActive ? "ACTIVE" : "", duration(block.lastActivity - block.firstActivity),
                         ReportRendering.shortModels(block.models).clipped(30)]
            cells += [block.tokens.input, block.tokens.output, block.tokens.cacheCreation, block.tokens.cacheRead, block.tokens.total]
                .map { Money.groupThousands(Int64($0)) }
            cells.append(ReportRendering.cost(pico: block.costPico, complete: block.unpricedModels.isEmpty))
            if let limit = report.tokenLimit { cells.append(BlocksReport.percent(block.tokens.total, of: limit) + " %") }
            table.add(cells)
        }
        var out = table.render()
        out += "\n\(report.blocks.count) blocks of 5 hours (each starts at its first response, on the hour)."
        if let limit = report.tokenLimit { out += " Token limit: \(Money.groupThousands(Int64(limit)))." }
        if let projection = report.projection, let active = report.blocks.last {
            out += "\n\nActive block: \(TimeText.localTime(active.start, zone)) to \(TimeText.localTime(active.end, zone)), "
                + "\(duration(Int64(projection.remainingMinutes) * 60_000)) left."
            out += "\nBurn rate: \(Money.groupThousands(Int64(projection.tokensPerMinute.rounded()))) tokens/min, "
                + "\(Money.dollars(micros: Money.micros(fromPico: projection.costPerHourPico)))/h."
            out += "\nAt this rate by its end: \(Money.groupThousands(Int64(projection.projectedTokens))) tokens, "
                + Money.dollars(micros: Money.micros(fromPico: projection.projectedCostPico))
                + (report.tokenLimit.map { " (\(BlocksReport.percent(projection.projectedTokens, of: $0)) % of the limit)" } ?? "") + "."
        }
        return out
    }

    /// `2 h 05 min`, `17 min`.
    static func duration(_ milliseconds: Int64) -> String {
        let minutes = max(0, milliseconds / 60_000)
        return minutes >= 60 ? "\(minutes / 60) h \(minutes % 60 < 10 ? "0" : "")\(minutes % 60) min" : "\(minutes) min"
    }
}
