import AgentLogHistory
import AgentLogDatabase
import AgentLogJSON
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog logs`: the application log the server (and apps) write.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show the application log: what agentlog serve and apps did (pairings, refusals, errors).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var zoneOption: TimeZoneOption
    @OptionGroup var limitOption: LimitOption

    @Option(help: ArgumentHelp("The lowest level shown: debug, info, warning or error.", valueName: "level"))
    var level: String = "debug"

    @Option(help: ArgumentHelp("Only lines of this component (serve, auth, sync, or an app's name).", valueName: "name"))
    var component: String?

    func validate() throws {
        try output.require([.text, .json], command: "logs")
        guard AppLogEntry.Level(rawValue: level) != nil else {
            throw ValidationError("--level must be debug, info, warning or error, not '\(level)'.")
        }
    }

    func run() async throws {
        let store = try global.openStore()
        let entries = try await store.logs(level: AppLogEntry.Level(rawValue: level) ?? .debug, component: component,
                                           limit: limitOption.value(default: 100))
        if output.isJSON {
            print(try JSONOutput.document(LogList(rows: entries)).text())
            return
        }
        guard !entries.isEmpty else {
            print("The application log is empty.")
            return
        }
        let zone = try TimeZoneOption.zone(named: zoneOption.timezone)
        for entry in entries {
            print("\(TimeText.localTime(entry.at, zone, seconds: true))  \(entry.level.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(entry.component): \(entry.message)")
        }
    }
}
