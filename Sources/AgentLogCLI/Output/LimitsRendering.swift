import AgentLogHistory
import Foundation

/// `report limits` as text: per agent and window, its latest reading and a table of its
/// stretches between resets.
enum LimitsRendering {
    static func text(_ report: LimitsReport, zone: TimeZone) -> String {
        guard !report.windows.isEmpty else {
            return "No rate-limit readings yet. They come from Claude Code's statusline (run `agentlog statusline install`) "
                + "and from Codex sessions (run `agentlog sync`)."
        }
        var out: [String] = []
        for window in report.windows {
            let length = window.windowMinutes.map { " (\(BlocksRendering.duration(Int64(min($0, 527_040)) * 60_000)))" } ?? ""
            out.append("\(window.agent) \(window.window)\(length): \(percent(window.latestPercent)) at "
                + "\(TimeText.localTime(window.latestAt, zone)); hit in \(window.hits) of \(window.periods.count) windows.")
            var table = TextTable([("First seen", .left), ("Peak", .right), ("Hit at", .left), ("Resets", .left), ("Waited", .right)])
            for period in window.periods {
                table.add([TimeText.localTime(period.firstSeen, zone), percent(period.peakPercent),
                           period.hitAt.map { TimeText.localTime($0, zone) } ?? "",
                           period.resetsAt.map { TimeText.localTime($0, zone) } ?? "",
                           period.waitedMs.map(BlocksRendering.duration) ?? ""])
            }
            out.append(table.render())
        }
        return out.joined(separator: "\n")
    }

    private static func percent(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) %" : String(format: "%.1f %%", value)
    }
}
