import AgentLogStore
import AgentLogSync
import ArgumentParser
import Foundation

/// The `agentlog` command: a local flight recorder for AI coding agents.
public struct AgentLogCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "agentlog",
        abstract: "A local flight recorder for AI coding agents: every session, message, tool call, token and dollar in one SQLite file.",
        discussion: """
            Start with `agentlog demo` to see it on sample data, then `agentlog sync` and
            `agentlog report daily` on your own history. Everything stays on this machine.
            """,
        subcommands: [SyncCommand.self, ReportCommand.self, SessionsCommand.self, ExportCommand.self,
                      DbCommand.self, DemoCommand.self])

    public init() {}

    /// Runs the command line and exits: 0 on success, 1 on failure, 2 on bad usage. Errors are
    /// one sentence on stderr.
    public static func runAndExit(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch let error as CLIError {
            printError("error: \(error.description)")
            Foundation.exit(1)
        } catch let error as StoreError {
            printError("error: \(error.description)")
            Foundation.exit(1)
        } catch let error as SyncError {
            printError("error: \(error.description)")
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = fullMessage(for: error)
            if error is ExitCode {
                Foundation.exit(code.rawValue)
            }
            if code == .validationFailure {
                printError(message)
                Foundation.exit(2)
            }
            printError("error: \(message)")
            Foundation.exit(1)
        }
    }
}
