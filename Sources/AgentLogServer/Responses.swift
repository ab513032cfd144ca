import AgentLogDatabase
import AgentLogJSON
import Foundation
import Hummingbird

/// What went wrong with a request, as the API answers it: a status and one sentence, naming the
/// parameter at fault when there is one (`agentlog.error.v1`).
public struct APIError: Error, Sendable, SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.error.v1"
    /// The HTTP status code.
    public var status: Int
    /// One sentence.
    public var message: String
    /// The query or path parameter at fault, if one is.
    public var parameter: String?

    /// An error with `status`, `message` and the `parameter` at fault.
    public init(status: Int, _ message: String, parameter: String? = nil) {
        self.status = status
        self.message = message
        self.parameter = parameter
    }

    /// A 400 for a bad `parameter`.
    static func badParameter(_ parameter: String, _ message: String) -> APIError {
        APIError(status: 400, message, parameter: parameter)
    }

    /// The error as JSON: the message and the parameter.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([("error", .string(message)), ("parameter", .optional(parameter))]).encode(to: encoder)
    }
}

extension Response {
    /// `result` as a JSON document with `status`.
    static func json(_ result: some SchemaResult, status: HTTPResponse.Status = .ok) throws -> Response {
        let bytes = try JSONOutput.document(result).utf8(indent: nil)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Turns every error a route throws into an `agentlog.error.v1` answer: ``APIError`` as it is,
/// Hummingbird's own (no such route, wrong method) with their status, anything else as a 500
/// with its message.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try Response.json(error, status: HTTPResponse.Status(code: error.status))
        } catch let error as StoreError {
            let answer = APIError(error)
            return try Response.json(answer, status: HTTPResponse.Status(code: answer.status))
        } catch let error as any HTTPResponseError {
            // A path that is served, asked with a method it does not take: 405, naming those it does.
            if error.status == .notFound, let allowed = APIIndex.methods(of: request.uri.path), !allowed.contains(request.method.rawValue) {
                var response = try Response.json(APIError(status: 405, "\(request.uri.path) takes \(allowed.joined(separator: ", ")), not \(request.method)."),
                                                 status: .methodNotAllowed)
                response.headers[.allow] = allowed.joined(separator: ", ")
                return response
            }
            let status = error.status
            let message = status == .notFound ? "No such route: \(request.method) \(request.uri.path)." : "\(status.reasonPhrase)."
            return try Response.json(APIError(status: status.code, message), status: status)
        } catch {
            return try Response.json(APIError(status: 500, "\(error)"), status: .internalServerError)
        }
    }
}

/// Refuses requests whose `Host` is not one of this server's loopback names (403).
struct HostCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    let options: ServerOptions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // HTTP/1's Host header is the request's authority.
        guard options.allows(host: request.head.authority) else {
            let error = APIError(status: 403, "The Host header '\(request.head.authority ?? "")' is not this server's; use http://127.0.0.1:\(options.port).")
            return try Response.json(error, status: .forbidden)
        }
        return try await next(request, context)
    }
}

/// `agentlog.api.v1`: what `/api/v1` answers — the routes this server serves and where they are described.
struct APIIndex: SchemaResult {
    static let schema = "agentlog.api.v1"

    /// Each path of `openapi.json` (the one list of routes) with its methods, HEAD wherever GET is.
    static let pathMethods: [(path: String, segments: [Substring], methods: [String])] = {
        let spec = (try? JSONSerialization.jsonObject(with: Data(PackageResources.openapi_json))) as? [String: Any]
        let paths = spec?["paths"] as? [String: Any] ?? [:]
        return paths.map { path, item in
            var methods = ((item as? [String: Any])?.keys.map { $0.uppercased() } ?? []).sorted()
            if methods.contains("GET") { methods.append("HEAD") }
            return (path, path.split(separator: "/"), methods)
        }.sorted { $0.path < $1.path }
    }()

    /// The API's paths.
    static var routes: [String] { pathMethods.map(\.path).filter { $0.hasPrefix("/api/") } }

    /// The methods the path `path` takes, or nil when the API has no such path (the dashboard's
    /// pages take GET and HEAD).
    static func methods(of path: String) -> [String]? {
        let segments = path.split(separator: "/")
        for entry in pathMethods where entry.segments.count == segments.count {
            if zip(entry.segments, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) { return entry.methods }
        }
        return path.hasPrefix("/api/") ? nil : ["GET", "HEAD"]
    }

    /// The description, the OpenAPI document and every route.
    func encode(to encoder: any Encoder) throws {
        let routes = Self.routes
        try JSONOutput.object([
            ("description", .string("agentlog's JSON API: the documents the CLI's --format json writes. The dashboard is at /.")),
            ("openapi", .string("/openapi.json")),
            ("routes", .array(routes.map { .string($0) })),
        ]).encode(to: encoder)
    }
}
