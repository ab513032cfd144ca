import AgentLogDatabase
import AgentLogHistory
import AgentLogIngest
import AgentLogJSON
import AgentLogSync
import Foundation

/// Runs a sync for a command — `sync` itself, and every command that syncs first — and says
/// what it did, as text or as `agentlog.sync.v1`.
package enum SyncRunner {
    /// `--path` folders (Claude Code transcripts unless `--agent` names another agent), else
    /// the default folders of the chosen agents.
    package static func roots(agent: AgentChoice, paths: [String], global: GlobalOptions) -> [SyncRoot] {
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

    /// Syncs `roots` into the open `store` (the commands that sync before they answer).
    static func sync(store: AgentLogStore, roots: [SyncRoot], showProgress: Bool, global: GlobalOptions,
                     redact: Bool? = nil) throws -> SyncReport {
        var opened: AgentLogStore? = store
        return try sync(store: &opened, roots: roots, showProgress: showProgress, global: global, redact: redact)
    }

    /// Syncs `roots` into the database. With no store open yet, it first looks at the folders
    /// and the database without opening one (``SyncEngine/look(databasePath:roots:cleanupCutoff:)``):
    /// a sync with nothing to do ends there; otherwise `store` is opened (and kept for the next call).
    /// The look reads the file at `--db`'s path itself, past ``CommandContext/openStore``: a
    /// context whose opener gives a store of another file must open it first.
    static func sync(store: inout AgentLogStore?, roots: [SyncRoot], showProgress: Bool, global: GlobalOptions,
                     redact: Bool? = nil) throws -> SyncReport {
        let cleanup = ClaudeCleanup(global: global)
        let cutoff = cleanup.cutoff(now: CommandContext.current.nowMilliseconds)
        let look = store == nil ? try SyncEngine.look(databasePath: global.databasePath, roots: roots, cleanupCutoff: cutoff) : nil
        let report: SyncReport
        if let nothingToDo = look?.report {
            report = nothingToDo
        } else {
            let opened = try store ?? global.openStore()
            store = opened
            let bar = ProgressBar(enabled: showProgress && CommandContext.current.standardError.isTerminal)
            var engine = SyncEngine(store: opened)
            engine.redact = redact
            engine.cleanupCutoff = cutoff
            report = try engine.sync(roots: roots, after: look) { bar.update($0) }
            bar.finish()
        }
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
