import AgentLogJSON
import AgentLogDemo
import AgentLogHistory
import AgentLogStore
import AgentLogTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import AgentLogServer

/// GETs `uri` from the router and returns the status and the parsed JSON object.
func get(_ uri: String, _ store: AgentLogStore) async throws -> (status: Int, json: [String: Any]) {
    let app = Application(router: AgentLogServer.router(store: store))
    return try await app.test(.router) { client in
        try await client.execute(uri: uri, method: .get) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (Int(response.status.code), json)
        }
    }
}

@Suite("The JSON API, in-process")
struct APIRouteTests {
    let store: AgentLogStore

    init() throws { store = try DemoDatabase.shared.get().store }

    @Test("status, sessions, one session, reports, search, events, projects, runs, agents and claims answer their schema")
    func happyPaths() async throws {
        let status = try await get("/api/v1/status", store)
        #expect(status.status == 200 && status.json["schema"] as? String == "agentlog.db-status.v1")
        #expect(status.json["sessions"] as? Int == 14)

        let sessions = try await get("/api/v1/sessions?limit=5&agent=claude", store)
        #expect(sessions.json["schema"] as? String == "agentlog.sessions.v1")
        let rows = try #require(sessions.json["rows"] as? [[String: Any]])
        #expect(rows.count == 5)
        let id = try #require(rows.first?["id"] as? String)

        let session = try await get("/api/v1/sessions/\(id.prefix(8))", store)
        #expect(session.status == 200 && session.json["schema"] as? String == "agentlog.session.v1")
        #expect(((session.json["session"] as? [String: Any])?["id"] as? String) == id)
        #expect((session.json["turns"] as? [Any])?.isEmpty == false)

        let report = try await get("/api/v1/reports?group=model&timezone=UTC", store)
        #expect(report.json["schema"] as? String == "agentlog.report.v1" && report.json["report"] as? String == "model")
        #expect((report.json["totals"] as? [String: Any])?["sessions"] as? Int == 14)

        let search = try await get("/api/v1/search?q=widget&limit=3", store)
        #expect(search.status == 200 && search.json["schema"] as? String == "agentlog.search.v1")
        #expect((search.json["rows"] as? [Any])?.isEmpty == false)

        for (path, schema) in [("events?after=0", "agentlog.events.v1"), ("projects", "agentlog.projects.v1"), ("runs", "agentlog.runs.v1"),
                               ("agents", "agentlog.agents.v1"), ("claims", "agentlog.claims.v1")] {
            let answer = try await get("/api/v1/" + path, store)
            #expect(answer.status == 200 && answer.json["schema"] as? String == schema, "\(path): \(answer)")
        }
    }

    @Test("a bad parameter is a 400 naming it; an unknown session a 404; an unknown route a 404, all as JSON errors",
          arguments: [("/api/v1/sessions?limit=0", 400, "limit"), ("/api/v1/sessions?limit=abc", 400, "limit"),
                      ("/api/v1/sessions?since=2026-13-40", 400, "since"), ("/api/v1/sessions?colour=red", 400, "colour"),
                      ("/api/v1/reports?group=hourly", 400, "group"), ("/api/v1/reports?timezone=Mars%2FBase", 400, "timezone"),
                      ("/api/v1/reports?since=2026-02-01&until=2026-01-01", 400, "until"), ("/api/v1/search", 400, "q"),
                      ("/api/v1/search?q=x&limit=100000", 400, "limit"), ("/api/v1/events?after=-3", 400, "after"),
                      ("/api/v1/runs?status=exploded", 400, "status"), ("/api/v1/sessions/no-such-session", 404, "id"),
                      ("/api/v1/nothing-here", 404, "")])
    func badInput(uri: String, status: Int, parameter: String) async throws {
        let answer = try await get(uri, store)
        #expect(answer.status == status, "\(uri): \(answer)")
        #expect(answer.json["schema"] as? String == "agentlog.error.v1")
        #expect((answer.json["error"] as? String)?.isEmpty == false)
        if !parameter.isEmpty { #expect(answer.json["parameter"] as? String == parameter, "\(uri): \(answer.json)") }
    }

    @Test("the API answers the same document as the CLI's result type")
    func sameDocumentAsTheCLI() async throws {
        let sessions = try store.sessions(SessionQuery(limit: 50))
        let expected = try JSONSerialization.jsonObject(with: Data(try JSONOutput.document(SessionList(rows: sessions)).utf8())) as? NSDictionary
        let answer = try await get("/api/v1/sessions", store)
        #expect(NSDictionary(dictionary: answer.json) == expected)
    }

    @Test("openapi.json is OpenAPI 3.1, and every path it describes is served")
    func openAPI() async throws {
        let spec = try await get("/openapi.json", store)
        #expect(spec.json["openapi"] as? String == "3.1.0")
        let paths = try #require(spec.json["paths"] as? [String: Any])
        #expect(paths.count == 28)
        let index = try await get("/api/v1", store)
        #expect(index.json["schema"] as? String == "agentlog.api.v1")
        #expect(Set(index.json["routes"] as? [String] ?? []) == Set(paths.keys.filter { $0.hasPrefix("/api/") }))
        let id = try #require(try store.sessions(SessionQuery(limit: 1)).first?.sessionId)
        // The live streams never end; LiveEventTests reads them from a real server.
        // Routes that only write are exercised by ServerDataTests and SecurityTests.
        for (path, item) in paths where !path.hasSuffix("/stream") && (item as? [String: Any])?["get"] != nil {
            let uri = path.replacingOccurrences(of: "{id}", with: id).replacingOccurrences(of: "{client}", with: "phone")
                + (path.hasSuffix("/search") ? "?q=widget" : "")
            let answer = try await get(uri, store)
            #expect(answer.status == 200, "\(path): \(answer.status) \(answer.json)")
        }
    }
}

@Suite("The server on loopback")
struct LiveServerTests {
    @Test("the Host check: loopback names pass, any other name is refused (DNS rebinding)")
    func hostNames() {
        let options = ServerOptions(host: "127.0.0.1", port: 7420)
        for host in ["127.0.0.1:7420", "localhost:7420", "LOCALHOST", "[::1]:7420", "127.0.0.1"] { #expect(options.allows(host: host), "\(host)") }
        for host in ["evil.example:7420", "127.0.0.1.evil.example", "", "[::1", "192.168.1.10:7420"] { #expect(!options.allows(host: host), "\(host)") }
        #expect(!options.allows(host: nil))
    }

    @Test("a real server on a free loopback port answers the API, and refuses a foreign Host with 403")
    func live() async throws {
        let store = try DemoDatabase.shared.get().store
        let app = AgentLogServer.application(store: store, options: ServerOptions(host: "127.0.0.1", port: 0))
        try await app.test(.live) { client in
            try await client.execute(uri: "/api/v1/status", method: .get) { response in
                #expect(response.status == .ok)
            }
            let port = try #require(client.port)
            #expect(try await rawStatusLine(port: port, host: "evil.example").hasPrefix("HTTP/1.1 403"))
            #expect(try await rawStatusLine(port: port, host: "127.0.0.1:\(port)").hasPrefix("HTTP/1.1 200"))
        }
    }
}

/// Sends `GET /api/v1/status` with the given `Host` header over a plain socket to 127.0.0.1
/// (HTTP clients set Host themselves) and returns the response's status line.
func rawStatusLine(port: Int, host: String) async throws -> String {
    let line = await LoopbackSocket.statusLine(port: port, request: "GET /api/v1/status HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
    guard !line.isEmpty else { throw POSIXError(.ECONNREFUSED) }
    return line
}
