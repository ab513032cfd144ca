import AgentLogJSON
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog agents`: the agent registry that hooks keep.
struct AgentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "List hooked agents and subagents: status, project, start, last event.",
        discussion: "An agent still running with no event for --stale-minutes is shown as aborted_stale (it likely crashed).")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Minutes without an event after which a running agent counts as aborted.", valueName: "n"))
    var staleMinutes: Int = 30

    @Option(help: ArgumentHelp("Only this status: running, completed, failed or aborted_stale.", valueName: "status"))
    var status: String?

    @OptionGroup var output: OutputOptions
    var format: OutputFormat { output.format }

    @OptionGroup var zoneOption: TimeZoneOption
    var timezone: String? { zoneOption.timezone }

    func validate() throws {
        if staleMinutes < 1 { throw ValidationError("--stale-minutes must be at least 1.") }
        if let status, !["running", "completed", "failed", "aborted_stale"].contains(status) {
            throw ValidationError("--status must be running, completed, failed or aborted_stale, not '\(status)'.")
        }
        try output.require([.text, .json], command: "agents")
        _ = try TimeZoneOption.zone(named: timezone)
    }

    func run() throws {
        let store = try global.openStore()
        let agents = try store.agents(staleAfterMs: Int64(staleMinutes) * 60_000, now: CommandContext.current.nowMilliseconds).filter { status == nil || $0.status == status }
        if format == .json {
            print(try JSONOutput.document(AgentList(rows: agents)).text())
            return
        }
        guard !agents.isEmpty else {
            print("No hooked agents yet. `agentlog hooks install` registers the hook that records them.")
            return
        }
        let zone = try TimeZoneOption.zone(named: timezone)
        var table = TextTable([("Session", .left), ("Agent", .left), ("Type", .left), ("Status", .left), ("Project", .left),
                               ("Started", .left), ("Last event", .left)])
        for agent in agents {
            table.add([String(agent.session.prefix(8)), agent.agentId.isEmpty ? "main" : String(agent.agentId.prefix(12)),
                       agent.agentType ?? "", agent.status, ((agent.project ?? "") as NSString).lastPathComponent,
                       TimeText.localTime(agent.startedAt, zone), TimeText.localTime(agent.lastEventAt, zone)])
        }
        print(table.render())
    }
}

/// `agentlog claims`: which agent wrote which file.
struct ClaimsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "List the files hooked agents wrote (Write, Edit, MultiEdit, NotebookEdit), most recent first.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only files under this path.", valueName: "path"))
    var path: String?

    @OptionGroup var output: OutputOptions
    var format: OutputFormat { output.format }

    @OptionGroup var zoneOption: TimeZoneOption
    var timezone: String? { zoneOption.timezone }

    func validate() throws {
        try output.require([.text, .json], command: "claims")
        _ = try TimeZoneOption.zone(named: timezone)
    }

    func run() throws {
        let store = try global.openStore()
        let prefix = path.map(global.expand)
        let claims = try store.fileClaims().filter { prefix == nil || $0.path.hasPrefix(prefix!) }
        if format == .json {
            print(try JSONOutput.document(ClaimList(rows: claims)).text())
            return
        }
        guard !claims.isEmpty else {
            print("No file claims yet.")
            return
        }
        let zone = try TimeZoneOption.zone(named: timezone)
        var table = TextTable([("Path", .left), ("Session", .left), ("Agent", .left), ("Tool", .left), ("Writes", .right), ("Last", .left)])
        for claim in claims {
            table.add([claim.path, String(claim.session.prefix(8)), claim.agentId.isEmpty ? "main" : String(claim.agentId.prefix(12)),
                       claim.tool, String(claim.writes), TimeText.localTime(claim.lastAt, zone)])
        }
        print(table.render())
    }
}
