import AgentLogIngest
import Foundation

/// `agentlog show --format markdown`: GitHub-flavoured Markdown. Tool output sits in
/// `<details>` blocks; subagent work is a block quote under the call that spawned it.
///
/// Every tool call is one line starting with `**⚙` (after the `> ` of the subagents it is
/// nested in).
public struct TranscriptMarkdown {
    /// The session and its header facts.
    public let facts: TranscriptFacts

    /// Renders the session described by `facts`.
    public init(facts: TranscriptFacts) { self.facts = facts }

    /// The whole session as Markdown; with `maxCharacters`, the turns that fit, then a line
    /// saying how many were left out.
    public func render(maxCharacters: Int? = nil) -> String {
        var out = "# " + Self.inline(facts.title) + "\n\n"
        out += "| | |\n|---|---|\n"
        for (label, value) in facts.lines { out += "| \(label) | \(Self.inline(value).replacingOccurrences(of: "|", with: "\\|")) |\n" }
        let turns = facts.transcript.turns()
        for (position, turn) in turns.enumerated() {
            let name = turn.index == 0 ? "Before the first prompt" : "Turn \(turn.index)"
            var part = "\n## \(name) · \(facts.clock(turn.startedAt))\n\n_\(TranscriptFacts.turnCost(turn))_\n\n"
            var lines: [String] = []
            for entry in turn.entries { render(entry, into: &lines) }
            part += lines.joined(separator: "\n") + "\n"
            if let maxCharacters, out.count + part.count > maxCharacters {
                return out + "\n_(\(turns.count - position) more turns not shown: the session is longer than \(maxCharacters) characters)_\n"
            }
            out += part
        }
        return out
    }

    private func render(_ entry: TranscriptEntry, into lines: inout [String]) {
        switch entry {
        case .message(let message):
            var heading = "**\(TranscriptFacts.label(message))**"
            if message.isError { heading += " ✗ error" }
            lines += [heading + " · " + facts.clock(message.timestamp), ""]
            if let thinking = message.thinking, !thinking.isEmpty {
                lines += ["<details><summary>Thinking</summary>", ""] + Self.fenced(thinking) + ["", "</details>", ""]
            }
            if let text = message.text, !text.isEmpty {
                // Prompts and replies are Markdown already; other lines are shown as written.
                lines += (message.kind == .assistant || message.kind == .prompt ? text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) : Self.fenced(text)) + [""]
            }
            if let note = TranscriptFacts.cutNote(shown: message.text, length: message.textLength) { lines += ["_(\(note))_", ""] }
        case .toolCall(let call, let subagent):
            var heading = "**⚙ \(Self.inline(call.name ?? "tool"))**"
            if call.isError == true { heading += " ✗ failed" }
            if let note = TranscriptFacts.hookNote(call.hook) { heading += " _(\(Self.inline(note)))_" }
            lines += [heading, ""]
            if let input = call.inputPreview, !input.isEmpty { lines += Self.fenced(input, language: "json") + [""] }
            if call.outputLength == nil {
                lines += ["_(no result recorded)_", ""]
            } else {
                let summary = call.isError == true ? "Error output" : "Output"
                let size = call.outputLength.map { " (\(Money.groupThousands(Int64($0))) bytes)" } ?? ""
                lines += ["<details><summary>\(summary)\(size)</summary>", ""] + Self.fenced(call.outputPreview) + ["", "</details>", ""]
            }
            if let subagent { lines += quoted(subagent) }
        case .compaction(let compaction):
            lines += ["---", "", "**\(TranscriptFacts.compactionText(compaction))** · \(facts.clock(compaction.timestamp))", "", "---", ""]
        case .subagent(let thread):
            lines += quoted(thread)
        }
    }

    private func quoted(_ thread: TranscriptThread) -> [String] {
        var inner = ["**\(Self.inline(TranscriptFacts.subagentTitle(thread)))**", ""]
        for entry in thread.entries { render(entry, into: &inner) }
        return inner.map { $0.isEmpty ? ">" : "> " + $0 } + [""]
    }

    /// A code block whose fence is longer than any run of backticks in `text`.
    static func fenced(_ text: String, language: String = "") -> [String] {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return [fence + language] + text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) + [fence]
    }

    /// One line of plain text, with Markdown's special characters escaped.
    static func inline(_ text: String) -> String {
        var out = ""
        for character in text.split(whereSeparator: \.isNewline).joined(separator: " ") {
            if "\\`*_[]<>#".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
