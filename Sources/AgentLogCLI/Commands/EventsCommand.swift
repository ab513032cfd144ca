import AgentLogJSON
import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog events`: the event log of hooked sessions.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List the event log that hooks write: session, seq, channel, type, time and payload.",
        discussion: """
            Events are in the order they were stored: by seq within one session (--session), by \
            arrival across sessions. --follow keeps printing events as other processes write them \
            (Ctrl-C stops).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only this session (its id, or an unambiguous prefix of a synced session's id).", valueName: "id"))
    var session: String?

    @Option(help: ArgumentHelp("Only events after this seq (with --session) or event id.", valueName: "n"))
    var after: Int64?

    @Option(help: ArgumentHelp("Only events of this type, e.g. PreToolUse.", valueName: "name"))
    var type: String?

    @Flag(help: "Keep printing new events as they are written.")
    var follow = false

    @OptionGroup var output: OutputOptions
    var format: OutputFormat { output.format }

    @OptionGroup var zoneOption: TimeZoneOption
    var timezone: String? { zoneOption.timezone }

    func validate() throws {
        try output.require([.text, .json], command: "events")
        _ = try TimeZoneOption.zone(named: timezone)
    }

    func run() throws {
        let store = try global.openStore()
        let zone = try TimeZoneOption.zone(named: timezone)
        var query = EventQuery(session: session, after: after, type: type)
        if let session, try store.events(EventQuery(session: session, limit: 1)).isEmpty,
           let synced = try? store.resolveSession(session) {
            query.session = synced.sessionId  // a prefix of a synced session's id
        }
        var events = try store.events(query)
        if !follow {
            if format == .json {
                print(try JSONOutput.document(EventList(rows: events)).text())
            } else if events.isEmpty {
                print("No events yet. `agentlog hooks install` registers the hook that records them.")
            } else {
                events.forEach { print(Self.line($0, zone)) }
            }
            return
        }
        // Follow: print, then poll for what other processes add (the database is the only
        // channel between them; a poll of an indexed range every 200 ms costs nothing).
        while true {
            for event in events {
                print(format == .json ? try JSONOutput.encoding(event).text(indent: nil) : Self.line(event, zone))
            }
            if let last = events.last { query.after = session == nil ? last.id : last.seq }
            Thread.sleep(forTimeInterval: 0.2)
            events = try store.events(query)
        }
    }

    static func line(_ event: EventRecord, _ zone: TimeZone) -> String {
        let summary = event.payload.count > 160 ? String(event.payload.prefix(159)) + "…" : event.payload
        return "\(TimeText.localTime(event.timestamp, zone, seconds: true))  \(event.session.prefix(8)) #\(event.seq)  "
            + "\(event.channel)/\(event.type)  \(summary.replacingOccurrences(of: "\n", with: " "))"
    }
}
