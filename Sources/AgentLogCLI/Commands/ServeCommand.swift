import AgentLogDatabase
import AgentLogServer
import AgentLogStore
import AgentLogSync
import ArgumentParser
import Foundation
import Hummingbird

/// `agentlog serve`: the JSON API (and, to come, the dashboard) over the database.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web dashboard and the JSON API on 127.0.0.1:7420 (Ctrl-C stops it).",
        discussion: """
            The dashboard is at /: overview, sessions, a replay of each session, search, projects and \
            runs, agents and claims. The JSON API is under /api/v1 (described at /openapi.json): every \
            answer is the JSON the CLI's --format json writes. Live events: /api/v1/events/stream \
            (Server-Sent Events; reconnect with Last-Event-ID). On loopback no token is needed; beyond \
            it every request needs one (agentlog auth token create, or --pair and agentlog auth approve).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The address to listen on (default loopback). Any other address, such as 0.0.0.0, lets other machines in: every request then needs a token (agentlog auth) and the server refuses to start without one, unless --pair.",
                               valueName: "address"))
    var host = "127.0.0.1"

    @Flag(help: "Let devices ask to be let in at /pair: each shows a code to approve here with `agentlog auth approve CODE`.")
    var pair = false

    @Option(name: .customLong("allow-host"), help: ArgumentHelp("Another name the server answers to in the Host header, such as a LAN name (repeatable; this machine's addresses are allowed already).",
                                                                valueName: "name"))
    var allowedHosts: [String] = []

    @Option(help: ArgumentHelp("The port to listen on (0 picks a free one and prints it).", valueName: "n"))
    var port = 7420

    @Flag(help: "Keep syncing transcripts while serving, every --sync-interval seconds, so that new lines of running sessions appear live (without it, one sync as the server starts).")
    var sync = false

    @Flag(help: "Serve the database as it is, without the sync at start.")
    var noSync = false

    @Option(help: ArgumentHelp("Seconds between two syncs with --sync (0.2 to 3600).", valueName: "seconds"))
    var syncInterval = 2.0

    @Option(name: .customLong("path"), help: ArgumentHelp("A folder of Claude Code transcripts to sync instead of every agent's default folders (repeatable).",
                                                          valueName: "dir"))
    var paths: [String] = []

    @Flag(help: "Open the server's address in a browser once it listens (where xdg-open or open exists).")
    var open = false

    func validate() throws {
        guard !host.isEmpty, host.count < 256 else { throw ValidationError("--host must be an address, such as 127.0.0.1 or 0.0.0.0.") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
        guard (0.2...3_600).contains(syncInterval) else { throw ValidationError("--sync-interval must be from 0.2 to 3600 seconds.") }
        guard !(noSync && (sync || !paths.isEmpty)) else {
            throw ValidationError("--no-sync serves the database as it is; it cannot go with --sync or --path.")
        }
    }

    func run() async throws {
        let store = try global.openStore()
        let context = CommandContext.current
        let options = ServerOptions(host: host, port: port, extraHosts: allowedHosts + (ServerOptions.loopbackNames.contains(host) ? [] : Self.machineAddresses()),
                                    pairing: pair) { pairing in
            context.standardError.write("agentlog serve: a device named \"\(pairing.deviceName)\"\(pairing.address.map { " at \($0)" } ?? "") asks to be let in with code \(pairing.userCode). "
                                        + "Only if your device shows that code: `agentlog auth approve \(pairing.userCode)` (or deny) within 10 minutes.\n")
        }
        if options.requiresAuth, !pair, try await !store.hasValidTokens(at: context.nowMilliseconds), try await !store.hasUsersWithPassword() {
            throw CLIError("Listening on \(host) lets other machines in, so every request needs a token or a sign-in, and there is neither: "
                           + "run `agentlog auth token create --name NAME` or `agentlog auth user add NAME` first, "
                           + "or `agentlog serve --host \(host) --pair` to pair devices with a code.")
        }
        let background = noSync ? [] : [syncLoop(store: store, context: context)]
        let host = self.host, open = self.open, noSync = self.noSync, sync = self.sync, syncInterval = self.syncInterval
        let app = AgentLogServer.application(store: store, options: options, background: background) { port in
            // A wildcard address is no address a browser can open: name this machine's instead.
            let shown = ["0.0.0.0", "::"].contains(host) ? (options.extraHosts.first { $0.contains(".") && !$0.hasPrefix("127.") } ?? "127.0.0.1") : host
            let address = "http://\(shown.contains(":") && !shown.hasPrefix("[") ? "[\(shown)]" : shown):\(port)"
            context.standardError.write("agentlog serve: listening on \(address) (Ctrl-C stops it)"
                                        + (options.requiresAuth ? "; every request needs a token or a sign-in at \(address)/login" + (pair ? ", devices pair at \(address)/pair" : "") : "") + "\n")
            if !noSync {
                context.standardError.write("agentlog serve: syncing transcripts in the background"
                                            + (sync ? " every \(syncInterval.formatted()) s" : "") + "; pages refresh as they arrive.\n")
            }
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

    /// A sync of the chosen folders as the server starts, and with `--sync` every
    /// `--sync-interval` after; problems are printed and the next round tries again. The first
    /// round (of a history never synced) can take long; the server answers meanwhile, and the
    /// pages refresh themselves when it is done.
    private func syncLoop(store: AgentLogStore, context: CommandContext) -> BackgroundLoop {
        let roots = SyncRunner.roots(agent: .all, paths: paths, global: global)
        let engine = SyncEngine(store: store)
        return BackgroundLoop(every: sync ? .milliseconds(Int(syncInterval * 1000)) : nil) {
            do {
                let report = try engine.sync(roots: roots)
                if let problem = report.spoolProblem { context.standardError.write("agentlog serve: warning: \(problem)\n") }
                if report.newRecords > 0 || !report.rejected.isEmpty {
                    context.standardError.write("agentlog serve: synced \(report.newRecords) new record\(report.newRecords == 1 ? "" : "s") from \(report.filesRead) file\(report.filesRead == 1 ? "" : "s")"
                                                + (report.rejected.isEmpty ? "" : ", \(report.rejected.count) lines rejected") + ".\n")
                }
            } catch {
                context.standardError.write("agentlog serve: sync failed: \(error)\n")
            }
        }
    }

    /// This machine's IPv4 and IPv6 addresses (other machines reach it by these): the `Host`
    /// names a server beyond loopback answers besides `--allow-host` and the host name.
    static func machineAddresses() -> [String] {
        var names: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        if gethostname(&buffer, buffer.count) == 0 { names.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) }
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return names }
        defer { freeifaddrs(list) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr else { continue }
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            names.append(family == AF_INET6 ? "[\(text.split(separator: "%").first ?? "")]" : text)
        }
        return names
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
