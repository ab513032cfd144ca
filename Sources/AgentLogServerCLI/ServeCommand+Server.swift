import AgentLogCLI
import AgentLogDatabase
import AgentLogOTLP
import AgentLogServer
import AgentLogStore
import AgentLogSync
import Foundation
import Hummingbird
import ServiceLifecycle

/// `agentlog serve` once its arguments are parsed: the dashboard, the JSON API and, with
/// `--otlp`, the telemetry receiver, with the sync in the background.
extension ServeCommand {
    /// Serves until Ctrl-C; a port in use or a server that stops is one sentence.
    func runServer() async throws {
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
