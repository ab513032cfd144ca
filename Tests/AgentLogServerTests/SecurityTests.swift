import AgentLogStore
import AgentLogTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AgentLogServer

/// A request to the router of a server with `options`: the status, the headers and the body.
func send(_ uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: String? = nil,
          options: ServerOptions, store: AgentLogStore) async throws -> (status: Int, headers: HTTPFields, body: String) {
    let app = Application(router: AgentLogServer.router(store: store, options: options))
    return try await app.test(.router) { client in
        try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            (Int(response.status.code), response.headers, String(buffer: response.body))
        }
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test("the standard's test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ])
    func vectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
    }
}

@Suite("Tokens, pairing and the checks of a server beyond loopback")
struct SecurityTests {
    let folder: TemporaryFolder
    let store: AgentLogStore
    let open = ServerOptions(host: "0.0.0.0", port: 7420, extraHosts: ["192.168.1.5"], pairing: true)

    init() throws {
        folder = try TemporaryFolder()
        store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
    }

    @Test("beyond loopback: no token or a wrong one is a 401, a valid one lets in, a revoked one no longer does")
    func tokens() async throws {
        // Router tests send Host: localhost, one of the names every server answers.
        let host: HTTPFields = [:]
        let none = try await send("/api/v1/status", headers: host, options: open, store: store)
        #expect(none.status == 401 && none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true && none.body.contains("agentlog.error.v1"))
        var wrong = host
        wrong[.authorization] = "Bearer agl_notatokenatallnotatokenatallnotatoken"
        #expect(try await send("/api/v1/status", headers: wrong, options: open, store: store).status == 401)
        let page = try await send("/sessions", headers: host, options: open, store: store)
        #expect(page.status == 401 && page.body.contains("/pair"))

        let made = try await store.createToken(name: "laptop")
        #expect(made.token.hasPrefix("agl_") && made.token.count == 44)
        var right = host
        right[.authorization] = "Bearer \(made.token)"
        #expect(try await send("/api/v1/status", headers: right, options: open, store: store).status == 200)
        var cookie = host
        cookie[.cookie] = "theme=dark; agentlog_token=\(made.token)"
        #expect(try await send("/", headers: cookie, options: open, store: store).status == 200)
        // Only the hash is stored.
        #expect(try await store.tokens().first?.hint == String(made.token.prefix(10)))
        #expect(!(try String(contentsOfFile: folder.path + "/agentlog.db", encoding: .isoLatin1).contains(made.token)))

        // Revoking by the token itself works (its hash is compared).
        _ = try await store.revokeToken(made.token)
        #expect(try await send("/api/v1/status", headers: right, options: open, store: store).status == 401)
        // On loopback no token is asked for.
        #expect(try await send("/api/v1/status", options: ServerOptions(), store: store).status == 200)
    }

    @Test("an expired token is refused")
    func expiredToken() async throws {
        let now = AgentLogStore.now()
        let made = try await store.createToken(name: "short", expiresAt: now + 1_000, at: now - 5_000)
        #expect(try await store.authenticate(token: made.token, at: now) != nil)
        #expect(try await store.authenticate(token: made.token, at: now + 2_000) == nil)
    }

    @Test("a cross-site or foreign-origin POST is refused with 403, a same-origin one goes through")
    func crossSite() async throws {
        let loopback = ServerOptions(pairing: true)
        let body = #"{"device":"phone"}"#
        let crossSite = try await send("/api/v1/auth/pair", method: .post, headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"],
                                       body: body, options: loopback, store: store)
        #expect(crossSite.status == 403)
        let foreign = try await send("/api/v1/auth/pair", method: .post, headers: [HTTPField.Name("Origin")!: "http://evil.example"],
                                     body: body, options: loopback, store: store)
        #expect(foreign.status == 403)
        // Another web app on this machine is another origin: same name, another port.
        let otherPort = try await send("/api/v1/auth/pair", method: .post, headers: [HTTPField.Name("Origin")!: "http://localhost:3000"],
                                       body: body, options: loopback, store: store)
        #expect(otherPort.status == 403)
        let same = try await send("/api/v1/auth/pair", method: .post, headers: [HTTPField.Name("Origin")!: "http://127.0.0.1:7420",
                                                                                HTTPField.Name("Sec-Fetch-Site")!: "same-origin"],
                                  body: body, options: loopback, store: store)
        #expect(same.status == 201, "\(same.body)")
        #expect(try await send("/api/v1/status", method: .delete, options: loopback, store: store).status == 405)
    }

