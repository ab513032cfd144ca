import AgentLogDatabase
import AgentLogJSON
import AgentLogStore
import Foundation
import Hummingbird

/// Device pairing, as in the seeds: a phone or a second laptop asks to be let in and shows a
/// short code; the user approves it on this machine (`agentlog auth approve CODE`); the device,
/// polling with its secret device code, then gets a token — once. Requests expire after ten
/// minutes and can be denied. Only `serve --pair` answers these routes.
struct PairingRoutes: Sendable {
    let store: AgentLogStore
    let options: ServerOptions
    let templates: DashboardTemplates

    /// How often a device should poll, in seconds.
    static let pollInterval = 2

    func add(to router: Router<ServerRequestContext>) {
        router.get("pair") { _, _ in
            let html = templates.render(PairPage(frame: PageFrame(title: "Pair this device", tab: "", liveStream: ""), enabled: options.pairing), "pair")
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }
        router.post("api/v1/auth/pair") { request, context in
            try enabled()
            let body = try await RequestBody.object(request)
            guard let device = body["device"] as? String else {
                throw APIError.badParameter("device", "Send {\"device\": \"NAME\"}: a name for this device, such as \"Ana's phone\".")
            }
            guard try await store.pendingPairings() < AgentLogStore.pendingPairingLimit else {
                throw APIError(status: 429, "Too many pairing requests wait for a decision; try again in a few minutes.")
            }
            let (deviceCode, pairing) = try await store.startPairing(device: device, address: context.peer)
            options.onPairingRequest(pairing)
            _ = try? await store.log(.info, component: "auth", "Pairing requested by \(pairing.deviceName), code \(pairing.userCode).")
            return try Response.json(PairingStarted(deviceCode: deviceCode, pairing: pairing), status: .created)
        }
        router.post("api/v1/auth/pair/token") { request, _ in
            try enabled()
            let body = try await RequestBody.object(request)
            guard let deviceCode = body["deviceCode"] as? String, !deviceCode.isEmpty, deviceCode.count < 200 else {
                throw APIError.badParameter("deviceCode", "Send {\"deviceCode\": \"…\"}: the device code the pairing request answered.")
            }
            let outcome = try await store.claimPairing(deviceCode: deviceCode)
            switch outcome {
            case .pending: return try Response.json(PairingState(status: "pending", token: nil), status: .accepted)
            case .denied: throw APIError(status: 403, "The pairing was denied on the machine that runs agentlog.", parameter: "deviceCode")
            case .expired: throw APIError(status: 410, "The pairing code expired before it was approved; ask for a new one.", parameter: "deviceCode")
            case .unknown: throw APIError(status: 404, "No pairing waits for that device code (its token may already have been handed out).",
                                          parameter: "deviceCode")
            case .approved(let token, let record):
                _ = try? await store.log(.info, component: "auth", "Pairing approved: token \(record.hint)… issued to \(record.name).")
                guard body["cookie"] as? Bool == true else { return try Response.json(PairingState(status: "approved", token: token)) }
                // For the pairing page: the browser keeps the token in a cookie that scripts cannot
                // read, and the answer leaves it out.
                var response = try Response.json(PairingState(status: "approved", token: nil))
                response.headers[.setCookie] = "\(AuthMiddleware.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000"
                return response
            }
        }
    }

    private func enabled() throws {
        guard options.pairing else {
            throw APIError(status: 404, "Pairing is off: start the server with agentlog serve --pair to let devices ask to be let in.")
        }
    }
}

/// `agentlog.pairing.v1`: a pairing request made; the device shows `userCode` and polls with
/// `deviceCode`.
struct PairingStarted: SchemaResult {
    static let schema = "agentlog.pairing.v1"
    var deviceCode: String
    var pairing: Pairing

    func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("deviceCode", .string(deviceCode)), ("userCode", .string(pairing.userCode)), ("device", .string(pairing.deviceName)),
            ("expiresInSeconds", .int(Int((pairing.expiresAt - pairing.createdAt) / 1000))), ("interval", .int(PairingRoutes.pollInterval)),
            ("approveWith", .string("agentlog auth approve \(pairing.userCode)")),
        ]).encode(to: encoder)
    }
}

/// `agentlog.pairing-state.v1`: where a pairing stands; the token when it was just approved.
struct PairingState: SchemaResult {
    static let schema = "agentlog.pairing-state.v1"
    var status: String
    var token: String?

    func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([("status", .string(status)), ("token", .optional(token))]).encode(to: encoder)
    }
}

/// The pairing page's data.
struct PairPage: Sendable {
    var frame: PageFrame
    var enabled: Bool
}
