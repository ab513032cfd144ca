import AgentLogIngest
import Foundation

/// The header facts every format of `show` prints, worded once.
public struct TranscriptFacts {
    /// The session.
    public let transcript: SessionTranscript
    /// The zone times are shown in.
    public let zone: TimeZone

    /// The facts of `transcript`, times shown in `zone`.
    public init(transcript: SessionTranscript, zone: TimeZone) {
        self.transcript = transcript
        self.zone = zone
    }

    /// The session's summary row.
    public var summary: SessionSummary { transcript.summary }

    /// The title, cut to 120 characters, or "(untitled)".
    public var title: String { summary.title.map { $0.clipped(120) } ?? "(untitled)" }

    /// The cost, with what could not be priced.
    public var cost: String {
        summary.unpricedModels.isEmpty ? Money.dollars(micros: summary.costMicros)
            : summary.costPico == 0 ? "unknown (no price for \(summary.unpricedModels.joined(separator: ", ")))"
            : Money.dollars(micros: summary.costMicros) + " + unpriced \(summary.unpricedModels.joined(separator: ", "))"
    }

    /// Total tokens and each bucket.
    public var tokens: String {
        let t = summary.tokens
        return "\(Money.groupThousands(Int64(t.total))) (input \(Money.groupThousands(Int64(t.input))), "
            + "output \(Money.groupThousands(Int64(t.output))), cache write \(Money.groupThousands(Int64(t.cacheCreation))), "
            + "cache read \(Money.groupThousands(Int64(t.cacheRead))))"
    }

    /// Failed tool calls, subagents' included.
    public var failedCalls: Int { transcript.main.failedCalls }

    /// Compactions of the main thread.
    public var compactions: Int { transcript.main.compactions }

    /// Label and value lines of the header.
    public var lines: [(String, String)] {
        var lines: [(String, String)] = [
            ("Session", "\(summary.sessionId) (\(summary.agent)\(transcript.version.map { " \($0)" } ?? ""))"),
            ("Project", (summary.project ?? transcript.cwd ?? "unknown") + (summary.gitBranch.map { " on \($0)" } ?? "")),
            ("Models", transcript.models.isEmpty ? "none recorded" : transcript.models.joined(separator: ", ")),
            ("Started", time(summary.startedAt)),
            ("Ended", time(summary.endedAt) + (summary.durationMs.map { " (\(TimeText.duration($0)))" } ?? "")),
            ("Tokens", tokens),
            ("Cost", cost),
        ]
        var counts = Self.count(summary.messages, "message") + ", " + Self.count(summary.toolCalls, "tool call")
        if failedCalls > 0 { counts += " (\(failedCalls) failed)" }
        counts += ", " + Self.count(summary.subagents, "subagent")
        if compactions > 0 { counts += ", " + Self.count(compactions, "compaction") }
        lines.append(("Contents", counts))
        if !transcript.hookEvents.isEmpty {
            let total = transcript.hookEvents.values.reduce(0, +)
            let kinds = transcript.hookEvents.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.value) \($0.key)" }
            lines.append(("Events", Self.count(total, "live event") + ": " + kinds.joined(separator: ", ")))
        }
        return lines
    }

    /// `hook PreToolUse → PostToolUse, 1.2 s`: what live hooks saw of a tool call.
    public static func hookNote(_ hook: HookObservation?) -> String? {
        guard let hook else { return nil }
        let span = hook.events.count > 1 ? ", " + seconds(hook.durationMs) : ""
        return "hook " + hook.events.joined(separator: " → ") + span
    }

    /// `0.25 s`, `12.0 s`, `3m 04s`.
    public static func seconds(_ milliseconds: Int64) -> String {
        if milliseconds >= 60_000 { return "\(milliseconds / 60_000)m \(String(format: "%02d", milliseconds % 60_000 / 1000))s" }
        if milliseconds < 1000 { return String(format: "%.2f s", Double(milliseconds) / 1000) }
        return String(format: "%.1f s", Double(milliseconds) / 1000)
    }

    /// `1 message`, `3 messages`.
    public static func count(_ value: Int, _ noun: String) -> String {
        "\(Money.groupThousands(Int64(value))) \(noun)\(value == 1 ? "" : "s")"
    }

    /// `2026-04-18 13:10` in the zone, or "unknown".
    public func time(_ milliseconds: Int64?) -> String {
        milliseconds == nil ? "unknown" : TimeText.localTime(milliseconds, zone)
    }

    /// `13:10:05` in the zone.
    public func clock(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "" }
        let local = TimeText.localTime(milliseconds, zone, seconds: true)
        return String(local.suffix(8))
    }

    /// `+12,345 tokens, $0.12 · so far 45,678 tokens, $0.50`.
    public static func turnCost(_ turn: TranscriptTurn) -> String {
        let unpriced = turn.unpricedModels.isEmpty ? "" : "+"
        return "+\(Money.groupThousands(Int64(turn.tokens.total))) tokens, \(Money.dollars(micros: Money.micros(fromPico: turn.costPico)))"
            + " · so far \(Money.groupThousands(Int64(turn.cumulativeTokens.total))) tokens, "
            + Money.dollars(micros: Money.micros(fromPico: turn.cumulativeCostPico)) + unpriced
    }


    /// How a message is labelled.
    public static func label(_ message: TranscriptMessage) -> String {
        switch message.kind {
        case .prompt: "You"
        case .user: "User"
        case .assistant: "Assistant" + (message.model.map { " (\($0))" } ?? "")
        case .system: "System" + (message.subtype.map { " (\($0))" } ?? "")
        case .meta: "Note"
        case .compactSummary: "Summary of the conversation so far"
        }
    }

    /// What a subagent thread is called.
    public static func subagentTitle(_ thread: TranscriptThread) -> String {
        var title = "Subagent " + (thread.agentType ?? thread.agentId ?? "")
        if let description = thread.description, !description.isEmpty { title += ": " + description }
        return title
    }

    /// "Context compacted (auto, 150,000 tokens before)".
    public static func compactionText(_ compaction: TranscriptCompaction) -> String {
        var text = "Context compacted"
        var details: [String] = []
        if let trigger = compaction.trigger { details.append(trigger) }
        if let tokens = compaction.preTokens { details.append("\(Money.groupThousands(Int64(tokens))) tokens before") }
        if !details.isEmpty { text += " (" + details.joined(separator: ", ") + ")" }
        return text
    }

    /// `(showing 1,024 of 52,311 bytes)` when a preview was cut.
    public static func cutNote(shown: String?, length: Int?) -> String? {
        guard let length, length > (shown?.utf8.count ?? 0) else { return nil }
        return "showing \(Money.groupThousands(Int64(shown?.utf8.count ?? 0))) of \(Money.groupThousands(Int64(length))) bytes; "
            + "the whole text is in the raw archive"
    }
}
