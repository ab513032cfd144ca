import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import Foundation

/// Terminal colours, or nothing when output is not a terminal (or `NO_COLOR` is set).
struct TextStyle {
    var enabled: Bool

    /// Colour when standard output is a terminal and `NO_COLOR` is not set.
    static var forStandardOutput: TextStyle {
        TextStyle(enabled: CommandContext.current.colorsOutput)
    }

    private func wrap(_ text: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func bold(_ text: String) -> String { wrap(text, "1") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func red(_ text: String) -> String { wrap(text, "31") }
    func green(_ text: String) -> String { wrap(text, "32") }
    func yellow(_ text: String) -> String { wrap(text, "33") }
    func blue(_ text: String) -> String { wrap(text, "34") }
    func magenta(_ text: String) -> String { wrap(text, "35") }
    func cyan(_ text: String) -> String { wrap(text, "36") }
}

/// `agentlog show --format text` and the turns `agentlog replay` steps through.
///
/// Every tool call is one line starting with `⚙` (after the indentation and `┃` bars of the
/// subagents it is nested in); its output lines start with `│`.
struct TranscriptText {
    let facts: TranscriptFacts
    let style: TextStyle
    /// Lines of tool output shown (the preview holds more).
    var outputLines = 8
    /// Characters of a tool's input shown.
    var inputCharacters = 400

    func render() -> String {
        var out = header()
        for turn in facts.transcript.turns() {
            out += "\n" + render(turn)
        }
        return out
    }

    func header() -> String {
        let width = facts.lines.map(\.0.count).max() ?? 0
        var out = style.bold(facts.title) + "\n"
        for (label, value) in facts.lines {
            out += style.dim(label.padding(toLength: width, withPad: " ", startingAt: 0)) + "  " + value + "\n"
        }
        return out
    }

    /// A turn: its heading with the running cost, then its entries.
    func render(_ turn: TranscriptTurn) -> String {
        let name = turn.index == 0 ? "Before the first prompt" : "Turn \(turn.index)"
        var out = style.cyan("── \(name) · \(facts.clock(turn.startedAt)) · \(TranscriptFacts.turnCost(turn))") + "\n"
        for entry in turn.entries { render(entry, indent: "", into: &out) }
        return out
    }

    private func render(_ entry: TranscriptEntry, indent: String, into out: inout String) {
        switch entry {
        case .message(let message):
            let label = TranscriptFacts.label(message)
            let styled: String = switch message.kind {
            case .prompt: style.bold(style.green("▶ " + label))
            case .assistant: style.bold(style.blue("◀ " + label))
            case .compactSummary: style.magenta("◆ " + label)
            case .user, .system, .meta: style.dim("· " + label)
            }
            out += indent + styled + (message.isError ? " " + style.red("✗ error") : "") + "  " + style.dim(facts.clock(message.timestamp)) + "\n"
            if let thinking = message.thinking, !thinking.isEmpty {
                out += block(thinking, indent: indent + "  ", transform: { style.dim(style.magenta("thinking: ")) + style.dim($0) })
            }
            if let text = message.text, !text.isEmpty {
                let body = message.kind == .meta || message.kind == .system || message.kind == .compactSummary ? style.dim(text) : text
                out += block(body, indent: indent + "  ")
            }
            if let note = TranscriptFacts.cutNote(shown: message.text, length: message.textLength) {
                out += indent + "  " + style.dim("(\(note))") + "\n"
            }
        case .toolCall(let call, let subagent):
            let failed = call.isError == true
            var line = indent + (failed ? style.red("⚙ ") : style.yellow("⚙ ")) + style.bold(call.name ?? "tool")
            if failed { line += " " + style.red("✗ failed") }
            if let note = TranscriptFacts.hookNote(call.hook) { line += " " + style.dim("(\(note))") }
            if let input = call.inputPreview, !input.isEmpty { line += "  " + style.dim(input.clipped(inputCharacters)) }
            out += line + "\n"
            render(output: call, indent: indent + "  ", into: &out)
            if let subagent { render(subagent, indent: indent + "  ", into: &out) }
        case .compaction(let compaction):
            out += indent + style.magenta("═══ \(TranscriptFacts.compactionText(compaction)) ═══") + "  " + style.dim(facts.clock(compaction.timestamp)) + "\n"
        case .subagent(let thread):
            render(thread, indent: indent, into: &out)
        }
    }

    private func render(output call: ToolCallSummary, indent: String, into out: inout String) {
        guard call.outputLength != nil else {
            out += indent + style.dim("│ (no result recorded)") + "\n"
            return
        }
        let lines = call.outputPreview.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines.prefix(outputLines) {
            let text = "│ " + String(line).clipped(200)
            out += indent + (call.isError == true ? style.red(text) : style.dim(text)) + "\n"
        }
        var more: [String] = []
        if lines.count > outputLines { more.append("\(lines.count - outputLines) more lines") }
        if let note = TranscriptFacts.cutNote(shown: call.outputPreview, length: call.outputLength) { more.append(note) }
        if !more.isEmpty { out += indent + style.dim("│ … " + more.joined(separator: "; ")) + "\n" }
    }

    private func render(_ thread: TranscriptThread, indent: String, into out: inout String) {
        out += indent + style.magenta("┏ " + TranscriptFacts.subagentTitle(thread)) + "\n"
        let nested = indent + style.magenta("┃") + " "
        for entry in thread.entries { render(entry, indent: nested, into: &out) }
        out += indent + style.magenta("┗") + "\n"
    }

    /// `text` line by line, each line indented.
    private func block(_ text: String, indent: String, transform: ((String) -> String)? = nil) -> String {
        var out = ""
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(line)
            out += indent + (index == 0 ? (transform?(line) ?? line) : (transform == nil ? line : style.dim(line))) + "\n"
        }
        return out
    }
}