    @Test("pairing: a device gets its token once after approval; denied and expired requests are refused")
    func pairing() async throws {
        let host: HTTPFields = [:]
        func start() async throws -> [String: Any] {
            let answer = try await send("/api/v1/auth/pair", method: .post, headers: host, body: #"{"device":"Ana's phone"}"#, options: open, store: store)
            #expect(answer.status == 201)
            return try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
        }
        func poll(_ code: String) async throws -> (Int, String) {
            let answer = try await send("/api/v1/auth/pair/token", method: .post, headers: host, body: #"{"deviceCode":"\#(code)"}"#,
                                        options: open, store: store)
            return (answer.status, answer.body)
        }
        let first = try await start()
        let deviceCode = try #require(first["deviceCode"] as? String)
        let userCode = try #require(first["userCode"] as? String)
        #expect(userCode.count == 9 && userCode.contains("-"))
        #expect(try await poll(deviceCode).0 == 202)
        _ = try await store.decidePairing(code: userCode.lowercased().replacingOccurrences(of: "-", with: ""), approve: true)
        let (status, body) = try await poll(deviceCode)
        #expect(status == 200)
        let token = try #require((try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["token"] as? String)
        var authorized = host
        authorized[.authorization] = "Bearer \(token)"
        #expect(try await send("/api/v1/status", headers: authorized, options: open, store: store).status == 200)
        #expect(try await poll(deviceCode).0 == 404, "the token is handed out once")

        let denied = try await start()
        _ = try await store.decidePairing(code: try #require(denied["userCode"] as? String), approve: false)
        #expect(try await poll(try #require(denied["deviceCode"] as? String)).0 == 403)

        // A browser pairing gets a cookie that scripts cannot read, and no token in the answer.
        let browser = try await start()
        _ = try await store.decidePairing(code: try #require(browser["userCode"] as? String), approve: true)
        let signedIn = try await send("/api/v1/auth/pair/token", method: .post, headers: host,
                                      body: #"{"deviceCode":"\#(try #require(browser["deviceCode"] as? String))","cookie":true}"#, options: open, store: store)
        #expect(signedIn.status == 200 && signedIn.body.contains(#""token":null"#))
        let cookie = try #require(signedIn.headers[.setCookie])
        #expect(cookie.hasPrefix("agentlog_token=agl_") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))

        // A device name cannot forge terminal lines.
        let forged = try await store.startPairing(device: "phone\nagentlog serve: approve XXXX-YYYY\u{1b}[2K", address: nil)
        #expect(!forged.pairing.deviceName.contains("\n") && !forged.pairing.deviceName.contains("\u{1b}"))

        let old = try await store.startPairing(device: "old laptop", address: nil, at: AgentLogStore.now() - AgentLogStore.pairingLifetime - 1)
        #expect(try await poll(old.deviceCode).0 == 410)
        await #expect(throws: StoreError.self) { try await store.decidePairing(code: old.pairing.userCode, approve: true) }
        #expect(try await poll("not-a-code").0 == 404)
        // With pairing off the routes say so.
        let off = try await send("/api/v1/auth/pair", method: .post, headers: host, body: #"{"device":"x"}"#,
                                 options: ServerOptions(host: "0.0.0.0", extraHosts: ["192.168.1.5"]), store: store)
        #expect(off.status == 404 && off.body.contains("--pair"))
    }
}
