import AgentLogDatabase
import AgentLogStore
import Foundation
import HTTPTypes
import Hummingbird

/// Lets a request in only with a valid token when the server listens beyond loopback: a
/// `Authorization: Bearer agl_…` header (scripts, the API) or the `agentlog_token` cookie (a
/// paired or signed-in browser). The pairing and sign-in routes, their pages and the assets they
/// need are open, so that a new device can ask to be let in. On loopback every request is let in, as every other
/// command of this machine's user is. Beyond loopback even a loopback peer needs a token: it may
/// be a proxy forwarding another machine's request.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext
    let store: AgentLogStore
    let options: ServerOptions

    /// The cookie a paired browser sends.
    static var cookieName: String { "agentlog_token" }

    /// Paths open to anyone who reaches the server.
    static let openPaths: Set<String> = ["/pair", "/api/v1/auth/pair", "/api/v1/auth/pair/token", "/login", "/logout", "/api/v1/auth/login",
                                         "/assets/app.css", "/assets/app.js", "/assets/favicon.svg"]

    static func isOpen(_ path: String) -> Bool { openPaths.contains(path) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard options.requiresAuth, !Self.isOpen(request.uri.path) else { return try await next(request, context) }
        let presented = Self.bearer(request) ?? Self.cookie(request, Self.cookieName)
        if let presented, try await store.authenticate(token: presented) != nil {
            return try await next(request, context)
        }
        let reason = presented == nil ? "This agentlog server needs a token" : "That token is not valid (revoked, expired or unknown)"
        if request.uri.path.hasPrefix("/api/") || request.uri.path == "/openapi.json" {
            var response = try Response.json(APIError(status: 401, reason + ": send Authorization: Bearer TOKEN (agentlog auth token create, "
                                                      + "or POST /api/v1/auth/login), or pair this device at /pair."),
                                             status: .unauthorized)
            response.headers[.wwwAuthenticate] = #"Bearer realm="agentlog""#
            return response
        }
        let next = LoginRoutes.safeNext(request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
        let login = "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
        let heading = presented == nil ? "Sign in to use this agentlog server" : "Your sign-in has ended (revoked, expired or unknown)"
        var response = Response(status: .unauthorized, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: """
                                    <!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                                    <link rel="stylesheet" href="/assets/app.css"><title>Sign in · agentlog</title>
                                    <main><section class="card pair error-page"><h1>\(heading).</h1>
                                    <p><a href="\(login)">Sign in</a> with a user name and password, or <a href="/pair">pair this device</a>:
                                    it shows a code to approve on the machine that runs agentlog.</p></section></main>
                                    """)))
        response.headers[.wwwAuthenticate] = #"Bearer realm="agentlog""#
        return response
    }

    /// The token of an `Authorization: Bearer …` header.
    static func bearer(_ request: Request) -> String? {
        guard let value = request.headers[.authorization], value.lowercased().hasPrefix("bearer ") else { return nil }
        return String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }

    /// The value of the cookie `name`.
    static func cookie(_ request: Request, _ name: String) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == name { return String(pair[1]).trimmingCharacters(in: .whitespaces) }
            }
        }
        return nil
    }
}

/// Refuses a state-changing request (anything but GET, HEAD and OPTIONS) that a browser marks as
/// coming from another site — `Sec-Fetch-Site` other than `same-origin` or `none` — or whose
/// `Origin` is not this server (one of its names, on its port): a page elsewhere, even another
/// local web app on another port, cannot make a visitor's browser change anything here (403).
struct OriginCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    let options: ServerOptions

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard ![.get, .head, .options].contains(request.method) else { return try await next(request, context) }
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]?.lowercased(), site != "same-origin", site != "none" {
            return try Response.json(APIError(status: 403, "A \(site) request may not change anything here; use the dashboard itself or a script."),
                                     status: .forbidden)
        }
        if let origin = request.headers[HTTPField.Name("Origin")!] {
            let authority = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first.map(String.init)
            guard origin != "null", let authority, options.allows(host: authority), Self.port(of: authority, origin: origin) == options.port || options.port == 0 else {
                return try Response.json(APIError(status: 403, "Requests from the origin '\(origin.prefix(80))' may not change anything here."),
                                         status: .forbidden)
            }
        }
        return try await next(request, context)
    }

    /// The port of an `Origin`'s authority (the scheme's default when it names none).
    static func port(of authority: String, origin: String) -> Int? {
        let afterHost = authority.hasPrefix("[") ? authority.split(separator: "]", maxSplits: 1).dropFirst().first.map(String.init) ?? "" : authority
        if let colon = afterHost.lastIndex(of: ":") { return Int(afterHost[afterHost.index(after: colon)...]) }
        return origin.lowercased().hasPrefix("https:") ? 443 : 80
    }
}
