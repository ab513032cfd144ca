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

    @OptionGroup var limitOption: LimitOption
    var limit: Int { limitOption.value(default: 50) }

    @OptionGroup var output: OutputOptions
    var format: OutputFormat { output.format }

    @OptionGroup var syncOptions: SyncOptions

    func validate() throws {
        try output.require([.text, .json], command: "sessions")
        _ = try range.filter()
    }

    func run() throws {
        let store = try global.openStore()
        try syncOptions.syncFirst(store, agent: range.agent, global: global)
        var criteria = criteria.criteria(global)
        criteria.hadErrors = errorsOnly
        let sessions = try store.sessions(SessionQuery(filter: range.filter(), criteria: criteria, limit: limit,
                                                       prices: syncOptions.prices(global)))
        if format == .json {
            print(try JSONOutput.document(SessionList(rows: sessions)).text())
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
                       TimeText.localTime(session.startedAt, zone), TimeText.duration(session.durationMs),
                       String(session.messages), Money.groupThousands(Int64(session.tokens.total)),
                       session.unpricedModels.isEmpty ? Money.dollars(micros: session.costMicros)
                           : (session.costPico == 0 ? "unknown" : Money.dollars(micros: session.costMicros) + "+"),
                       (session.title ?? "").clipped(50)])
        }
        print(table.render())
    }
}
