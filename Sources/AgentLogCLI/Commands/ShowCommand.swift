import AgentLogJSON
import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// How `show` writes a session.
enum ShowFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, html, json
}

/// `agentlog show SESSION`: one session, rebuilt from the database alone.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a session: its header, then the whole conversation with tool calls, subagents and compactions.",
        discussion: """
            Rebuilt from the database alone, so it works after the agent deleted its transcript. \
            Each turn (a prompt and what followed) is headed by its tokens and cost and the running \
            totals. Texts are the stored previews (32 KB per message, 1 KB per tool input or output); \
            `agentlog export SESSION --raw` gives the original files.

            Formats: text (coloured on a terminal), markdown, html (one self-contained page with \
            collapsible tool output; use --output page.html) and json (agentlog.session.v1).
            """)

    @Argument(help: "The session id, or an unambiguous prefix of it (see `agentlog sessions`).")
    var session: String

    @OptionGroup var global: GlobalOptions

    @Option(help: "Output format: text, markdown, html or json (agentlog.session.v1).")
    var format: ShowFormat = .text

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"))
    var output: String?

    @OptionGroup var zoneOption: TimeZoneOption
    var timezone: String? { zoneOption.timezone }

    @Flag(help: "Sync the agents' folders first (by default the database is shown as it is).")
    var sync = false

    @OptionGroup var pricing: PricesOption

    func validate() throws {
        if session.isEmpty { throw ValidationError("Give a session id or a prefix of one.") }
        _ = try TimeZoneOption.zone(named: timezone)
    }

    func run() throws {
        let store = try global.openStore()
        if sync {
            _ = try SyncRunner.sync(store: store, roots: SyncRunner.roots(agent: .all, paths: [], global: global), showProgress: true, global: global)
        }
        let transcript = try store.transcript(of: store.resolveSession(session), prices: pricing.table(global))
        let facts = TranscriptFacts(transcript: transcript, zone: try TimeZoneOption.zone(named: timezone))
        let style = output == nil ? TextStyle.forStandardOutput : TextStyle(enabled: false)
        let rendered = switch format {
        case .text: Data(TranscriptText(facts: facts, style: style).render().utf8)
        case .markdown: Data(TranscriptMarkdown(facts: facts).render().utf8)
        case .html: Data(TranscriptHTML(facts: facts).render().utf8)
        case .json: Data(try JSONOutput.document(transcript).utf8(capacity: 1 << 20) + [0x0A])
        }
        guard let output else {
            CommandContext.current.standardOutput.write(Array(rendered))
            return
        }
        let path = global.expand(output)
        do {
            try rendered.write(to: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("Cannot write \(path): \(error.localizedDescription)")
        }
        printError("Wrote \(path) (\(rendered.count) bytes).")
    }

}
