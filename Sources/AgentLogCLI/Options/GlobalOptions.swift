import AgentLogIngest
import AgentLogSQLite
import AgentLogSync
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// Options every command accepts.
package struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database file (default: $AGENTLOG_DB, else ~/.agentlog/agentlog.db).", valueName: "path"))
    package var db: String?

    /// Options as ArgumentParser makes them before it parses.
    package init() {}

    /// The database path: `--db`, then `$AGENTLOG_DB`, then `~/.agentlog/agentlog.db`
    /// (``DatabaseLocation``, the rule the hook follows too).
    package var databasePath: String {
        let context = CommandContext.current
        return DatabaseLocation.resolve(explicit: db, environment: { context.environment[$0] }, currentDirectory: context.currentDirectory)
    }

    var home: String { CommandContext.current.home }

    /// Claude Code's user settings file: `settings.json` in `$CLAUDE_CONFIG_DIR` (its first
    /// folder when it lists several), else in `~/.claude`. Hooks, the statusline, `install`,
    /// `doctor` and the cleanup period all read or write this one.
    var claudeUserSettings: String {
        let configured = CommandContext.current.environment["CLAUDE_CONFIG_DIR"]?.split(separator: ",").first
            .map { String($0).trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : expand($0) }
        return (configured ?? home + "/.claude") + "/settings.json"
    }

    func expand(_ path: String) -> String {
        CommandContext.current.absolute(path)
    }

    /// Opens the database, creating and migrating it as needed; `migrate: false` only looks.
    /// Hook events spooled while the database could not be written are stored first, so that
    /// every command sees them.
    package func openStore(migrate: Bool = true) throws -> AgentLogStore {
        let store = try CommandContext.current.openStore(databasePath, migrate)
        if migrate, let problem = SyncEngine(store: store).replaySpool().problem { printError("warning: \(problem)") }
        return store
    }

    /// The price table: built-in, overridden by `path`, `$AGENTLOG_PRICES` or
    /// `~/.agentlog/prices.json` when present.
    func prices(_ path: String?) throws -> PriceTable {
        let context = CommandContext.current
        return try PriceTable.forUser(explicit: path.map(expand), environment: { context.environment[$0] }, absolute: expand)
    }
}

/// Which agents a command covers.
package enum AgentChoice: String, ExpressibleByArgument, CaseIterable {
    case claude, codex, gemini, all

    var agents: [String] { self == .all ? [] : [rawValue] }
}

/// A failure the CLI reports as one sentence on stderr, exiting 1.
package struct CLIError: Error, CustomStringConvertible {
    /// The sentence printed.
    package var description: String
    /// An error that prints `description`.
    package init(_ description: String) { self.description = description }
}
