import AgentLogStore
import AgentLogTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AgentLogServer

@Suite("Users and sign-in beyond loopback")
struct LoginTests {
    let folder: TemporaryFolder
    let store: AgentLogStore
    let open = ServerOptions(host: "0.0.0.0", port: 7420)
    let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    init() async throws {
        folder = try TemporaryFolder()
        store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
        // bcrypt's lowest cost: these tests check the flow, not the hash's strength.
        _ = try await store.addUser("ana", passwordHash: try await Passwords.hash("correct horse", cost: 4))
    }

    private func cookie(_ token: String) -> HTTPFields { [.cookie: "agentlog_token=\(token)"] }

    @Test("a browser signs in with the right password, is let in by its cookie, and is let in no more once it signs out")
    func browserSignIn() async throws {
        let refused = try await send("/sessions?agent=claude", options: open, store: store)
        #expect(refused.status == 401 && refused.body.contains("/login?next=%2Fsessions%3Fagent%3Dclaude"), "\(refused.body)")
        let page = try await send("/login", options: open, store: store)
        #expect(page.status == 200 && page.body.contains(#"name="password""#) && page.body.contains(#"type="password""#))

        let wrong = try await send("/login", method: .post, headers: form, body: "user=ana&password=wrong+horse&next=%2Fsessions", options: open, store: store)
        #expect(wrong.status == 401 && wrong.body.contains("Wrong user name or password.") && wrong.headers[.setCookie] == nil)

        let right = try await send("/login", method: .post, headers: form, body: "user=ana&password=correct+horse&next=%2Fsessions", options: open, store: store)
        #expect(right.status == 303 && right.headers[.location] == "/sessions")
        let setCookie = try #require(right.headers[.setCookie])
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Max-Age=604800"))
        let token = try #require(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init))
        #expect(try await send("/sessions", headers: cookie(token), options: open, store: store).status == 200)
        #expect(try await send("/login", headers: cookie(token), options: open, store: store).body.contains("signed in as <strong>ana</strong>"))
        let login = try #require(try await store.tokens().first { $0.kind == .login })
        #expect(login.user == "ana" && (login.expiresAt ?? 0) - login.createdAt == LoginRoutes.lifetime)

        let out = try await send("/logout", method: .post, headers: cookie(token), options: open, store: store)
        #expect(out.status == 303 && out.headers[.setCookie]?.contains("Max-Age=0") == true)
        #expect(try await send("/sessions", headers: cookie(token), options: open, store: store).status == 401)
    }

    @Test("only a path on this server is where a sign-in goes on to")
    func nextStaysHere() async throws {
        for (next, expected) in [("%2F%2Fevil.example%2F", "/"), ("https%3A%2F%2Fevil.example", "/"), ("%2Fsearch%3Fq%3Dx", "/search?q=x"),
                                 ("%2F%5Cevil.example", "/")] {
            let answer = try await send("/login", method: .post, headers: form, body: "user=ana&password=correct+horse&next=\(next)",
                                        options: open, store: store)
            #expect(answer.headers[.location] == expected, "\(next)")
        }
    }

