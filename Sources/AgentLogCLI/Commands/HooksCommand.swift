import AgentLogSQLite
import AgentLogHooks
import ArgumentParser
import Foundation

/// `agentlog hooks install|uninstall|status`: agentlog's entries in Claude Code's settings.
struct HooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "Register agentlog's hook with Claude Code, or remove it.",
        subcommands: [Install.self, Uninstall.self])

    /// Which settings file.
    enum Scope: String, ExpressibleByArgument, CaseIterable {
        case user, project, local
    }

    struct ScopeOptions: ParsableArguments {
        @Option(help: "user: ~/.claude/settings.json; project: .claude/settings.json here; local: .claude/settings.local.json here.")
        var scope: Scope = .user

        @Flag(help: "Print the change as a diff and write nothing.")
        var dryRun = false

        func settingsPath(_ global: GlobalOptions) -> String {
            switch scope {
            case .user: global.claudeUserSettings
            case .project: CommandContext.current.currentDirectory + "/.claude/settings.json"
            case .local: CommandContext.current.currentDirectory + "/.claude/settings.local.json"
            }
        }

        /// Reads the settings, applies `change`, and writes them back (or prints the diff).
        func edit(_ global: GlobalOptions, _ change: (inout JSONSettings) -> Void) throws {
            try SettingsFile.editJSON(settingsPath(global), dryRun: dryRun, change)
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Add agentlog's hook for every Claude Code event (idempotent; other hooks and settings are kept).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ScopeOptions

        @Flag(help: "Warn an agent (in additionalContext) before it edits a file another running agent of the project edited recently.")
        var guardClaims = false

        @Flag(help: "With --guard-claims: block such an edit instead (exit 2, the reason on stderr).")
        var strict = false

        @Option(help: ArgumentHelp("With --guard-claims: how recent a claim counts, in minutes.", valueName: "n"))
        var claimMinutes: Int = 30

        func validate() throws {
            if strict && !guardClaims { throw ValidationError("--strict only applies with --guard-claims.") }
            if claimMinutes < 1 { throw ValidationError("--claim-minutes must be at least 1.") }
        }

        func run() throws {
            var command = Self.hookExecutable()
            if global.db != nil || CommandContext.current.environment[DatabaseLocation.environmentVariable].map({ !$0.isEmpty }) == true {
                command += " --db " + Self.quoted(global.databasePath)
            }
            if guardClaims {
                command += strict ? " --guard-claims=strict" : " --guard-claims=warn"
                if claimMinutes != 30 { command += " --claim-minutes \(claimMinutes)" }
            }
            try options.edit(global) { $0.install(command: command) }
        }

        /// `agentlog-hook` beside this executable when it is there (it starts faster), else
        /// `agentlog hook`.
        static func hookExecutable() -> String { beside("agentlog-hook", else: "hook") }

        /// The executable `name` to register (``Executables/toRegister(_:)``), else this executable
        /// with the subcommand `fallback`; quoted for a shell.
        static func beside(_ name: String, else fallback: String) -> String {
            Executables.toRegister(name).map(quoted) ?? quoted(Executables.current.path) + " " + fallback
        }

        static func quoted(_ path: String) -> String {
            path.allSatisfy({ $0.isLetter || $0.isNumber || "/._-~".contains($0) }) ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove agentlog's hook entries and nothing else.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ScopeOptions

        func run() throws {
            try options.edit(global) { $0.uninstall() }
        }
    }
}
