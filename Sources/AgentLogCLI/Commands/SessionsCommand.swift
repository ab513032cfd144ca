import AgentLogJSON
import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog sessions`: the sessions in the database, newest first.
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List sessions, newest first, with messages, tokens, cost and title.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var range: RangeOptions
    @OptionGroup var criteria: CriteriaOptions

    @Flag(help: "Only sessions with a failed tool call or an error message.")
    var errorsOnly = false

    @Option(help: "Show at most this many sessions.")
    var limit: Int = 50

    @Option(help: "Output format: text or json (agentlog.sessions.v1).")
    var format: OutputFormat = .text

    @Flag(help: "List the database as it is, without syncing first.")
    var noSync = false

    @Option(help: ArgumentHelp("A JSON price file that overrides built-in prices.", valueName: "path"))
    var prices: String?

    func validate() throws {
        if format == .csv { throw ValidationError("--format csv is not available for sessions; use text or json.") }
        if limit < 1 { throw ValidationError("--limit must be at least 1.") }
        _ = try range.filter()
    }

    func run() throws {
        let store = try global.openStore()
        if !noSync {
            _ = try SyncCommand.sync(store: store, roots: SyncCommand.roots(agent: range.agent, paths: [], global: global),
                                     showProgress: true)
        }
        var criteria = criteria.criteria(global)
        criteria.hadErrors = errorsOnly
        let sessions = try store.sessions(SessionQuery(filter: range.filter(), criteria: criteria, limit: limit,
                                                       prices: global.prices(prices)))
        if format == .json {
            print(Self.json(sessions).text())
            return
        }
        guard !sessions.isEmpty else {
            let filtered = criteria != SessionCriteria() || range.since != nil || range.until != nil
                || range.agent != .all || range.project != nil
            print(!filtered
                  ? "No sessions yet. Run `agentlog sync`, or `agentlog demo` to try sample data."
                  : "No sessions match.")
            return
        }
        let zone = try range.timeZone()
        var table = TextTable([("Session", .left), ("Agent", .left), ("Project", .left), ("Started", .left),
                               ("Duration", .right), ("Msgs", .right), ("Tokens", .right), ("Cost", .right), ("Title", .left)])
        for session in sessions {
            table.add([String(session.sessionId.prefix(8)), session.agent,
                       (session.project.map { ($0 as NSString).lastPathComponent } ?? "").clipped(24),
                       Self.localTime(session.startedAt, zone), Self.duration(session.durationMs),
                       String(session.messages), Money.groupThousands(Int64(session.tokens.total)),
                       session.unpricedModels.isEmpty ? Money.dollars(micros: session.costMicros)
                           : (session.costPico == 0 ? "unknown" : Money.dollars(micros: session.costMicros) + "+"),
                       (session.title ?? "").clipped(50)])
        }
        print(table.render())
    }

    static func json(_ sessions: [SessionSummary]) -> JSONOutput {
        .object([
            ("schema", .string("agentlog.sessions.v1")),
            ("rows", .array(sessions.map { session in
                .object([
                    ("id", .string(session.sessionId)),
                    ("agent", .string(session.agent)),
                    ("project", .optional(session.project)),
                    ("startedAt", .time(session.startedAt)),
                    ("endedAt", .time(session.endedAt)),
                    ("durationMs", .optional(session.durationMs)),
                    ("messages", .int(session.messages)),
                    ("subagents", .int(session.subagents)),
                    ("toolCalls", .int(session.toolCalls)),
                    ("inputTokens", .int(session.tokens.input)),
                    ("outputTokens", .int(session.tokens.output)),
                    ("cacheCreationTokens", .int(session.tokens.cacheCreation)),
                    ("cacheReadTokens", .int(session.tokens.cacheRead)),
                    ("totalTokens", .int(session.tokens.total)),
                    ("costUSD", .cost(pico: session.costPico, fullyPriced: session.unpricedModels.isEmpty)),
                    ("costComplete", .bool(session.unpricedModels.isEmpty)),
                    ("title", .optional(session.title)),
                    ("gitBranch", .optional(session.gitBranch)),
                ])
            })),
        ])
    }

    /// `2026-04-18 13:10` (`…13:10:05` with `seconds`) in `zone`.
    static func localTime(_ milliseconds: Int64?, _ zone: TimeZone, seconds: Bool = false) -> String {
        guard let milliseconds else { return "" }
        let local = milliseconds + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(milliseconds) / 1000))) * 1000
        return String(Timestamp.iso8601(milliseconds: local).prefix(seconds ? 19 : 16)).replacingOccurrences(of: "T", with: " ")
    }

    /// `1h 05m`, `12m`, `40s`.
    static func duration(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "" }
        let seconds = milliseconds / 1000
        if seconds >= 3600 { return "\(seconds / 3600)h \(String(format: "%02d", seconds % 3600 / 60))m" }
        if seconds >= 60 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
