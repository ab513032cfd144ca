import AgentLogDatabase
import AgentLogStore
import Foundation
import Hummingbird
import Logging
import NIOPosix
import ServiceLifecycle

/// Where `agentlog serve` listens, which `Host` headers it answers, and who it lets in.
public struct ServerOptions: Sendable {
    /// The address to bind: loopback by default.
    public var host: String
    /// The port (0 picks a free one, for tests).
    public var port: Int
    /// More names this server answers to (`--allow-host`): a LAN address or host name when it
    /// listens beyond loopback.
    public var extraHosts: [String]
    /// Whether devices may ask to be let in (`--pair`): the pairing routes answer.
    public var pairing: Bool
    /// Told of each pairing request (the CLI prints its code).
    public var onPairingRequest: @Sendable (Pairing) -> Void

    /// Options for `host:port`.
    public init(host: String = "127.0.0.1", port: Int = 7420, extraHosts: [String] = [], pairing: Bool = false,
                onPairingRequest: @escaping @Sendable (Pairing) -> Void = { _ in }) {
        self.host = host
        self.port = port
        self.extraHosts = extraHosts
        self.pairing = pairing
        self.onPairingRequest = onPairingRequest
    }

    /// The loopback names.
    public static let loopbackNames = ["127.0.0.1", "localhost", "::1", "[::1]"]

    /// Whether the server listens on loopback only (then requests need no token).
    public var isLoopback: Bool { Self.loopbackNames.contains(host.lowercased()) }

    /// Whether every request must carry a token: when the server listens beyond loopback.
    public var requiresAuth: Bool { !isLoopback }

    /// The `Host` header values this server answers: its loopback names, its bound address and
    /// the extra names, with or without the port. Anything else is refused (DNS rebinding: a web
    /// page that makes its own name resolve to this machine still sends its own name).
    public func allows(host header: String?) -> Bool {
        guard let header, !header.isEmpty else { return false }
        let name: Substring
        if header.hasPrefix("[") {
            guard let end = header.firstIndex(of: "]") else { return false }
            name = header[...end]
        } else {
            name = header.split(separator: ":", maxSplits: 1).first ?? ""
        }
        let allowed = Self.loopbackNames + [host] + extraHosts
        return allowed.contains { $0.lowercased() == String(name).lowercased() }
    }
}

/// `agentlog serve`: the JSON API over the same queries and result types as the CLI's
/// `--format json`. Routes live in ``APIRoutes``; every answer is a `SchemaResult` document or an
/// `agentlog.error.v1` error.
public enum AgentLogServer {
    /// The router with every route and the host check, for the server and for router tests.
    /// The live streams wait on `watcher`, which only the application runs.
    public static func router(store: AgentLogStore, options: ServerOptions = ServerOptions(),
                              watcher: ChangeWatcher? = nil) -> Router<ServerRequestContext> {
        // The templates are compiled into the executable; one that does not parse is a bug the
        // dashboard tests catch, never a user's input.
        let templates: DashboardTemplates
        do { templates = try DashboardTemplates() } catch { preconditionFailure("A dashboard template does not parse: \(error)") }
        // HEAD is answered wherever GET is, as GET would be, without the body.
        let router = Router(context: ServerRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: HostCheckMiddleware(options: options))
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: OriginCheckMiddleware(options: options))
        router.add(middleware: AuthMiddleware(store: store, options: options))
        let pool = NIOThreadPool.singleton
        APIRoutes(store: store, pool: pool).add(to: router)
        EventStreamRoutes(store: store, pool: pool, watcher: watcher ?? ChangeWatcher(path: store.path ?? "")).add(to: router)
        DashboardRoutes(context: DashboardContext(store: store, pool: pool, format: Format(timeZone: .current)),
                        templates: templates).add(to: router)
        PairingRoutes(store: store, options: options, templates: templates).add(to: router)
        LoginRoutes(store: store, options: options, templates: templates).add(to: router)
        ServerDataRoutes(store: store).add(to: router)
        MCPRoutes(store: store, pool: pool).add(to: router)
        return router
    }

    /// The application that serves `router(store:options:)` on `options.host:options.port`,
    /// with the change watcher that wakes the live streams and the `background` loops
    /// (`serve --sync`) and any `companions` (the OTLP receiver of `serve --otlp`) running beside it.
    public static func application(store: AgentLogStore, options: ServerOptions, background: [BackgroundLoop] = [],
                                   companions: [any Service] = [],
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        // Hummingbird's own log lines only from warnings up (LOG_LEVEL=info shows them all).
        var logger = Logger(label: "agentlog.serve")
        logger.logLevel = Logger.Level.fromEnvironment ?? .warning
        let watcher = ChangeWatcher(path: store.path ?? "")
        var services: [any Service] = background + companions
        if store.path != nil { services.append(watcher) }
        return Application(router: router(store: store, options: options, watcher: watcher),
                           configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port),
                                                                   serverName: "agentlog", reuseAddress: false),
                           services: services,
                           onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? options.port) },
                           logger: logger)
    }
}

extension Logger.Level {
    /// The log level `$LOG_LEVEL` asks for, if it names one.
    static var fromEnvironment: Logger.Level? {
        guard let value = getenv("LOG_LEVEL") else { return nil }
        return Logger.Level(rawValue: String(cString: value))
    }
}
