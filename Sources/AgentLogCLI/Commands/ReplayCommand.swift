import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog replay SESSION`: step through a session turn by turn.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Step through a session turn by turn, with the running tokens and cost at each step.",
        discussion: """
            A turn is a prompt and everything up to the next one: replies, tool calls and their \
            results, subagent work, compactions. Each turn is headed by what it cost and what the \
            session had cost so far.

            On a terminal, keys move: n, space, → or Enter for the next turn; p, ← or b for the \
            previous one; e and E for the next and previous turn with an error; f and l for the \
            first and last; a number then Enter to go to that turn; q or Esc to quit.

            When standard input is not a terminal, each line of it is one of those commands \
            (a number jumps), so replays can be scripted: printf 'e\\ne\\n' | agentlog replay ID. \
            --turn N prints one turn and exits.
            """)

    @Argument(help: "The session id, or an unambiguous prefix of it (see `agentlog sessions`).")
    var session: String

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Start at this turn (1 is the first prompt, 0 what came before it).", valueName: "n"))
    var turn: Int?

    @Flag(help: "Print the starting turn and exit, without reading keys.")
    var once = false

    @OptionGroup var zoneOption: TimeZoneOption
    var timezone: String? { zoneOption.timezone }

    @OptionGroup var pricing: PricesOption

    func validate() throws {
        if session.isEmpty { throw ValidationError("Give a session id or a prefix of one.") }
        if let turn, turn < 0 { throw ValidationError("--turn must be 0 or more.") }
        _ = try TimeZoneOption.zone(named: timezone)
    }

    func run() throws {
        let store = try global.openStore()
        let transcript = try store.transcript(of: store.resolveSession(session), prices: pricing.table(global))
        let turns = transcript.turns()
        guard !turns.isEmpty else { throw CLIError("The session \(transcript.summary.sessionId) has no messages to replay.") }
        if let turn, !turns.contains(where: { $0.index == turn }) {
            throw ValidationError("--turn \(turn): this session's turns go from \(turns[0].index) to \(turns[turns.count - 1].index).")
        }
        let facts = TranscriptFacts(transcript: transcript, zone: try TimeZoneOption.zone(named: timezone))
        var navigator = ReplayNavigator(turns: turns, startingAt: turn)
        if once {
            print(screen(navigator, facts, style: .forStandardOutput), terminator: "")
        } else if CommandContext.current.standardOutput.isTerminal, let keys = TerminalKeys() {
            defer { keys.restore() }
            interactive(&navigator, facts, keys)
        } else {
            scripted(&navigator, facts)
        }
    }

    /// One turn as shown: where it is in the session, then the turn itself.
    private func screen(_ navigator: ReplayNavigator, _ facts: TranscriptFacts, style: TextStyle) -> String {
        let summary = facts.summary
        let heading = "\(summary.sessionId.prefix(8)) · \(facts.title.clipped(70)) · turn \(navigator.place)"
        return style.bold(heading) + "\n" + TranscriptText(facts: facts, style: style).render(navigator.current)
    }

    /// Commands from lines of standard input; each move prints the turn reached.
    private func scripted(_ navigator: inout ReplayNavigator, _ facts: TranscriptFacts) {
        let style = TextStyle.forStandardOutput
        print(screen(navigator, facts, style: style), terminator: "")
        let context = CommandContext.current
        while let line = context.readLine() {
            guard let command = ReplayNavigator.command(line) else {
                print("Unknown command '\(line)'.\n" + ReplayNavigator.help)
                continue
            }
            if command == .quit { return }
            if command == .help {
                print(ReplayNavigator.help)
                continue
            }
            if let refusal = navigator.apply(command) {
                print(refusal)
            } else {
                print("\n" + screen(navigator, facts, style: style), terminator: "")
            }
        }
    }

    /// Keys from the terminal; each move redraws the screen.
    private func interactive(_ navigator: inout ReplayNavigator, _ facts: TranscriptFacts, _ keys: TerminalKeys) {
        let style = TextStyle(enabled: CommandContext.current.environment["NO_COLOR"] == nil)
        var message: String?
        var typed = ""
        while true {
            if typed.isEmpty {
                var page = "\u{1B}[2J\u{1B}[H" + screen(navigator, facts, style: style)
                page += "\n" + style.dim(message ?? "n/→ next · p/← previous · e/E next/previous error · number+Enter go to · ? help · q quit") + "\n"
                CommandContext.current.standardOutput.write(page)
                message = nil
            }
            guard let key = keys.next() else { return }
            var command: ReplayNavigator.Command?
            switch key {
            case .character(let character) where character.isNumber:
                typed.append(character)
                CommandContext.current.standardOutput.write("\rGo to turn: \(typed)")
                continue
            case .backspace where !typed.isEmpty:
                typed.removeLast()
                CommandContext.current.standardOutput.write("\r\u{1B}[KGo to turn: \(typed)")
                continue
            case .enter where !typed.isEmpty:
                command = Int(typed).map { .jump($0) }
                typed = ""
            case .escape, .interrupt: return
            case .right, .down, .enter: command = .next
            case .left, .up: command = .previous
            case .character(let character): command = ReplayNavigator.command(String(character))
            case .backspace: command = .previous
            }
            typed = ""
            guard let command else {
                message = "Unknown key; press ? for help."
                continue
            }
            switch command {
            case .quit: return
            case .help: message = ReplayNavigator.help
            default: message = navigator.apply(command)
            }
        }
    }
}
