import AgentLogHistory
import AgentLogStore
import AgentLogSync
import ArgumentParser
import Foundation

/// The `agentlog` command: a local flight recorder for AI coding agents.
public struct AgentLogCommand: ParsableCommand {
    /// The command's name, help text and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "agentlog",
        abstract: "A local flight recorder for AI coding agents: every session, message, tool call, token and dollar in one SQLite file.",
        discussion: """
            Start with `agentlog demo` to see it on sample data, then `agentlog sync` and \
            `agentlog report daily` on your own history. Everything stays on this machine.
            """,
        subcommands: [SyncCommand.self, ReportCommand.self, SessionsCommand.self, SearchCommand.self, SecretsCommand.self, ShowCommand.self, ReplayCommand.self, HookCommand.self, HooksCommand.self, EventsCommand.self,
                      AgentsCommand.self, ClaimsCommand.self, NoteCommand.self,
                      RunCommand.self, RunsCommand.self, ProjectsCommand.self,
                      ExportCommand.self, ServeCommand.self, MCPCommand.self, AuthCommand.self, LogsCommand.self,
                      StatuslineCommand.self, BudgetCommand.self, DoctorCommand.self, InstallCommand.self, UninstallCommand.self,
                      DbCommand.self, DemoCommand.self])

    /// Creates the root command; ArgumentParser calls this when it parses a command line.
    public init() {}

    /// `agentlog --db PATH report daily` means `agentlog report daily --db PATH`: global options
    /// given before the subcommand move after it (before a `--`, which ends options).
    static func movingGlobalOptions(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments
        while let first = rest.first, first.hasPrefix("--db") {
            if first == "--db", rest.count >= 2 {
                leading += rest.prefix(2)
                rest.removeFirst(2)
            } else if first.hasPrefix("--db=") {
                leading.append(first)
                rest.removeFirst()
            } else {
                break
            }
        }
        guard !leading.isEmpty else { return arguments }
        if let separator = rest.firstIndex(of: "--") {
            rest.insert(contentsOf: leading, at: separator)
        } else {
            rest += leading
        }
        return rest
    }

    /// Runs the command line and exits: 0 on success, 1 on failure, 2 on bad usage. Errors are
    /// one sentence on stderr.
    public static func runAndExit(_ arguments: [String]? = nil) async -> Never {
        let arguments = arguments ?? Array(CommandLine.arguments.dropFirst())
        var context = CommandContext.process
        context.serverArguments = arguments  // serve, mcp and auth user go on in agentlog-server
        Foundation.exit(await run(arguments, in: context))
    }

    /// ``runAndExit(_:)`` with the server half of the commands (the `agentlog-server` executable).
    package static func runAndExit(serverHalf: any ServerHalf) async -> Never {
        var context = CommandContext.process
        context.serverHalf = serverHalf
        Foundation.exit(await run(Array(CommandLine.arguments.dropFirst()), in: context))
    }

    /// Runs one command line in `context` and returns its exit status: 0 on success, 1 on
    /// failure (one sentence on the context's standard error), 2 on bad usage, or the status a
    /// command chose (`agentlog run` passes its command's on).
    public static func run(_ arguments: [String], in context: CommandContext) async -> Int32 {
        await CommandContext.$current.withValue(context) {
            do {
                var command = try parseAsRoot(movingGlobalOptions(arguments))
                if var asynchronous = command as? AsyncParsableCommand {
                    try await asynchronous.run()
                } else {
                    try command.run()
                }
                return 0
            } catch let error as CLIError {
                printError("error: \(error.description)")
            } catch let error as StoreError {
                printError("error: \(error.description)")
            } catch let error as SyncError {
                printError("error: \(error.description)")
            } catch {
                let code = exitCode(for: error)
                let message = fullMessage(for: error)
                if code == .success {
                    print(message)
                    return 0
                }
                if error is ExitCode { return code.rawValue }
                if code == .validationFailure {
                    printError(message)
                    return 2
                }
                printError("error: \(message)")
            }
            return 1
        }
    }
}
