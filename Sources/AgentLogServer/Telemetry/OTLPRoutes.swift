import AgentLogDatabase
import AgentLogHistory
import AgentLogIngest
import AgentLogOTLP
import AgentLogStore
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import NIOPosix

/// Where the OTLP receiver listens and whom it tells about what arrives.
public struct OTLPOptions: Sendable {
    /// The port on 127.0.0.1 (4318 is OTLP/HTTP's; 0 picks a free one, for tests).
    public var port: Int
    /// Told of every export stored: its signal, what was stored, and the reasons of refused records.
    public var onExport: @Sendable (OTLPSignal, TelemetryWriteResult, [String]) -> Void

    /// Options for `127.0.0.1:port`.
    public init(port: Int = 4318, onExport: @escaping @Sendable (OTLPSignal, TelemetryWriteResult, [String]) -> Void = { _, _, _ in }) {
        self.port = port
        self.onExport = onExport
    }
}

/// `POST /v1/logs`, `/v1/metrics` and `/v1/traces`: OTLP/HTTP, JSON or protobuf, gzip or not.
/// Claude Code's call events and cost and token metrics are stored; other events are accepted
/// and dropped; a record with a bad attribute is refused in `partial_success`, the rest kept.
/// Only loopback peers with a loopback `Host` and no `Origin` get in.
struct OTLPRoutes {
    let store: AgentLogStore
    let options: OTLPOptions
    let pool: NIOThreadPool

    func add(to router: Router<ServerRequestContext>) {
        for signal in OTLPSignal.allCases {
            router.post(RouterPath("v1/\(signal.rawValue)")) { request, _ in try await receive(signal, request) }
        }
    }

    private func receive(_ signal: OTLPSignal, _ request: Request) async throws -> Response {
        var encoding: OTLPEncoding?
        do {
            encoding = try OTLPReceiver.encoding(contentType: request.headers[.contentType])
            // A declared length over the limit is refused before a byte of the body is read.
            if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > OTLPReceiver.maxBodyBytes {
                throw OTLPRefusal(status: 413, message: "The body is larger than \(OTLPReceiver.maxBodyBytes / 1_048_576) MB: export smaller batches.")
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: OTLPReceiver.maxBodyBytes)
            } catch is NIOTooManyBytesError {
                throw OTLPRefusal(status: 413, message: "The body is larger than \(OTLPReceiver.maxBodyBytes / 1_048_576) MB: export smaller batches.")
            } catch {
                throw OTLPRefusal(status: 400, message: "The body could not be read (\(error)).")
            }
            let now = AgentLogStore.now()
            // Inflating and decoding (up to 32 MB) run on the thread pool, as the history's queries do,
            // not on the tasks that serve other requests.
            let contentEncoding = request.headers[.contentEncoding], bodyEncoding = encoding!
            let batch = try await pool.runIfActive { () throws(OTLPRefusal) -> TelemetryBatch in
                let body = try OTLPReceiver.inflate(Array(buffer.readableBytesView), contentEncoding: contentEncoding)
                return try OTLPReceiver.decode(signal, body: body, encoding: bodyEncoding, receivedAt: now)
            }
            let stored: TelemetryWriteResult
            do {
                stored = try await store.recordTelemetry(batch, receivedAt: now)
            } catch {
                // 503 is one of the statuses exporters retry.
                return Self.response(status: .serviceUnavailable, OTLPReceiver.answer(OTLPRefusal(status: 503, message: "The database could not store the export: \(error)"),
                                                                                       encoding: encoding), encoding)
            }
            options.onExport(signal, stored, batch.rejected)
            return Self.response(status: .ok, OTLPReceiver.answer(signal, rejected: batch.rejected, encoding: encoding!), encoding)
        } catch let refusal as OTLPRefusal {
            return Self.response(status: HTTPResponse.Status(code: refusal.status), OTLPReceiver.answer(refusal, encoding: encoding), encoding)
        }
    }

    static func response(status: HTTPResponse.Status, _ bytes: [UInt8], _ encoding: OTLPEncoding?) -> Response {
        Response(status: status, headers: [.contentType: (encoding ?? .json).contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Lets in only what an exporter on this machine sends: a loopback peer, a loopback `Host`
/// (a web page that makes its own name resolve here still sends its own name) and no `Origin`
/// (browsers send one; exporters do not).
struct OTLPAccessMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let port: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let refusal = Self.refusal(peerIsLoopback: context.isFromLoopback, host: request.head.authority,
                                      origin: request.headers[HTTPField.Name("Origin")!], port: port) {
            // In the exporter's own encoding where its Content-Type names one.
            let encoding = try? OTLPReceiver.encoding(contentType: request.headers[.contentType])
            return OTLPRoutes.response(status: .forbidden, OTLPReceiver.answer(OTLPRefusal(status: 403, message: refusal), encoding: encoding), encoding)
        }
        return try await next(request, context)
    }

    /// Why a request is refused, or nil to let it in.
    static func refusal(peerIsLoopback: Bool, host: String?, origin: String?, port: Int) -> String? {
        if !peerIsLoopback { return "The OTLP receiver takes exports from this machine only." }
        if !ServerOptions(port: port).allows(host: host) {
            return "The Host header '\(String((host ?? "").prefix(80)))' is not this receiver's; export to http://127.0.0.1:\(port)."
        }
        if origin != nil { return "The OTLP receiver does not take requests from web pages." }
        return nil
    }
}

extension AgentLogServer {
    /// The OTLP receiver's router: the access check and the three export paths.
    public static func otlpRouter(store: AgentLogStore, options: OTLPOptions) -> Router<ServerRequestContext> {
        let router = Router(context: ServerRequestContext.self)
        router.add(middleware: OTLPAccessMiddleware(port: options.port))
        OTLPRoutes(store: store, options: options, pool: NIOThreadPool.singleton).add(to: router)
        return router
    }

    /// The receiver as an application on 127.0.0.1:`options.port` (never beyond loopback).
    public static func otlpApplication(store: AgentLogStore, options: OTLPOptions,
                                       onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "agentlog.otlp")
        logger.logLevel = Logger.Level.fromEnvironment ?? .warning
        return Application(router: otlpRouter(store: store, options: options),
                           configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: options.port),
                                                                   serverName: "agentlog-otlp", reuseAddress: false),
                           onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? options.port) },
                           logger: logger)
    }
}
