import AgentLogDatabase
import AgentLogHistory
import AgentLogIngest
import AgentLogJSON
import AgentLogSync
import Foundation

/// Runs a sync for a command — `sync` itself, and every command that syncs first — and says
/// what it did, as text or as `agentlog.sync.v1`.
enum SyncRunner {
    /// `--path` folders (Claude Code transcripts unless `--agent` names another agent), else
    /// the default folders of the chosen agents.
    static func roots(agent: AgentChoice, paths: [String], global: GlobalOptions) -> [SyncRoot] {
        if !paths.isEmpty {
            let kind = AgentKind(rawValue: agent.rawValue) ?? .claude
            return paths.map { SyncRoot(path: global.expand($0), agent: kind, isExplicit: true) }
        }
        var environment = CommandContext.current.environment
        environment["HOME"] = global.home
        var roots: [SyncRoot] = []
        if agent == .all || agent == .claude { roots += SyncRoot.claudeDefaults(environment: environment) }
        if agent == .all || agent == .codex { roots += SyncRoot.codexDefaults(environment: environment) }
        if agent == .all || agent == .gemini { roots += SyncRoot.geminiDefaults(environment: environment) }
        return roots
    }

    static func sync(store: AgentLogStore, roots: [SyncRoot], showProgress: Bool, global: GlobalOptions,
                     redact: Bool? = nil) throws -> SyncReport {
        let bar = ProgressBar(enabled: showProgress && CommandContext.current.standardError.isTerminal)
        var engine = SyncEngine(store: store)
        engine.redact = redact
        let cleanup = ClaudeCleanup(global: global)
        engine.cleanupCutoff = cleanup.cutoff(now: CommandContext.current.nowMilliseconds)
        let report = try engine.sync(roots: roots) { bar.update($0) }
        bar.finish()
        if let problem = report.spoolProblem { printError("warning: \(problem)") }
        if report.archivedBeforeCleanup > 0 {
            printError("warning: \(report.archivedBeforeCleanup) Claude Code transcripts were archived less than \(ClaudeCleanup.warningDays) days "
                + "before Claude Code deletes them (\(cleanup.describe)). Sync at least weekly, or keep `agentlog serve --sync` running, so none is lost.")
        }
        return report
    }

    static func text(_ report: SyncReport) -> String {
        var lines = ["Synced \(report.files) files (\(report.filesRead) read, \(String(format: "%.1f", Double(report.bytesRead) / 1e6)) MB): "
            + "\(report.lines) lines, \(report.newRecords) new records, \(report.rejected.count - report.failedFiles) rejected lines"
            + (report.failedFiles > 0 ? ", \(report.failedFiles) files could not be read" : "")
            + (report.pendingBytes > 0 ? ", \(report.pendingBytes) bytes of unfinished lines wait for the next sync" : "")
            + (report.missingFiles > 0 ? ", \(report.missingFiles) files gone from disk (kept in the archive)" : "")
            + " in \(report.durationMs) ms."]
        for rejection in report.rejected.prefix(20) {
            lines.append(rejection.line == 0 ? "  unreadable \(rejection.file): \(rejection.reason)"
                         : "  rejected \(rejection.file):\(rejection.line): \(rejection.reason)")
        }
        if report.rejected.count > 20 {
            lines.append("  … and \(report.rejected.count - 20) more (agentlog sync --format json lists all).")
        }
        if report.files == 0, !report.absentRoots.isEmpty {
            lines.append("No transcripts found (looked in \(report.absentRoots.joined(separator: ", "))). Try `agentlog demo`.")
        }
        return lines.joined(separator: "\n")
    }
}
