import AgentLogDatabase
import Foundation
import Hummingbird
import Logging
import NIOPosix
import ServiceLifecycle

/// Where `agentlog serve` listens and which `Host` headers it answers.
public struct ServerOptions: Sendable {
    /// The address to bind: loopback by default.
    public var host: String
    /// The port (0 picks a free one, for tests).
    public var port: Int

    /// Options for `host:port`.
    public init(host: String = "127.0.0.1", port: Int = 7420) {
        self.host = host
        self.port = port
    }

    /// The `Host` header values this server answers: its loopback names, with or without the
    /// port. Anything else is refused (DNS rebinding: a web page that makes its own name resolve
    /// to 127.0.0.1 still sends its own name).
    public func allows(host header: String?) -> Bool {
        guard let header, !header.isEmpty else { return false }
        let name: Substring
        if header.hasPrefix("[") {
            guard let end = header.firstIndex(of: "]") else { return false }
            name = header[...end]
        } else {
            name = header.split(separator: ":", maxSplits: 1).first ?? ""
        }
        return ["127.0.0.1", "localhost", "[::1]", host].contains(String(name).lowercased())
    }
}

/// `agentlog serve`: the JSON API over the same queries and result types as the CLI's
/// `--format json`. Routes live in ``APIRoutes``; every answer is a `SchemaResult` document or an
/// `agentlog.error.v1` error.
public enum AgentLogServer {
    /// The router with every route and the host check, for the server and for router tests.
    /// The live streams wait on `watcher`, which only the application runs.
    public static func router(store: AgentLogStore, options: ServerOptions = ServerOptions(),
                              watcher: ChangeWatcher? = nil) -> Router<BasicRequestContext> {
        // The templates are compiled into the executable; one that does not parse is a bug the
        // dashboard tests catch, never a user's input.
        let templates: DashboardTemplates
        do { templates = try DashboardTemplates() } catch { preconditionFailure("A dashboard template does not parse: \(error)") }
        let router = Router()
        router.add(middleware: HostCheckMiddleware(options: options))
        router.add(middleware: ErrorMiddleware())
        let pool = NIOThreadPool.singleton
        APIRoutes(store: store, pool: pool).add(to: router)
        EventStreamRoutes(store: store, pool: pool, watcher: watcher ?? ChangeWatcher(path: store.path ?? "")).add(to: router)
        DashboardRoutes(context: DashboardContext(store: store, pool: pool, format: Format(timeZone: .current)),
                        templates: templates).add(to: router)
        return router
    }

    /// The application that serves `router(store:options:)` on `options.host:options.port`,
    /// with the change watcher that wakes the live streams and the `background` loops
    /// (`serve --sync`) running beside it.
    public static func application(store: AgentLogStore, options: ServerOptions, background: [BackgroundLoop] = [],
                                   onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        // Hummingbird's own log lines only from warnings up (LOG_LEVEL=info shows them all).
        var logger = Logger(label: "agentlog.serve")
        logger.logLevel = Logger.Level.fromEnvironment ?? .warning
        let watcher = ChangeWatcher(path: store.path ?? "")
        var services: [any Service] = background
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
