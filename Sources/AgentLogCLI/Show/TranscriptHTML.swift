import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import Foundation

/// `agentlog show --format html`: one self-contained page (inline CSS, no script, nothing
/// fetched) with collapsible tool output, thinking and subagent work. All transcript text is
/// escaped.
///
/// Every tool call is one `<details class="tool…">` element.
struct TranscriptHTML {
    let facts: TranscriptFacts

    func render() -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(facts.title)) · agentlog</title>
            <style>\(Self.css)</style></head><body>
            <header><h1>\(Self.escape(facts.title))</h1><table class="facts">

            """
        for (label, value) in facts.lines {
            out += "<tr><th>\(Self.escape(label))</th><td>\(Self.escape(value))</td></tr>\n"
        }
        out += "</table></header>\n<main>\n"
        for turn in facts.transcript.turns() {
            let name = turn.index == 0 ? "Before the first prompt" : "Turn \(turn.index)"
            out += "<section class=\"turn\(turn.hasError ? " has-error" : "")\" id=\"turn-\(turn.index)\">"
            out += "<h2><a href=\"#turn-\(turn.index)\">\(name)</a> <span class=\"time\">\(facts.clock(turn.startedAt))</span>"
            out += " <span class=\"cost\">\(Self.escape(TranscriptFacts.turnCost(turn)))</span></h2>\n"
            for entry in turn.entries { render(entry, into: &out) }
            out += "</section>\n"
        }
        out += "</main>\n<footer>Rendered by agentlog from its database.</footer>\n</body></html>\n"
        return out
    }

    private func render(_ entry: TranscriptEntry, into out: inout String) {
        switch entry {
        case .message(let message):
            out += "<div class=\"msg \(message.kind.rawValue)\(message.isError ? " error" : "")\">"
            out += "<div class=\"who\">\(Self.escape(TranscriptFacts.label(message)))"
            if message.isError { out += " <span class=\"bad\">✗ error</span>" }
            out += " <span class=\"time\">\(facts.clock(message.timestamp))</span></div>\n"
            if let thinking = message.thinking, !thinking.isEmpty {
                out += "<details class=\"thinking\"><summary>Thinking</summary><pre>\(Self.escape(thinking))</pre></details>\n"
            }
            if let text = message.text, !text.isEmpty { out += "<pre class=\"text\">\(Self.escape(text))</pre>\n" }
            if let note = TranscriptFacts.cutNote(shown: message.text, length: message.textLength) {
                out += "<p class=\"note\">(\(Self.escape(note)))</p>\n"
            }
            out += "</div>\n"
        case .toolCall(let call, let subagent):
            let failed = call.isError == true
            out += "<details class=\"tool\(failed ? " error" : "")\"\(failed ? " open" : "")><summary>⚙ <b>\(Self.escape(call.name ?? "tool"))</b>"
            if failed { out += " <span class=\"bad\">✗ failed</span>" }
            if let note = TranscriptFacts.hookNote(call.hook) { out += " <small>(\(Self.escape(note)))</small>" }
            if let input = call.inputPreview { out += " <code>\(Self.escape(input.clipped(160)))</code>" }
            out += "</summary>\n"
            if let input = call.inputPreview, !input.isEmpty { out += "<div class=\"label\">Input</div><pre>\(Self.escape(input))</pre>\n" }
            if call.outputLength == nil {
                out += "<p class=\"note\">(no result recorded)</p>\n"
            } else {
                out += "<div class=\"label\">Output</div><pre class=\"out\">\(Self.escape(call.outputPreview))</pre>\n"
                if let note = TranscriptFacts.cutNote(shown: call.outputPreview, length: call.outputLength) {
                    out += "<p class=\"note\">(\(Self.escape(note)))</p>\n"
                }
            }
            out += "</details>\n"
            if let subagent { render(subagent, into: &out) }
        case .compaction(let compaction):
            out += "<div class=\"compaction\">\(Self.escape(TranscriptFacts.compactionText(compaction))) "
            out += "<span class=\"time\">\(facts.clock(compaction.timestamp))</span></div>\n"
        case .subagent(let thread):
            render(thread, into: &out)
        }
    }

    private func render(_ thread: TranscriptThread, into out: inout String) {
        out += "<details class=\"subagent\"><summary>\(Self.escape(TranscriptFacts.subagentTitle(thread)))</summary>\n"
        for entry in thread.entries { render(entry, into: &out) }
        out += "</details>\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static let css = """
        body{font:14px/1.45 -apple-system,system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1d1d1f;background:#fff}
        h1{font-size:1.4em}h2{font-size:1.05em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
        h2 a{color:inherit;text-decoration:none}.time,.cost,.note,footer{color:#777;font-weight:normal;font-size:.9em}
        table.facts th{text-align:left;padding-right:1em;color:#555;font-weight:600}
        pre{white-space:pre-wrap;word-wrap:break-word;margin:.3em 0;font:12.5px/1.4 ui-monospace,Menlo,monospace}
        .msg{margin:.8em 0}.who{font-weight:600}.prompt .who{color:#1a7f37}.assistant .who{color:#0550ae}
        .prompt pre.text,.assistant pre.text{font:inherit;white-space:pre-wrap}
        .system,.meta,.user{color:#666}.compact_summary{background:#f6f0ff;padding:.4em .6em;border-radius:6px}
        details{margin:.3em 0}details.tool{border-left:3px solid #d4a72c;padding-left:.6em}
        details.tool.error{border-color:#cf222e}.bad{color:#cf222e;font-weight:600}
        details.tool summary code{color:#666;font-size:.9em}.label{font-size:.8em;color:#888;text-transform:uppercase}
        pre.out{background:#f6f8fa;padding:.4em;border-radius:4px;max-height:30em;overflow:auto}
        details.subagent{border-left:3px solid #8250df;padding-left:.8em;margin-left:.4em}
        details.subagent>summary{color:#8250df;font-weight:600}details.thinking summary{color:#8250df}
        .compaction{text-align:center;color:#8250df;border-top:2px dashed #c8b6f0;border-bottom:2px dashed #c8b6f0;margin:1.2em 0;padding:.3em}
        @media (prefers-color-scheme:dark){body{background:#161618;color:#e6e6e6}pre.out{background:#222}
        .prompt .who{color:#56d364}.assistant .who{color:#79c0ff}}
        """
}
