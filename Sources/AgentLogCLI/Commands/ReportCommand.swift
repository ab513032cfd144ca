import AgentLogJSON
import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

extension ReportKind: ExpressibleByArgument {}

/// Options shared by commands that select a time range, agents and a project.
struct RangeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("First day to include (YYYY-MM-DD or YYYYMMDD, in --timezone).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Last day to include (YYYY-MM-DD or YYYYMMDD, in --timezone).", valueName: "date"))
    var until: String?

    @OptionGroup var zoneOption: TimeZoneOption
    var timezone: String? { zoneOption.timezone }

    @Option(help: "Which agent's usage to include.")
    var agent: AgentChoice = .all

    @Option(help: ArgumentHelp("Only projects whose path contains this text.", valueName: "text"))
    var project: String?

    func timeZone() throws -> TimeZone {
        guard let timezone else { return .current }
        guard let zone = TimeZone(identifier: timezone) ?? TimeZone(abbreviation: timezone) else {
            throw ValidationError("Unknown time zone '\(timezone)' for --timezone; use a name like Europe/Berlin or UTC.")
        }
        return zone
    }

    func filter() throws -> UsageFilter {
        let zone = try timeZone()
        var filter = UsageFilter(agents: agent.agents, project: project)
        if let since {
            filter.since = try Self.startOfDay(since, option: "--since", zone: zone, dayOffset: 0)
        }
        if let until {
            filter.until = try Self.startOfDay(until, option: "--until", zone: zone, dayOffset: 1)
        }
        if let start = filter.since, let end = filter.until, end <= start {
            throw ValidationError("--until \(until!) is before --since \(since!).")
        }
        return filter
    }

    /// Milliseconds since 1970 at the start of `text`'s day (plus `dayOffset` days) in `zone`.
    static func startOfDay(_ text: String, option: String, zone: TimeZone, dayOffset: Int) throws -> Int64 {
        guard let start = UsageFilter.dayStart(text, zone: zone, dayOffset: dayOffset) else {
            throw ValidationError("\(option) '\(text)' is not a date; use YYYY-MM-DD or YYYYMMDD.")
        }
        return start
    }
}

/// `agentlog report`: tokens and cost by day, week, month, session, model or project.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Tokens and cost by day, week, month, session, model or project.",
        discussion: """
            Token buckets: input (excluding cache), output, cache creation (writes) and cache read. \
            Each API response is counted once, however many lines and files repeat it. Costs use \
            built-in list prices (override them in ~/.agentlog/prices.json, --prices or \
            $AGENTLOG_PRICES); models without a price are counted and listed, never priced as zero. \
            The report syncs first unless --no-sync.
            """)

    @Argument(help: "daily, weekly, monthly, session, model or project.")
    var kind: ReportKind

    @OptionGroup var global: GlobalOptions
    @OptionGroup var range: RangeOptions

    @OptionGroup var output: OutputOptions
    var format: OutputFormat { output.format }

    @Option(help: ArgumentHelp("Split every row by a dimension; the one so far is `agent`.", valueName: "dimension"))
    var breakdown: String?

    @OptionGroup var syncOptions: SyncOptions

    func validate() throws {
        if let breakdown, breakdown != "agent" { throw ValidationError("--breakdown supports only 'agent'.") }
        _ = try range.filter()
    }

    func run() throws {
        let store = try global.openStore()
        let table = try syncOptions.prices(global)
        try syncOptions.syncFirst(store, agent: range.agent, global: global)
        let report = try store.usageReport(ReportOptions(kind: kind, filter: range.filter(), timeZone: range.timeZone(),
                                                         prices: table, breakdownByAgent: breakdown == "agent"))
        switch format {
        case .text: print(ReportRendering.text(report))
        case .json: print(try JSONOutput.document(report).text())
        case .csv: print(ReportRendering.csv(report), terminator: "")
        }
    }
}
