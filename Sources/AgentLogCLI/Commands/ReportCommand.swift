import AgentLogJSON
import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// What `agentlog report` can show: a usage report's grouping, or the 5-hour blocks.
enum ReportChoice: String, CaseIterable, ExpressibleByArgument {
    case daily, weekly, monthly, session, model, project, blocks, subagent, limits, accuracy

    /// The usage report's kind; nil for blocks, subagent, limits and accuracy.
    var kind: ReportKind? { ReportKind(rawValue: rawValue) }
}

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

/// `agentlog report`: tokens and cost by day, week, month, session, model or project, or by
/// 5-hour block.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Tokens and cost by day, week, month, session, model, project, 5-hour block or subagent type; rate limits; telemetry accuracy.",
        discussion: """
            Token buckets: input (excluding cache), output, cache creation (writes) and cache read. \
            Each API response is counted once, however many lines and files repeat it. Costs use \
            built-in list prices (override them in ~/.agentlog/prices.json, --prices or \
            $AGENTLOG_PRICES); models without a price are counted and listed, never priced as zero. \
            The report syncs first unless --no-sync.

            blocks: the 5-hour windows Claude's plans meter. A block starts at its first response, \
            floored to the hour (UTC), and lasts 5 hours; the first response after it starts the next. \
            The active block shows its burn rate and where it ends at that rate; --token-limit N (or \
            max, the largest past block) adds each block's share of it; --live redraws it every few \
            seconds until Ctrl-C.

            subagent: subagents' usage by type (the meta file's agentType, else the Task call's \
            subagent_type), with how often each was spawned and its average cost per spawn.

            limits: the rate-limit windows the agents report (Claude Code's statusline payload, \
            kept by `agentlog statusline`; Codex's token_count events), each cut at its resets: \
            how full it got, when it was hit (100 %) and how long until it reset.

            accuracy: per day and model, Claude Code's own telemetry (received by `agentlog serve \
            --otlp`) against the transcripts for the same calls, and the gap. Usage reports take \
            telemetry's tokens and cost for every call it reported (--source best, the default), \
            the transcripts' for the rest; --source transcript or telemetry takes one side only.
            """)

    @Argument(help: "daily, weekly, monthly, session, model, project, blocks, subagent, limits or accuracy.")
    var kind: ReportChoice

    @OptionGroup var global: GlobalOptions
    @OptionGroup var range: RangeOptions

    @OptionGroup var output: OutputOptions
    var format: OutputFormat { output.format }

    @Option(help: ArgumentHelp("Split every row by a dimension; the one so far is `agent`.", valueName: "dimension"))
    var breakdown: String?

    @Option(help: ArgumentHelp("blocks: compare each block with this many tokens, or max (the largest past block).", valueName: "N|max"))
    var tokenLimit: String?

    @Flag(help: "blocks: redraw the report every few seconds (syncing first) until Ctrl-C.")
    var live = false

    @Option(help: ArgumentHelp("Usage reports: best (telemetry's numbers where Claude Code sent them, else the transcripts'), transcript or telemetry.",
                               valueName: "source"))
    var source: UsageSource = .best

    @OptionGroup var syncOptions: SyncOptions

    func validate() throws {
        if kind.kind == nil, source != .best { throw ValidationError("--source goes with the usage reports (daily … project), not `report \(kind.rawValue)`.") }
        if let breakdown, breakdown != "agent" { throw ValidationError("--breakdown supports only 'agent'.") }
        _ = try range.filter()
        if kind != .blocks, tokenLimit != nil || live { throw ValidationError("--token-limit and --live go with `report blocks` only.") }
        if kind.kind == nil, breakdown != nil { throw ValidationError("--breakdown does not go with `report \(kind.rawValue)`.") }
        if kind.kind == nil, format == .csv { throw ValidationError("report \(kind.rawValue) is written as text or json, not csv.") }
        if live, format != .text { throw ValidationError("--live redraws text; leave out --format.") }
        _ = try blockLimit()
    }

    /// `--token-limit` as a limit.
    func blockLimit() throws -> BlockTokenLimit? {
        guard let tokenLimit else { return nil }
        if tokenLimit == "max" { return .largestPast }
        guard let count = Int(tokenLimit), count > 0, count < 1_000_000_000_000 else {
            throw ValidationError("--token-limit must be a positive number of tokens or max, not '\(tokenLimit.prefix(40))'.")
        }
        return .tokens(count)
    }

    func run() throws {
        let store = try global.openStore()
        let table = try syncOptions.prices(global)
        try syncOptions.syncFirst(store, agent: range.agent, global: global)
        switch kind {
        case .blocks: return try blocks(store, prices: table)
        case .subagent:
            let report = try store.subagentReport(filter: range.filter(), prices: table)
            print(format == .json ? try JSONOutput.document(report).text() : ReportRendering.text(report))
            return
        case .limits:
            let filter = try range.filter()
            let report = try store.limitsReport(since: filter.since, until: filter.until, agents: filter.agents,
                                                now: CommandContext.current.nowMilliseconds)
            print(format == .json ? try JSONOutput.document(report).text() : LimitsRendering.text(report, zone: try range.timeZone()))
            return
        case .accuracy:
            let report = try store.accuracyReport(filter: range.filter(), timeZone: range.timeZone(), prices: table)
            print(format == .json ? try JSONOutput.document(report).text() : AccuracyRendering.text(report))
            return
        default: break
        }
        guard let kind = kind.kind else { return }
        let report = try store.usageReport(ReportOptions(kind: kind, filter: range.filter(), timeZone: range.timeZone(),
                                                         prices: table, breakdownByAgent: breakdown == "agent", source: source))
        switch format {
        case .text: print(ReportRendering.text(report))
        case .json: print(try JSONOutput.document(report).text())
        case .csv: print(ReportRendering.csv(report), terminator: "")
        }
    }

    /// `report blocks`, once or (`--live`) redrawn until Ctrl-C.
    private func blocks(_ store: AgentLogStore, prices: PriceTable) throws {
        let context = CommandContext.current
        while true {
            let report = try store.blocksReport(filter: range.filter(), prices: prices, tokenLimit: blockLimit(), now: context.nowMilliseconds)
            guard live else {
                print(format == .json ? try JSONOutput.document(report).text() : BlocksRendering.text(report, zone: try range.timeZone()))
                return
            }
            // Home and clear, then the report: the terminal shows one screen that changes.
            print("\u{1B}[H\u{1B}[2J" + BlocksRendering.text(report, zone: try range.timeZone()) + "\n\nRefreshing every 5 s; Ctrl-C stops.")
            Thread.sleep(forTimeInterval: 5)
            try syncOptions.syncFirst(store, agent: range.agent, global: global)
        }
    }
}

extension UsageSource: ExpressibleByArgument {}
