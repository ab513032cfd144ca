import AgentLogDatabase
import AgentLogJSON
import AgentLogStore
import Foundation
import Hummingbird

/// Signing in with a user name and password (`agentlog auth user add`), for a browser on another
/// machine: `/login` shows the form and, posted, sets the `agentlog_token` cookie to a login
/// token that expires after ``lifetime``; `/logout` revokes it. Scripts post JSON to
/// `/api/v1/auth/login` for the same token. Failed attempts are limited per address.
struct LoginRoutes: Sendable {
    let store: AgentLogStore
    let options: ServerOptions
    let templates: DashboardTemplates
    let limiter = LoginLimiter()

    /// How long a login lasts, in ms: 7 days.
    static let lifetime: Int64 = 7 * 86_400_000

    func add(to router: Router<ServerRequestContext>) {
        router.get("login") { request, _ in
            try await page(request, next: request.uri.queryParameters["next"].map(String.init), message: nil, status: .ok)
        }
        router.post("login") { request, context in
            let form = try await RequestBody.form(request)
            let next = Self.safeNext(form["next"])
            switch try await signIn(user: form["user"] ?? "", password: form["password"] ?? "", address: context.peer) {
            case .signedIn(let token, _):
                var response = Response(status: .seeOther, headers: [.location: next, .cacheControl: "no-store"])
                response.headers[.setCookie] = "\(AuthMiddleware.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(Self.lifetime / 1000)"
                return response
            case .refused(let error):
                return try await page(request, next: next, message: error.message, status: HTTPResponse.Status(code: error.status))
            }
        }
        router.post("api/v1/auth/login") { request, context in
            let body = try await RequestBody.object(request)
            guard let user = body["user"] as? String, let password = body["password"] as? String else {
                throw APIError.badParameter("body", "Send {\"user\": \"NAME\", \"password\": \"…\"}.")
            }
            switch try await signIn(user: user, password: password, address: context.peer) {
            case .signedIn(let token, let record): return try Response.json(LoginIssued(token: token, record: record), status: .created)
            case .refused(let error): throw error
            }
        }
        router.post("logout") { request, _ in
            // The cookie was the only holder of its token (HttpOnly): signing out revokes it, a
            // paired device's too (this browser forgets it).
            if let token = AuthMiddleware.cookie(request, AuthMiddleware.cookieName),
               let record = try await store.authenticate(token: token) {
                _ = try await store.revokeToken(token)
                _ = try? await store.log(.info, component: "auth", record.kind == .login ? "User \(record.user) signed out." : "\(record.name) signed out.")
            }
            var response = Response(status: .seeOther, headers: [.location: "/login", .cacheControl: "no-store"])
            response.headers[.setCookie] = "\(AuthMiddleware.cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
            return response
        }
    }

    private enum Outcome {
        case signedIn(token: String, record: APIToken)
        case refused(APIError)

        var isSignedIn: Bool {
            if case .signedIn = self { return true }
            return false
        }
    }

    /// Checks `user`'s password and makes a login token; refuses, with the same words for an
    /// unknown user as for a wrong password, or while the address has failed too often. The
    /// attempt is counted before the password is checked, so parallel guesses count too.
    private func signIn(user: String, password: String, address: String?) async throws -> Outcome {
        let address = address ?? "unknown address"
        let now = AgentLogStore.now()
        do {
            try await limiter.begin(address, at: now)
        } catch .wait(let wait) {
            return .refused(APIError(status: 429, "Too many failed sign-ins from \(address); try again in \(wait / 60_000 + 1) minutes."))
        } catch .busy {
            return .refused(APIError(status: 429, "Too many sign-ins are being checked at once; try again in a moment."))
        }
        let outcome: Outcome
        do {
            outcome = try await checkPassword(user: user, password: password, address: address, at: now)
        } catch {
            await limiter.end(address, succeeded: false, at: now)
            throw error
        }
        await limiter.end(address, succeeded: outcome.isSignedIn, at: now)
        return outcome
    }

    /// The sign-in itself, once the limiter let the attempt in.
    private func checkPassword(user: String, password: String, address: String, at now: Int64) async throws -> Outcome {
        let name = user.trimmingCharacters(in: .whitespaces)
        let hash = (try? AgentLogStore.checkUserName(name)) == nil ? nil : try await store.passwordHash(ofUser: name)
        guard await Passwords.verify(password, hash: hash), let hash else {
            // Only a real user's name is written down: what was typed may be anything (a password).
            let who = hash == nil ? "an unknown user name" : name
            _ = try? await store.log(.warning, component: "auth", "Failed sign-in as \(who) from \(address).")
            return .refused(APIError(status: 401, "Wrong user name or password."))
        }
        let made = try await store.createToken(name: "login from \(address)", kind: .login, user: name, expiresAt: now + Self.lifetime, at: now)
        // A new password (or the user's removal) while this one was checked ends this sign-in too.
        guard try await store.passwordHash(ofUser: name) == hash else {
            _ = try await store.revokeToken(made.token)
            return .refused(APIError(status: 401, "Wrong user name or password."))
        }
        _ = try? await store.pruneLogins(before: now - Self.lifetime)
        _ = try? await store.log(.info, component: "auth", "User \(name) signed in from \(address).")
        return .signedIn(token: made.token, record: made.record)
    }

    /// The sign-in page: the form, who is signed in already, and `message` if the last try failed.
    private func page(_ request: Request, next: String?, message: String?, status: HTTPResponse.Status) async throws -> Response {
        var current: [String] = []
        if let token = AuthMiddleware.cookie(request, AuthMiddleware.cookieName), let record = try await store.authenticate(token: token) {
            current = [record.kind == .login ? record.user : record.name]
        }
        let data = LoginPage(frame: PageFrame(title: "Sign in", tab: "", liveStream: ""), next: Self.safeNext(next),
                             message: message.map { [$0] } ?? [], signedInAs: current, needed: options.requiresAuth)
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: templates.render(data, "login"))))
    }

    /// `next` if it is a path on this server (`/…`, not `//host`); otherwise the overview.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.count < 2_000,
              !next.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return "/" }
        return next
    }
}

/// The sign-in page's data (lists of none or one instead of optionals: a template looks a
/// missing value up in the enclosing context).
struct LoginPage: Sendable {
    var frame: PageFrame
    var next: String
    /// Why the last try failed, if it did.
    var message: [String]
    /// Who the browser is signed in as already (a login's user, or a paired device's name).
    var signedInAs: [String]
    /// Whether this server asks for sign-in at all (it does beyond loopback).
    var needed: Bool
}

/// `agentlog.login.v1`: a login token for scripts, and when it expires.
struct LoginIssued: SchemaResult {
    static let schema = "agentlog.login.v1"
    var token: String
    var record: APIToken

    func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([("token", .string(token)), ("user", .string(record.user)), ("expiresAt", .optional(record.expiresAt))])
            .encode(to: encoder)
    }
}
