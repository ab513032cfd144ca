import AgentLogTestSupport
import ArgumentParser
import Foundation
import Testing
@testable import AgentLogCLI

/// Every command parses its typical arguments into the values it runs with, and bad usage is
/// refused before anything runs.
@Suite("Parsing every command")
struct ParseTests {
    /// Every command path of the tool: `["db", "status"]`, `["report"]`, …
    static let commandPaths: [[String]] = {
        func walk(_ command: ParsableCommand.Type, _ path: [String]) -> [[String]] {
            let subcommands = command.configuration.subcommands
            let name = command._commandName
            let here = path + (path.isEmpty && name == "agentlog" ? [] : [name])
            return (here.isEmpty ? [] : [here]) + subcommands.flatMap { walk($0, here) }
        }
        return walk(AgentLogCommand.self, [])
    }()

    private func parse<T: ParsableCommand>(_ arguments: [String], as type: T.Type) throws -> T {
        let command = try AgentLogCommand.parseAsRoot(AgentLogCommand.movingGlobalOptions(arguments))
        return try #require(command as? T, "\(arguments) parsed as \(Swift.type(of: command))")
    }

    @Test("the tool has every command of the contract")
    func contract() {
        let names = Set(Self.commandPaths.map { $0.joined(separator: " ") })
        for name in ["sync", "report", "sessions", "search", "show", "replay", "export", "hook", "hooks install", "hooks uninstall",
                     "events", "agents", "claims", "note failed-path", "run", "runs", "runs list", "runs recover", "projects",
                     "projects list", "projects show", "db path", "db status", "db check", "db migrate", "db backup", "db restore", "demo",
                     "statusline", "statusline show", "statusline install", "statusline uninstall", "budget set", "budget status",
                     "budget remove"] {
            #expect(names.contains(name), "missing: \(name)")
        }
    }

    @Test("every command names itself: a name derived from its type costs the tool's start a scan of every conformance")
    func explicitNames() {
        func unnamed(_ command: ParsableCommand.Type) -> [String] {
            (command.configuration.commandName == nil ? ["\(command)"] : []) + command.configuration.subcommands.flatMap(unnamed)
        }
        #expect(unnamed(AgentLogCommand.self).isEmpty)
    }

