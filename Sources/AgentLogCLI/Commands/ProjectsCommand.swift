import AgentLogJSON
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog projects`: projects by last run, with how their runs ended.
struct ProjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projects",
        abstract: "List projects by last run, with run counts; `projects show DIR` shows one with its latest run.",
        subcommands: [ProjectsList.self, ProjectsShow.self],
        defaultSubcommand: ProjectsList.self)
}

struct ProjectsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List projects by last run (the default).")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Also list projects that were never run (directories of synced sessions).")
    var all = false

    @OptionGroup var output: ProjectsOutput

    func run() async throws {
        let store = try global.openStore()
        try await store.detectCrashedRuns()
        let overviews = try await store.projectOverviews().filter { all || $0.runCount > 0 }
        if output.format == .json {
            print(try JSONOutput.document(ProjectList(rows: overviews)).text())
            return
        }
        guard !overviews.isEmpty else {
            print("No projects have been run yet. `agentlog run -- COMMAND` records a run of the current directory.")
            return
        }
        let zone = try TimeZoneOption.zone(named: output.timezone)
        var table = TextTable([("Project", .left), ("Last run", .left), ("Runs", .right), ("Completed", .right), ("Failed", .right),
                               ("Crashed", .right), ("Running", .right), ("Directory", .left)])
        for overview in overviews {
            table.add([overview.project.name, TimeText.localTime(overview.project.lastRunAt, zone), String(overview.runCount),
                       String(overview.completed), String(overview.failed), String(overview.crashed), String(overview.running),
                       overview.project.directory])
        }
        print(table.render())
    }
}

struct ProjectsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one project with its latest run.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The project's directory (default: the current one).", valueName: "dir"))
    var directory: String?

    @OptionGroup var output: ProjectsOutput

    func run() async throws {
        let path = URL(fileURLWithPath: directory.map(global.expand) ?? CommandContext.current.currentDirectory).standardizedFileURL.path
        let store = try global.openStore()
        try await store.detectCrashedRuns()
        guard let overview = try await store.projectOverview(directory: path) else {
            throw CLIError("No project is recorded for \(path).")
        }
        if output.format == .json {
            print(try JSONOutput.document(ProjectList(rows: [overview])).text())
            return
        }
        let zone = try TimeZoneOption.zone(named: output.timezone)
        let project = overview.project
        var lines: [(String, String)] = [
            ("Project", "\(project.name) (\(project.directory))"),
            ("Command", project.defaultCommand?.joined(separator: " ") ?? "none remembered"),
            ("Runs", "\(overview.runCount): \(overview.completed) completed, \(overview.failed) failed, \(overview.crashed) crashed, \(overview.running) running"),
        ]
        if let prompt = project.defaultPrompt { lines.insert(("Prompt", prompt.clipped(120)), at: 2) }
        if let run = overview.latestRun {
            let ended = run.endedAt.map { " → \(TimeText.localTime($0, zone)) (\(TimeText.duration($0 - run.startedAt)))" } ?? ""
            lines.append(("Latest run", "#\(run.id) \(run.status.rawValue)\(run.exitCode.map { ", exit \($0)" } ?? ""), "
                          + "\(TimeText.localTime(run.startedAt, zone))\(ended), pid \(run.pid.map(String.init) ?? "?") on \(run.host)"))
            lines.append(("", run.args.joined(separator: " ").clipped(120)))
        }
        let width = lines.map(\.0.count).max() ?? 0
        for (label, value) in lines {
            print(label.isEmpty ? String(repeating: " ", count: width + 2) + value
                  : label + ":" + String(repeating: " ", count: width - label.count + 1) + value)
        }
    }
}

/// The output options of `projects` and `projects show`.
struct ProjectsOutput: ParsableArguments {
    @OptionGroup var output: OutputOptions
    var format: OutputFormat { output.format }

    @OptionGroup var zoneOption: TimeZoneOption
    var timezone: String? { zoneOption.timezone }

    func validate() throws {
        try output.require([.text, .json], command: "projects")
        _ = try TimeZoneOption.zone(named: timezone)
    }
}
