import Foundation

/// Claude Code's transcript cleanup: it deletes transcripts not changed for `cleanupPeriodDays`
/// (30 unless its settings say otherwise). agentlog's archive outlives them only if a sync reads
/// them first, so `sync` and `doctor` warn about the ones that go within ``warningDays``.
struct ClaudeCleanup {
    /// How far ahead of the deletion a transcript counts as about to go.
    static let warningDays = 3

    /// The period in force, and the settings file that set it ("" for Claude Code's default).
    let periodDays: Int
    let source: String

    /// Reads `cleanupPeriodDays` from the user's settings (`$CLAUDE_CONFIG_DIR` or `~/.claude`).
    init(global: GlobalOptions) {
        let path = global.claudeUserSettings
        if let bytes = FileManager.default.contents(atPath: path), let settings = try? JSONSettings(bytes: Array(bytes), path: path),
           case .number(let text)? = settings.root.first(where: { $0.0 == "cleanupPeriodDays" })?.1,
           let days = Double(text), days >= 1, days < 100_000 {
            (periodDays, source) = (Int(days), path)
        } else {
            (periodDays, source) = (30, "")
        }
    }

    /// Files last changed before this time (ms since 1970) are deleted within ``warningDays``.
    func cutoff(now: Int64) -> Int64 { now - Int64(max(0, periodDays - Self.warningDays)) * 86_400_000 }

    /// `cleanupPeriodDays 30, Claude Code's default` or `cleanupPeriodDays 90 in PATH`.
    var describe: String { "cleanupPeriodDays \(periodDays)" + (source.isEmpty ? ", Claude Code's default" : " in \(source)") }
}