    @Test("every command explains itself with --help and exits 0", arguments: commandPaths)
    func help(path: [String]) async {
        let home = try! TemporaryFolder()
        let result = await CLIRun(path + ["--help"], home: home.path)
        #expect(result.status == 0, "\(path): \(result.stderr)")
        #expect(result.stdout.contains("USAGE: agentlog \(path.joined(separator: " "))"), "\(path): \(result.stdout.prefix(200))")
        #expect(result.stdout.contains("OPTIONS:") || path == ["db"] || path == ["hooks"] || path == ["note"] || path == ["auth"]
                || path == ["auth", "token"] || path == ["auth", "user"], "\(path)")
    }

    /// The arguments a command cannot do without.
    static let required: [String: [String]] = [
        "report": ["daily"], "search": ["words"], "show": ["s1"], "replay": ["s1"], "export": ["s1", "--raw"],
        "note failed-path": ["--approach", "a", "--reason", "r"], "db backup": ["b.db"], "db restore": ["b.db"], "db prune": ["--older-than", "30d"], "db import": ["b.db"], "projects show": ["/p"],
        "auth token create": ["--name", "n"], "auth token revoke": ["1"], "auth approve": ["ABCD-EFGH"], "auth deny": ["ABCD-EFGH"],
        "auth user add": ["ana"], "auth user passwd": ["ana"], "auth user remove": ["ana"],
        "budget set": ["daily", "5"], "budget remove": ["daily"],
    ]

    @Test("an unknown option is bad usage (exit 2) for every command, with one message on stderr", arguments: commandPaths)
    func unknownOption(path: [String]) async {
        let home = try! TemporaryFolder()
        let result = await CLIRun(path + (Self.required[path.joined(separator: " ")] ?? []) + ["--no-such-option"], home: home.path)
        #expect(result.status == 2, "\(path): \(result.status) \(result.stderr)")
        #expect(result.stderr.contains("--no-such-option"), "\(path): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: home.path + "/.agentlog"), "\(path) touched the default database")
    }

    @Test("report, sessions and search take the shared options into the values they run with")
    func sharedOptions() throws {
        let report = try parse(["--db", "/tmp/x.db", "report", "monthly", "--since", "2026-01-01", "--timezone", "UTC",
                                "--agent", "codex", "--format", "csv", "--no-sync", "--prices", "p.json"], as: ReportCommand.self)
        #expect(report.global.db == "/tmp/x.db")
        #expect(report.kind == .monthly)
        #expect(report.range.since == "2026-01-01" && report.range.agent == .codex && report.range.timezone == "UTC")
        #expect(report.format == .csv && report.syncOptions.noSync && report.syncOptions.pricing.prices == "p.json")

        let sessions = try parse(["sessions", "--limit", "5", "--tool", "Bash", "--min-cost", "1.5", "--errors-only", "--format", "json"],
                                 as: SessionsCommand.self)
        #expect(sessions.limit == 5 && sessions.criteria.tool == "Bash" && sessions.criteria.minCost == 1.5 && sessions.errorsOnly)
        #expect(sessions.format == .json && !sessions.syncOptions.noSync)
        #expect(try parse(["sessions"], as: SessionsCommand.self).limit == 50)

        let search = try parse(["search", "connection", "refused", "--thinking", "--tool", "Bash"], as: SearchCommand.self)
        #expect(search.query == "connection refused" && search.thinking && search.limit == 20)
        #expect(try parse(["search", "--errors-only", "--", "-Werror"], as: SearchCommand.self).query == "-Werror")
    }

    @Test("the other commands parse their arguments")
    func otherCommands() throws {
        #expect(try parse(["sync", "--agent", "gemini", "--path", "a", "--path", "b", "--quiet"], as: SyncCommand.self).paths == ["a", "b"])
        #expect(try parse(["show", "7acd", "--format", "markdown", "-o", "s.md"], as: ShowCommand.self).format == .markdown)
        #expect(try parse(["replay", "7acd", "--turn", "3", "--once"], as: ReplayCommand.self).turn == 3)
        #expect(try parse(["export", "7acd", "--raw"], as: ExportCommand.self).raw)
        #expect(try parse(["events", "--session", "s1", "--after", "4", "--type", "Stop"], as: EventsCommand.self).after == 4)
        #expect(try parse(["agents", "--status", "running"], as: AgentsCommand.self).status == "running")
        #expect(try parse(["claims", "--format", "json"], as: ClaimsCommand.self).format == .json)
        let note = try parse(["note", "failed-path", "--approach", "a", "--reason", "r", "--file", "f"], as: NoteCommand.FailedPathNote.self)
        #expect(note.approach == "a" && note.reason == "r" && note.file == "f")
        let run = try parse(["run", "--project", "/p", "--name", "N", "--", "claude", "-p", "hi"], as: RunCommand.self)
        #expect(run.command == ["claude", "-p", "hi"] && run.project == "/p")
        #expect(try parse(["runs", "--status", "crashed"], as: RunsList.self).status == "crashed")
        #expect(try parse(["projects", "show", "/p"], as: ProjectsShow.self).directory == "/p")
        #expect(try parse(["hooks", "install", "--scope", "project", "--dry-run", "--guard-claims"], as: HooksCommand.Install.self).options.dryRun)
        #expect(try parse(["hook", "--guard-claims", "strict"], as: HookCommand.self).guardClaims == "strict")
        #expect(try parse(["db", "backup", "b.db"], as: DbCommand.Backup.self).target == "b.db")
        #expect(try parse(["db", "migrate", "--list", "--format", "json"], as: DbCommand.Migrate.self).list)
        #expect(try parse(["demo", "--keep"], as: DemoCommand.self).keep)
        let prune = try parse(["db", "prune", "--older-than", "26w", "--keep-archive", "--dry-run"], as: DbCommand.Prune.self)
        #expect(prune.olderThan.milliseconds == 26 * 604_800_000 && prune.keepArchive && prune.dryRun)
        #expect(try parse(["db", "check", "--search-sample", "5"], as: DbCommand.Check.self).searchSample == 5)
    }

    @Test("values out of range are bad usage that names the option", arguments: [
        (["sessions", "--limit", "0"], "--limit"), (["search"], "query"), (["sessions", "--min-cost", "-1"], "--min-cost"),
        (["report", "daily", "--since", "2026-13-01"], "--since"), (["report", "daily", "--timezone", "Mars/Base"], "time zone"),
        (["sessions", "--format", "csv"], "csv"), (["sync", "--interval", "0"], "--interval"),
    ])
    func badValues(arguments: [String], named: String) async {
        let home = try! TemporaryFolder()
        let result = await CLIRun(arguments, home: home.path)
        #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
        #expect(result.stderr.contains(named), "\(arguments): \(result.stderr)")
    }
}
