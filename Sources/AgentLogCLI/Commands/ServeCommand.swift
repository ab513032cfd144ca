import AgentLogDatabase
import AgentLogServer
import AgentLogSync
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

    @Flag(help: "Also sync transcripts while serving: now, then every --sync-interval seconds, so that new lines of running sessions appear live.")
    var sync = false

    @Option(help: ArgumentHelp("Seconds between two syncs with --sync (0.2 to 3600).", valueName: "seconds"))
    var syncInterval = 2.0

    @Option(name: .customLong("path"), help: ArgumentHelp("With --sync: a folder of Claude Code transcripts to sync instead of every agent's default folders (repeatable).",
                                                          valueName: "dir"))
    var paths: [String] = []

    @Flag(help: "Open the server's address in a browser once it listens (where xdg-open or open exists).")
    var open = false

    func validate() throws {
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
            throw ValidationError("--host \(host) is not a loopback address; serving other machines needs authentication, which agentlog serve does not have yet.")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
        guard (0.2...3_600).contains(syncInterval) else { throw ValidationError("--sync-interval must be from 0.2 to 3600 seconds.") }
        guard sync || paths.isEmpty else { throw ValidationError("--path needs --sync: it names the folders to sync while serving.") }
    }

    func run() async throws {
        let store = try global.openStore()
        let options = ServerOptions(host: host, port: port)
        let context = CommandContext.current
        let background = sync ? [syncLoop(store: store, context: context)] : []
        let host = self.host, open = self.open
        let app = AgentLogServer.application(store: store, options: options, background: background) { port in
            let address = "http://\(host == "::1" ? "[::1]" : host):\(port)"
            context.standardError.write("agentlog serve: listening on \(address) (Ctrl-C stops it)\n")
            if open { Self.openBrowser(address, context: context) }
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

    /// `--sync`: a sync of the chosen folders every `--sync-interval`; problems are printed and
    /// the next round tries again. The first round (of a history never synced) can take long;
    /// the server answers meanwhile.
    private func syncLoop(store: AgentLogStore, context: CommandContext) -> BackgroundLoop {
        let roots = SyncRunner.roots(agent: .all, paths: paths, global: global)
        let engine = SyncEngine(store: store)
        return BackgroundLoop(every: .milliseconds(Int(syncInterval * 1000))) {
            do {
                let report = try engine.sync(roots: roots)
                if let problem = report.spoolProblem { context.standardError.write("agentlog serve: warning: \(problem)\n") }
                if report.newRecords > 0 || !report.rejected.isEmpty {
                    context.standardError.write("agentlog serve: synced \(report.newRecords) new records from \(report.filesRead) files"
                                                + (report.rejected.isEmpty ? "" : ", \(report.rejected.count) lines rejected") + ".\n")
                }
            } catch {
                context.standardError.write("agentlog serve: sync failed: \(error)\n")
            }
        }
    }

    /// Opens `address` with the system's opener, or says that there is none.
    private static func openBrowser(_ address: String, context: CommandContext) {
        let searchPath = (context.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        let opener = ["xdg-open", "open"].lazy.compactMap { name in
            searchPath.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }.first
        guard let opener else {
            context.standardError.write("agentlog serve: no xdg-open or open here; open \(address) in a browser.\n")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opener)
        process.arguments = [address]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { context.standardError.write("agentlog serve: could not run \(opener): \(error)\n") }
    }
}
