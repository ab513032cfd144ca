import AgentLogHistory
import AgentLogIngest
import Foundation

/// `report accuracy` as text: per day and model, calls, both sides' tokens and cost, and the gap.
enum AccuracyRendering {
    static func text(_ report: AccuracyReport) -> String {
        guard !report.rows.isEmpty else {
            return "No telemetry received yet. Run `agentlog serve --otlp` and start Claude Code with CLAUDE_CODE_ENABLE_TELEMETRY=1 "
                + "OTEL_LOGS_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp OTEL_EXPORTER_OTLP_PROTOCOL=http/json "
                + "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 (see README, \"Claude Code's telemetry\")."
        }
        var table = TextTable([("Date", .left), ("Model", .left), ("Calls", .right), ("Not in transcripts", .right),
                               ("Transcript tokens", .right), ("Telemetry tokens", .right), ("Token gap", .right),
                               ("Transcript cost", .right), ("Telemetry cost", .right), ("Cost gap", .right)])
        for row in report.rows + [report.totals] {
            table.add([row.day, row.day == "Total" ? "" : row.model.clipped(32), group(row.calls), group(row.missing), group(row.transcriptTokens.total),
                       group(row.telemetryTokens.total), signed(row.tokenGap),
                       ReportRendering.cost(pico: row.transcriptCostPico, complete: row.transcriptCostComplete),
                       ReportRendering.cost(pico: row.telemetryCostPico, complete: row.telemetryCostComplete), costGap(row)])
        }
        return table.render() + "\n\nTranscript columns count the calls a transcript has too (same request id); telemetry columns count every call. "
            + "Reports take telemetry's numbers where it has them (--source best, the default)."
    }

    private static func group(_ value: Int) -> String { Money.groupThousands(Int64(value)) }

    private static func signed(_ value: Int) -> String { (value > 0 ? "+" : "") + group(value) }

    private static func dollars(_ pico: Int64) -> String { Money.dollars(micros: Money.micros(fromPico: pico)) }

    private static func costGap(_ row: AccuracyRow) -> String {
        let gap = (row.costGapPico > 0 ? "+" : "") + dollars(row.costGapPico)
        guard let percent = row.costGapPercent else { return gap }
        return gap + String(format: " (%+.1f%%)", percent)
    }
}
