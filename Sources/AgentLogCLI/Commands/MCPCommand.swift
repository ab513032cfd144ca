import AgentLogDatabase
import AgentLogMCP
import AgentLogSQLite
import ArgumentParser
import Foundation

/// `agentlog mcp`: the MCP server over stdio, and its registration with the agents.
struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Let agents read their history and coordinate through the Model Context Protocol.",
        discussion: """
            `agentlog mcp` is an MCP server on standard input and output, started by the agent \
            (register it with `agentlog mcp install`). Tools: search, list_sessions, get_session, \
            get_usage, get_tool_calls, recent_edits, get_failed_paths, get_open_errors, list_agents, \
            get_claims, list_runs, check_claims; and, unless --read-only, note_failed_path, \
            claim_files, release_files, note_verdict. Resources: agentlog://session/{id} (Markdown) \
            and agentlog://usage/today. `agentlog serve` offers the same at /mcp (Streamable HTTP).
            """,
        subcommands: [Serve.self, Install.self, Uninstall.self],
        defaultSubcommand: Serve.self)

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve", abstract: "Serve MCP on standard input and output (what `agentlog mcp` runs).")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Offer only the tools that read; no claims, notes or verdicts.")
        var readOnly = false

        func run() async throws {
            let context = CommandContext.current
            let store = try global.openStore()
            let session = ToolContext.defaultSession(environment: context.environment, processId: getpid())
            let service = MCPService(context: ToolContext(store: store, workingDirectory: context.currentDirectory,
                                                          defaultSession: session, readOnly: readOnly))
            try await service.runStdio()
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
            func configured(_ variable: String, _ fallback: String) -> String {
                environment[variable].flatMap { $0.isEmpty ? nil : global.expand($0) } ?? global.home + "/" + fallback
            }
            if includes(.claude) {
                // ~/.claude.json (or $CLAUDE_CONFIG_DIR/.claude.json), where `claude mcp add --scope user` writes.
                let path = scope == .user ? configured("CLAUDE_CONFIG_DIR", ".") + "/.claude.json" : context.currentDirectory + "/.mcp.json"
                try editJSON(path) { settings in
                    if let command { settings.setMCPServer(MCPRegistration.name, MCPRegistration.claudeEntry(command: command, arguments: arguments)) } else { settings.removeMCPServer(MCPRegistration.name) }
                }
            }
            if includes(.gemini) {
                let path = scope == .user ? global.home + "/.gemini/settings.json" : context.currentDirectory + "/.gemini/settings.json"
                try editJSON(path) { settings in
                    if let command { settings.setMCPServer(MCPRegistration.name, MCPRegistration.geminiEntry(command: command, arguments: arguments)) } else { settings.removeMCPServer(MCPRegistration.name) }
                }
            }
            if includes(.codex) {
                let path = configured("CODEX_HOME", ".codex") + "/config.toml"
                if scope == .project { print("Codex reads MCP servers from its user file only: \(path).") }
                try SettingsFile.edit(path, dryRun: dryRun) { text in
                    if text == nil && command == nil { return "" }
                    return MCPRegistration.codexConfig(text, command: command, arguments: arguments)
                }
            }
        }

        private func editJSON(_ path: String, _ change: (inout JSONSettings) -> Void) throws {
            try SettingsFile.edit(path, dryRun: dryRun) { existing in
                var settings = try existing.map { try JSONSettings(bytes: Array($0.utf8), path: path) } ?? JSONSettings()
                change(&settings)
                return settings.root.isEmpty && existing == nil ? "" : settings.text
            } normalize: { existing in
                try JSONSettings(bytes: Array(existing.utf8), path: path).text
            }
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
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
            try options.apply(global, command: Self.executable(), arguments: arguments)
        }

        /// This executable, symbolic links resolved.
        static func executable() -> String {
            URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath().path
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove agentlog's MCP server entry and nothing else.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: RegistrationOptions

        func run() throws {
            try options.apply(global, command: nil, arguments: [])
        }
    }
}
