import AgentLogDatabase
import AgentLogSQLite
import AgentLogSync
import ArgumentParser
import Foundation

/// `agentlog mcp`: the MCP server over stdio, and its registration with the agents.
package struct MCPCommand: ParsableCommand {
    /// The command's name, help text and subcommands.
    package static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Let agents read their history and coordinate through the Model Context Protocol.",
        discussion: """
            `agentlog mcp` is an MCP server on standard input and output, started by the agent \
            (register it with `agentlog mcp install`). Tools: search, list_sessions, get_session, \
            get_usage, get_tool_calls, recent_edits, get_failed_paths, get_open_errors, list_agents, \
            get_claims, list_runs, check_claims; and, unless --read-only, note_failed_path, \
            claim_files, release_files, note_verdict. Resources: agentlog://session/{id} (Markdown) \
            and agentlog://usage/today. `agentlog serve` offers the same at /mcp (Streamable HTTP). \
            `agentlog mcp --read-only` offers the reading tools only; `agentlog mcp serve --help` \
            lists the server's options.
            """,
        subcommands: [Serve.self, Install.self, Uninstall.self],
        defaultSubcommand: Serve.self)

    /// Creates the command group; ArgumentParser calls this when it parses a command line.
    package init() {}

    /// `agentlog mcp serve`, run by `agentlog-server` (see ``ServerHalf``).
    package struct Serve: AsyncParsableCommand {
        /// The command's name, help text and subcommands.
        package static let configuration = CommandConfiguration(
            commandName: "serve", abstract: "Serve MCP on standard input and output (what `agentlog mcp` runs).")

        @OptionGroup package var global: GlobalOptions

        @Flag(help: "Offer only the tools that read; no claims, notes or verdicts.")
        package var readOnly = false

        @Flag(help: "Answer from the database as it is, without the sync of every agent's transcripts at start.")
        package var noSync = false

        /// Creates the command; ArgumentParser calls this when it parses a command line.
        package init() {}

        /// Serves MCP (in `agentlog-server`).
        package func run() async throws {
            try await ServerExecutable.half().serveMCP(self)
        }
    }

    /// Which agents to register with.
    enum Agent: String, ExpressibleByArgument, CaseIterable {
        case claude, codex, gemini, all
    }

    /// Which configuration files.
    enum Scope: String, ExpressibleByArgument, CaseIterable {
        case user, project
    }

    struct RegistrationOptions: ParsableArguments {
        @Option(help: "claude, codex, gemini or all.")
        var agent: Agent = .all

        @Option(help: "user: ~/.claude.json, ~/.codex/config.toml, ~/.gemini/settings.json; project: .mcp.json and .gemini/settings.json here (Codex has only its user file).")
        var scope: Scope = .user

        @Flag(help: "Print the changes as diffs and write nothing.")
        var dryRun = false

        func includes(_ agent: Agent) -> Bool { self.agent == .all || self.agent == agent }

        /// Sets agentlog's entry to `command` and `arguments` in each chosen agent's file, or
        /// removes it when `command` is nil.
        func apply(_ global: GlobalOptions, command: String?, arguments: [String]) throws {
            let context = CommandContext.current
            let environment = context.environment
            /// The folder `$variable` names, or `fallback` under the home folder.
            func folder(_ variable: String, else fallback: String) -> String {
                environment[variable].flatMap { $0.isEmpty ? nil : global.expand($0) } ?? global.home + fallback
            }
            if includes(.claude) {
                // ~/.claude.json (or $CLAUDE_CONFIG_DIR/.claude.json), where `claude mcp add --scope user` writes.
                let path = scope == .user ? folder("CLAUDE_CONFIG_DIR", else: "") + "/.claude.json" : context.currentDirectory + "/.mcp.json"
                try SettingsFile.editJSON(path, dryRun: dryRun) {
                    $0.setMCPServer(MCPRegistration.name, command.map { MCPRegistration.claudeEntry(command: $0, arguments: arguments) })
                }
            }
            if includes(.gemini) {
                let path = (scope == .user ? global.home : context.currentDirectory) + "/.gemini/settings.json"
                try SettingsFile.editJSON(path, dryRun: dryRun) {
                    $0.setMCPServer(MCPRegistration.name, command.map { MCPRegistration.geminiEntry(command: $0, arguments: arguments) })
                }
            }
            if includes(.codex) {
                let path = folder("CODEX_HOME", else: "/.codex") + "/config.toml"
                if scope == .project { print("Codex reads MCP servers from its user file only: \(path).") }
                try SettingsFile.edit(path, dryRun: dryRun) { MCPRegistration.codexConfig($0, command: command, arguments: arguments) }
            }
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Register `agentlog mcp` with Claude Code, Codex and Gemini CLI (idempotent; other servers and settings are kept).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: RegistrationOptions

        @Flag(help: "Register the server with --read-only: agents can read but not claim or note.")
        var readOnly = false

        func run() throws {
            var arguments = ["mcp"]
            if global.db != nil || CommandContext.current.environment[DatabaseLocation.environmentVariable].map({ !$0.isEmpty }) == true {
                arguments += ["--db", global.databasePath]
            }
            if readOnly { arguments.append("--read-only") }
            let executable = Self.executable()
            try options.apply(global, command: executable, arguments: arguments)
            // `agentlog mcp` runs agentlog-server from its folder: say so now, not at the agent's start.
            let folder = URL(fileURLWithPath: executable).deletingLastPathComponent().path
            if !FileManager.default.isExecutableFile(atPath: folder + "/" + ServerExecutable.name) {
                printError("warning: \(ServerExecutable.name) is not beside \(executable), and `agentlog mcp` runs it; "
                           + "`swift run -c release agentlog install` puts both in ~/.local/bin.")
            }
        }

        /// The agentlog to register: an installed one when this runs from a build folder, else this
        /// executable, symbolic links resolved (``Executables/toRegister(_:)``).
        static func executable() -> String { Executables.toRegister("agentlog") ?? Executables.current.path }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove agentlog's MCP server entry and nothing else.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: RegistrationOptions

        func run() throws {
            try options.apply(global, command: nil, arguments: [])
        }
    }
}
