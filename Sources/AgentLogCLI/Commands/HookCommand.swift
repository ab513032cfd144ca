import AgentLogHooks
import ArgumentParser
import Foundation

/// `agentlog hook`: the Claude Code hook handler, in the main executable.
struct HookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Store one Claude Code hook payload read on stdin (what `agentlog hooks install` registers).",
        discussion: """
            Stamps the time it was received, appends it to the session's event log and updates \
            the agent registry, file claims, error log and metrics. If the database cannot be \
            written within a second, the payload is kept in a spool folder beside it and stored by \
            the next hook or sync. Exits 0 whatever happens inside, so it never breaks the agent. \
            The agentlog-hook executable does the same and starts faster; hooks use it when it is \
            installed next to agentlog.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("guard-claims"), help: ArgumentHelp("Warn (warn) or block (strict) edits of files another running agent claimed.", valueName: "warn|strict"))
    var guardClaims: String?

    @Option(help: ArgumentHelp("How recent a claim counts, in minutes.", valueName: "n"))
    var claimMinutes: Int = 30

    func run() throws {
        var runner = HookRunner(databasePath: global.databasePath)
        runner.claimGuard = guardClaims == nil ? .off : guardClaims == "strict" ? .strict : .warn
        runner.claimWindowMs = Int64(max(1, claimMinutes)) * 60_000
        let context = CommandContext.current
        let result = runner.run(payload: context.readInput())
        context.standardOutput.write(result.stdout)
        if !result.stderr.isEmpty { context.standardError.write(result.stderr + "\n") }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}
