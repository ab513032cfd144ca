import AgentLogServer
import ArgumentParser
import Foundation
import Hummingbird

/// `agentlog serve`: the JSON API (and, to come, the dashboard) over the database.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the JSON API over the database on 127.0.0.1:7420 (Ctrl-C stops it).",
        discussion: """
            Routes: /api/v1/status, /api/v1/sessions, /api/v1/sessions/ID, /api/v1/reports?group=daily, \
            /api/v1/search?q=WORDS, /api/v1/events?after=SEQ, /api/v1/projects, /api/v1/runs, /api/v1/agents, \
            /api/v1/claims; the whole description is at /openapi.json. Every answer is the JSON the CLI's \
            --format json writes, with its "schema". Only loopback addresses are served for now.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The address to listen on (loopback only: 127.0.0.1, ::1 or localhost).", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to listen on (0 picks a free one and prints it).", valueName: "n"))
    var port = 7420

    func validate() throws {
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
            throw ValidationError("--host \(host) is not a loopback address; serving other machines needs authentication, which agentlog serve does not have yet.")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
    }

    func run() async throws {
        let store = try global.openStore()
        let options = ServerOptions(host: host, port: port)
        let app = AgentLogServer.application(store: store, options: options) { port in
            printError("agentlog serve: listening on http://\(host == "::1" ? "[::1]" : host):\(port) (Ctrl-C stops it)")
        }
        do {
            try await app.runService()
        } catch {
            let text = "\(error)"
            if text.contains("Address already in use") || text.contains("EADDRINUSE") || text.contains("errno: 98") {
                throw CLIError("Port \(port) on \(host) is already in use (another agentlog serve?); choose another with --port.")
            }
            throw CLIError("agentlog serve stopped: \(text).")
        }
    }
}