    @Test("scripts sign in through the API; an unknown user and a wrong password get the same 401; a bad body is a 400")
    func apiSignIn() async throws {
        let json: HTTPFields = [.contentType: "application/json"]
        let made = try await send("/api/v1/auth/login", method: .post, headers: json, body: #"{"user":"ana","password":"correct horse"}"#,
                                  options: open, store: store)
        #expect(made.status == 201, "\(made.body)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(made.body.utf8)) as? [String: Any])
        #expect(answer["schema"] as? String == "agentlog.login.v1" && answer["user"] as? String == "ana")
        let token = try #require(answer["token"] as? String)
        #expect(try await send("/api/v1/status", headers: [.authorization: "Bearer \(token)"], options: open, store: store).status == 200)
        let unknown = try await send("/api/v1/auth/login", method: .post, headers: json, body: #"{"user":"zed","password":"correct horse"}"#,
                                     options: open, store: store)
        let wrong = try await send("/api/v1/auth/login", method: .post, headers: json, body: #"{"user":"ana","password":"Correct horse"}"#,
                                   options: open, store: store)
        #expect(unknown.status == 401 && wrong.status == 401)
        #expect(unknown.body == wrong.body)
        let bad = try await send("/api/v1/auth/login", method: .post, headers: json, body: #"{"user":1}"#, options: open, store: store)
        #expect(bad.status == 400 && bad.body.contains("body"))
    }

    @Test("a new password or removing the user ends their sign-ins; users list their open sign-ins")
    func passwordChangeEndsLogins() async throws {
        func signIn() async throws -> String {
            let answer = try await send("/login", method: .post, headers: form, body: "user=ana&password=correct+horse", options: open, store: store)
            return try #require(answer.headers[.setCookie]?.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init))
        }
        let first = try await signIn()
        #expect(try await store.users().first?.activeLogins == 1)
        try await store.setPassword(ofUser: "ana", passwordHash: try await Passwords.hash("correct horse", cost: 4))
        #expect(try await store.authenticate(token: first) == nil)
        #expect(try await store.users().first?.activeLogins == 0)
        let second = try await signIn()
        try await store.removeUser("ana")
        #expect(try await store.authenticate(token: second) == nil)
        #expect(try await store.users().isEmpty)
        await #expect(throws: StoreError.self) { try await store.removeUser("ana") }
        await #expect(throws: StoreError.self) { _ = try await store.addUser("no one", passwordHash: "x") }
    }

    @Test("after five failed sign-ins from one address it must wait, even with the right password")
    func failedSignInsWait() async throws {
        // One application, as a running server has: its limiter remembers across requests.
        let app = Application(router: AgentLogServer.router(store: store, options: open))
        try await app.test(.router) { client in
            for _ in 0..<LoginLimiter.maximumFailures {
                try await client.execute(uri: "/login", method: .post, headers: form, body: ByteBuffer(string: "user=ana&password=guess+guess")) {
                    #expect($0.status.code == 401)
                }
            }
            try await client.execute(uri: "/login", method: .post, headers: form, body: ByteBuffer(string: "user=ana&password=correct+horse")) {
                #expect($0.status.code == 429 && String(buffer: $0.body).contains("Too many failed sign-ins"))
            }
        }
    }

    @Test("attempts sent side by side count as they start: a sixth one in flight is refused; at most four checks run at once")
    func parallelAttemptsCount() async throws {
        let limiter = LoginLimiter()
        for _ in 0..<4 { try await limiter.begin("10.0.0.1", at: 1_000) }
        await #expect(throws: LoginLimiter.Refusal.self) { try await limiter.begin("10.0.0.2", at: 1_000) }  // busy
        for _ in 0..<4 { await limiter.end("10.0.0.1", succeeded: false, at: 1_000) }
        try await limiter.begin("10.0.0.1", at: 1_000)  // the fifth attempt
        await #expect(throws: LoginLimiter.Refusal.self) { try await limiter.begin("10.0.0.1", at: 1_000) }
        await limiter.end("10.0.0.1", succeeded: false, at: 1_000)
        // Another address is not held back; the window passes for the first.
        try await limiter.begin("10.0.0.2", at: 1_000)
        await limiter.end("10.0.0.2", succeeded: true, at: 1_000)
        try await limiter.begin("10.0.0.1", at: 1_000 + LoginLimiter.window + 1)
    }

    @Test("a password is 8 to 72 bytes: bcrypt would cut a longer one without a word")
    func passwordLengths() async throws {
        await #expect(throws: StoreError.self) { _ = try await Passwords.hash("short", cost: 4) }
        await #expect(throws: StoreError.self) { _ = try await Passwords.hash(String(repeating: "x", count: 73), cost: 4) }
        await #expect(throws: StoreError.self) { _ = try await Passwords.hash("abc\u{0}defghij", cost: 4) }
        #expect(await Passwords.verify(String(repeating: "x", count: 73), hash: try await Passwords.hash(String(repeating: "x", count: 72), cost: 4)) == false)
    }
}
