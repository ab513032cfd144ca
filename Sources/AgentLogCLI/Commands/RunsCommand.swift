import AgentLogJSON
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog runs`: recorded runs, with crashed ones found first.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List runs (agentlog run, or apps using the library), newest first; `runs recover` marks vanished ones crashed.",
        subcommands: [RunsList.self, RunsRecover.self],
        defaultSubcommand: RunsList.self)
}

/// Options shared by `runs` and `runs recover`.
struct RunsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Minutes without a hook event after which a session with no SessionEnd counts as abandoned.",
                               valueName: "n"))
    var idleMinutes: Int = 30

    @OptionGroup var output: OutputOptions
    var format: OutputFormat { output.format }

    @OptionGroup var zoneOption: TimeZoneOption
    var timezone: String? { zoneOption.timezone }

    func validate() throws {
        if idleMinutes < 1 { throw ValidationError("--idle-minutes must be at least 1.") }
        try output.require([.text, .json], command: "runs")
        _ = try TimeZoneOption.zone(named: timezone)
    }
}

struct RunsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List runs, newest first (the default).",
        discussion: """
            Every listing first marks crashed the runs of this host whose process is gone (or whose \
            pid now belongs to a process that started later). Hooked Claude Code sessions with no \
            SessionEnd and no event for --idle-minutes are listed as abandoned.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: RunsOptions

    @Option(help: ArgumentHelp("Only runs with this status: running, completed, failed or crashed.", valueName: "status"))
    var status: String?

    @Option(help: ArgumentHelp("Only runs of the project in this directory.", valueName: "dir"))
    var project: String?

    @OptionGroup var limitOption: LimitOption
    var limit: Int { limitOption.value(default: 50) }

    func validate() throws {
        if let status, RunStatus(rawValue: status) == nil {
            throw ValidationError("--status must be running, completed, failed or crashed, not '\(status)'.")
        }
    }

    func run() async throws {
        let store = try global.openStore()
        try await store.detectCrashedRuns()
        var projectId: Int64?
        var directory: String?
        if let project {
            let path = URL(fileURLWithPath: global.expand(project)).standardizedFileURL.path
            guard let found = try await store.project(directory: path) else {
                throw CLIError("No project is recorded for \(path).")
            }
            projectId = found.id
            directory = path
        }
        let runs = try await store.runs(projectId: projectId, status: status.flatMap(RunStatus.init(rawValue:)), limit: limit)
        let projects = Dictionary(uniqueKeysWithValues: try await store.projects().map { ($0.id, $0) })
        // Abandoned sessions are no runs of any status; with --project, those of its directory.
        let abandoned = status != nil ? [] : try await store.abandonedSessions(idleLimitMs: Int64(options.idleMinutes) * 60_000, at: CommandContext.current.nowMilliseconds)
            .filter { directory == nil || $0.project == directory }
        try RunsOutput(options: options, projects: projects).print(runs, abandoned: abandoned, empty: "No runs yet. `agentlog run -- COMMAND` records one.")
    }
}

struct RunsRecover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Mark crashed the runs of this host whose process is gone, and list them with abandoned hooked sessions.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: RunsOptions

    func run() async throws {
        let store = try global.openStore()
        let crashed = try await store.detectCrashedRuns()
        let projects = Dictionary(uniqueKeysWithValues: try await store.projects().map { ($0.id, $0) })
        let abandoned = try await store.abandonedSessions(idleLimitMs: Int64(options.idleMinutes) * 60_000, at: CommandContext.current.nowMilliseconds)
        try RunsOutput(options: options, projects: projects).print(crashed, abandoned: abandoned, empty: "No run had vanished.")
    }
}

/// The text and JSON of run lists.
struct RunsOutput {
    let options: RunsOptions
    let projects: [Int64: Project]

    func print(_ runs: [Run], abandoned: [AgentRecord], empty: String) throws {
        if options.format == .json {
            let directories = projects.mapValues(\.directory)
            AgentLogCLI.print(try JSONOutput.document(RunList(rows: runs, projectDirectories: directories, abandonedSessions: abandoned)).text())
            return
        }
        let zone = try TimeZoneOption.zone(named: options.timezone)
        if runs.isEmpty {
            AgentLogCLI.print(empty)
        } else {
            var table = TextTable([("Run", .right), ("Status", .left), ("Exit", .right), ("Project", .left), ("Started", .left),
                                   ("Duration", .right), ("Pid", .right), ("Host", .left), ("Command", .left)])
            for run in runs {
                let duration = run.endedAt.map { TimeText.duration($0 - run.startedAt) } ?? ""
                table.add([String(run.id), run.status.rawValue, run.exitCode.map(String.init) ?? "", projects[run.projectId]?.name ?? "",
                           TimeText.localTime(run.startedAt, zone), duration, run.pid.map(String.init) ?? "", run.host,
                           run.args.joined(separator: " ").clipped(60)])
            }
            AgentLogCLI.print(table.render())
        }
        if !abandoned.isEmpty {
            AgentLogCLI.print("\nAbandoned hooked sessions (no SessionEnd, no event for \(options.idleMinutes) min):")
            var table = TextTable([("Session", .left), ("Project", .left), ("Started", .left), ("Last event", .left)])
            for session in abandoned {
                table.add([String(session.session.prefix(8)), session.project ?? "", TimeText.localTime(session.startedAt, zone),
                           TimeText.localTime(session.lastEventAt, zone)])
            }
            AgentLogCLI.print(table.render())
        }
    }
}
