import AgentLogDatabase
import AgentLogOTLP
import AgentLogServer
import AgentLogStore
import AgentLogSync
import ArgumentParser
import Foundation
import Hummingbird
import ServiceLifecycle

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

            With --otlp it also receives Claude Code's own telemetry on http://127.0.0.1:4318 \
            (OTLP/HTTP, http/json or http/protobuf, gzip or not; loopback only): each model call's \
            tokens and cost, failed calls, and the cost and token metrics. Reports then take \
            telemetry's numbers where it has them (report --source), and `agentlog report accuracy` \
            compares the two. Turn it on in Claude Code's environment: CLAUDE_CODE_ENABLE_TELEMETRY=1 \
            OTEL_LOGS_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp OTEL_EXPORTER_OTLP_PROTOCOL=http/json \
            OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318.
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

    @Flag(help: "Also receive Claude Code's OpenTelemetry export (OTLP/HTTP, JSON or protobuf) on 127.0.0.1:--otlp-port; see `agentlog help serve`.")
    var otlp = false

    @Option(help: ArgumentHelp("The OTLP receiver's port on 127.0.0.1 (4318 is OTLP/HTTP's; 0 picks a free one).", valueName: "n"))
    var otlpPort = 4318

    func validate() throws {
        guard !host.isEmpty, host.count < 256 else { throw ValidationError("--host must be an address, such as 127.0.0.1 or 0.0.0.0.") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
        guard (0...65_535).contains(otlpPort) else { throw ValidationError("--otlp-port must be from 0 to 65535.") }
        guard otlp || otlpPort == 4318 else { throw ValidationError("--otlp-port goes with --otlp.") }
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
        let companions = otlp ? [otlpReceiver(store: store, context: context)] : []
        let app = AgentLogServer.application(store: store, options: options, background: background, companions: companions) { port in
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
                throw CLIError(otlp ? "Port \(port) on \(host) or OTLP port \(otlpPort) is already in use (another agentlog serve or OpenTelemetry collector?); choose others with --port and --otlp-port."
                               : "Port \(port) on \(host) is already in use (another agentlog serve?); choose another with --port.")
            }
            throw CLIError("agentlog serve stopped: \(text).")
        }
    }

    /// The OTLP receiver: it says where it listens, then one line per export that refused
    /// records, and the first export that stored anything.
    private func otlpReceiver(store: AgentLogStore, context: CommandContext) -> any Service {
        let firstStored = FirstTime()
        let options = OTLPOptions(port: otlpPort) { signal, stored, rejected in
            if !rejected.isEmpty {
                context.standardError.write("agentlog serve: OTLP /v1/\(signal.rawValue): refused \(rejected.count) record\(rejected.count == 1 ? "" : "s"): "
                                            + rejected.prefix(3).joined(separator: "; ") + "\n")
            }
            if stored.requests + stored.errors + stored.points > 0, firstStored.claim() {
                context.standardError.write("agentlog serve: receiving Claude Code telemetry (first export: \(stored.requests) calls, "
                                            + "\(stored.errors) errors, \(stored.points) metric points).\n")
            }
        }
        let port = otlpPort
        return AgentLogServer.otlpApplication(store: store, options: options) { bound in
            context.standardError.write("agentlog serve: receiving OTLP on http://127.0.0.1:\(bound) (/v1/logs, /v1/metrics)"
                                        + (port == 0 ? "" : "; point OTEL_EXPORTER_OTLP_ENDPOINT at it") + "\n")
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

/// A flag that is claimed once, from any thread: "the first time" of something.
final class FirstTime: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    /// True the first time it is called, false after.
    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}
