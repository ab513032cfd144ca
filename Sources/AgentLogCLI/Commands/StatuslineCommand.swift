import AgentLogJSON
import AgentLogSQLite
import AgentLogStatusline
import ArgumentParser
import Foundation

/// `agentlog statusline [show|install|uninstall]`: Claude Code's status bar.
struct StatuslineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statusline",
        abstract: "Claude Code's statusline: model, session, today's and the 5-hour block's cost, context and limits.",
        discussion: """
            Claude Code runs the statusline command after each message with a JSON payload on \
            stdin. agentlog keeps the payload (rate limits, context, Claude Code's own cost) and \
            prints one line. Costs come from the history the sync keeps, never from transcripts, \
            so the line takes a few milliseconds on any history; run `agentlog sync` (or \
            `agentlog serve --sync`) to keep it current. `agentlog statusline install` registers \
            the agentlog-statusline executable, which starts faster than this one.
            """,
        subcommands: [Show.self, Install.self, Uninstall.self],
        defaultSubcommand: Show.self)

    /// `--format TEMPLATE`, shared by show and install.
    struct FormatOption: ParsableArguments {
        @Option(name: .customLong("format"), help: ArgumentHelp(
            "The line's format: {name} placeholders, [ ] around a part left out when its placeholders are empty. Placeholders: "
                + StatuslineTemplate.placeholders.map { "{\($0.name)} \($0.meaning)" }.joined(separator: "; ") + ".",
            valueName: "template"))
        var template: String?

        func validate() throws {
            if let template { do { _ = try StatuslineTemplate(template) } catch { throw ValidationError("--format: \(error).") } }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Read a statusline payload on stdin and print the line (what Claude Code runs).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var format: FormatOption

        @Option(help: ArgumentHelp("A JSON price file that overrides built-in prices.", valueName: "file"))
        var prices: String?

        @Flag(help: "Do not keep the payload.")
        var noStore = false

        @Flag(help: "No colours (also when $NO_COLOR is set).")
        var noColor = false

        func run() throws {
            let context = CommandContext.current
            var arguments = ["--db", global.databasePath]
            if let template = format.template { arguments += ["--format", template] }
            if let prices { arguments += ["--prices", global.expand(prices)] }
            if noStore { arguments.append("--no-store") }
            if noColor { arguments.append("--no-color") }
            let runner: StatuslineRunner
            do {
                runner = try StatuslineRunner(arguments: arguments, environment: { context.environment[$0] },
                                              currentDirectory: context.currentDirectory)
            } catch {
                throw CLIError("\(error).")
            }
            let result = runner.run(input: context.readInput(), now: context.nowMilliseconds, environment: { context.environment[$0] })
            for line in result.diagnostics { printError(line) }
            print(result.line)
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Register agentlog's statusline in Claude Code's settings (other settings are kept).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: HooksCommand.ScopeOptions
        @OptionGroup var format: FormatOption

        @Flag(help: "Replace a statusline command that is not agentlog's.")
        var force = false

        func run() throws {
            var command = HooksCommand.Install.beside("agentlog-statusline", else: "statusline")
            if global.db != nil || CommandContext.current.environment[DatabaseLocation.environmentVariable].map({ !$0.isEmpty }) == true {
                command += " --db " + HooksCommand.Install.quoted(global.databasePath)
            }
            if let template = format.template { command += " --format " + HooksCommand.Install.quoted(template) }
            var refused: String?
            try options.edit(global) { settings in
                if let current = settings.statusLineCommand, !JSONSettings.isOurStatusLine(current), !force {
                    refused = current
                    return
                }
                settings.setStatusLine(command: command)
            }
            if let refused {
                throw CLIError("\(options.settingsPath(global)) already runs the statusline '\(refused)'; use --force to replace it (the file is kept once as .agentlog-backup).")
            }
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Remove agentlog's statusline and nothing else.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: HooksCommand.ScopeOptions

        func run() throws {
            try options.edit(global) { settings in
                if let current = settings.statusLineCommand, JSONSettings.isOurStatusLine(current) { settings.setStatusLine(command: nil) }
            }
        }
    }
}

extension JSONSettings {
    /// Whether a statusline command is agentlog's.
    static func isOurStatusLine(_ command: String) -> Bool { isOurs(command, executable: "agentlog-statusline", subcommand: "statusline") }

    /// The command of `statusLine`, when there is one.
    var statusLineCommand: String? {
        guard let entry = root.first(where: { $0.0 == "statusLine" })?.1 else { return nil }
        if case .string(let command)? = objectMembers(entry).first(where: { $0.0 == "command" })?.1 { return command }
        return nil
    }

    /// Sets `statusLine` to run `command` (nil removes it).
    mutating func setStatusLine(command: String?) {
        guard let command else {
            root.removeAll { $0.0 == "statusLine" }
            return
        }
        set(&root, "statusLine", .object([("type", .string("command")), ("command", .string(command)), ("padding", .int(0))]))
    }
}
