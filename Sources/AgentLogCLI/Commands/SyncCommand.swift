import AgentLogJSON
import AgentLogHooks
import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import AgentLogSync
import ArgumentParser
import Foundation

/// `agentlog sync`: incremental ingest of agents' transcript folders.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Read what is new in the agents' transcript folders into the database.",
        discussion: """
            Only appended bytes are read; a file that shrank or was replaced is read again without \
            duplicating anything. Claude Code roots: ~/.claude/projects and projects/ in each folder \
            of $CLAUDE_CONFIG_DIR (comma-separated). Codex CLI roots: sessions/ and archived_sessions/ \
            in $CODEX_HOME (default ~/.codex). Gemini CLI root: ~/.gemini/tmp (session-*.json documents, \
            re-read whole when rewritten, and session-*.jsonl logs). Bad lines are counted and listed with file and line \
            number; they never stop a sync.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Which agent's history to read.")
    var agent: AgentChoice = .all

    @Option(name: .customLong("path"), help: ArgumentHelp("A folder of transcripts to read instead of the default roots (repeatable); they are Claude Code's unless --agent names another agent.", valueName: "dir"))
    var paths: [String] = []

    @Flag(help: "Keep running and sync again whenever files change (polls every --interval seconds).")
    var watch = false

    @Option(help: "Seconds between syncs with --watch.")
    var interval: Double = 2

    @OptionGroup var output: OutputOptions
    var format: OutputFormat { output.format }

    @Flag(name: .shortAndLong, help: "Print nothing on success (errors still go to stderr).")
    var quiet = false

    @Flag(help: "Store this sync's text as it is, secrets and all (new databases mask keys, tokens and passwords; `agentlog db redact --off` turns that off for good).")
    var noRedact = false

    func validate() throws {
        try output.require([.text, .json], command: "sync")
        if interval <= 0 { throw ValidationError("--interval must be a positive number of seconds.") }
    }

    func run() throws {
        // The store is opened only when there is something to write (most syncs find nothing).
        var store: AgentLogStore?
        let roots = SyncRunner.roots(agent: agent, paths: paths, global: global)
        repeat {
            let report = try SyncRunner.sync(store: &store, roots: roots, showProgress: !quiet, global: global, redact: noRedact ? false : nil)
            if !quiet { print(format == .json ? (try JSONOutput.document(report)).text() : SyncRunner.text(report)) }
            if watch { Thread.sleep(forTimeInterval: interval) }
        } while watch
    }
}
