import AgentLogDatabase
import AgentLogHistory
import AgentLogIngest
import AgentLogOTLP
import AgentLogTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AgentLogServer

@Suite("The OTLP receiver on loopback")
struct OTLPServerTests {
    static let calls: [[[(String, any Sendable)]]] = [
        [OTLPExports.callAttributes(request: "req_A", session: "s1", input: 120, output: 50, at: "2025-12-01T12:00:00Z"),
         OTLPExports.callAttributes(request: "req_B", session: "s1", input: 7, output: 3, at: "2025-12-01T12:01:00Z")],
        [OTLPExports.callAttributes(request: "req_C", session: "s2", input: 1, output: 2, at: "2025-12-01T13:00:00Z")],
    ]

    /// A real receiver on a free port over a new database; `body` gets the client and the store.
    func withReceiver(_ body: @Sendable (any TestClientProtocol, AgentLogStore) async throws -> Void) async throws {
        let folder = try TemporaryFolder()
        let store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
        let app = AgentLogServer.otlpApplication(store: store, options: OTLPOptions(port: 0))
        try await app.test(.live) { client in try await body(client, store) }
        _ = folder
    }

    static func count(_ table: String, _ store: AgentLogStore) throws -> Int {
        try store.readStatements { db in Int(try db.statement("SELECT COUNT(*) FROM \(table)").runReturningInt() ?? -1) }
    }

    @Test("http/json, http/protobuf and gzip exports are stored; a resent export adds nothing")
    func encodings() async throws {
        try await withReceiver { client, store in
            let json = ByteBuffer(string: OTLPExports.logsJSON(resources: Self.calls))
            try await client.execute(uri: "/v1/logs", method: .post, headers: [.contentType: "application/json"], body: json) { response in
                #expect(response.status == .ok && String(buffer: response.body) == "{}")
                #expect(response.headers[.contentType] == "application/json")
            }
            #expect(try Self.count("telemetry_requests", store) == 3)
            // The same calls again, as gzipped protobuf: recognised, not stored twice.
            let bytes: [UInt8] = try OTLPExports.logsMessage(resources: Self.calls).serializedBytes()
            try await client.execute(uri: "/v1/logs", method: .post,
                                     headers: [.contentType: "application/x-protobuf", .contentEncoding: "gzip"],
                                     body: ByteBuffer(bytes: try OTLPExports.gzip(bytes))) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "application/x-protobuf")
                let answer = try OTLPExportLogsServiceResponse(serializedBytes: Array(response.body.readableBytesView))
                #expect(!answer.hasPartialSuccess)
            }
            #expect(try Self.count("telemetry_requests", store) == 3)
            let metrics: [UInt8] = try OTLPExports.metricsMessage(session: "s1").serializedBytes()
            try await client.execute(uri: "/v1/metrics", method: .post, headers: [.contentType: "application/x-protobuf"],
                                     body: ByteBuffer(bytes: metrics)) { response in #expect(response.status == .ok) }
            #expect(try Self.count("telemetry_metric_points", store) == 3)
            try await client.execute(uri: "/v1/traces", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: "{\"resourceSpans\":[]}")) { response in #expect(response.status == .ok) }
        }
    }

    @Test("a bad record comes back in partial_success with its reason, the good ones are stored")
    func partialSuccess() async throws {
        try await withReceiver { client, store in
            var bad = OTLPExports.callAttributes(request: "req_X", session: "s1", input: 1, output: 1, at: "2025-12-01T12:00:00Z")
            bad[6] = ("input_tokens", "lots")
            let body = ByteBuffer(string: OTLPExports.logsJSON(resources: [[Self.calls[0][0], bad]]))
            try await client.execute(uri: "/v1/logs", method: .post, headers: [.contentType: "application/json"], body: body) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("\"rejectedLogRecords\":\"1\"") && text.contains("log record 2") && text.contains("input_tokens"))
            }
            #expect(try Self.count("telemetry_requests", store) == 1)
        }
    }

    @Test("malformed, unsupported and oversized requests are refused with 400, 415 and 413, and nothing is stored")
    func refusals() async throws {
        try await withReceiver { client, store in
            let cases: [(HTTPFields, ByteBuffer, HTTPResponse.Status)] = [
                ([.contentType: "application/json"], ByteBuffer(string: "{\"resourceLogs\":[{"), .badRequest),
                ([.contentType: "application/x-protobuf"], ByteBuffer(bytes: [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]), .badRequest),
                ([.contentType: "application/json", .contentEncoding: "gzip"], ByteBuffer(string: "not gzip"), .badRequest),
                ([.contentType: "text/plain"], ByteBuffer(string: "{}"), .unsupportedMediaType),
                ([.contentType: "application/json", .contentEncoding: "zstd"], ByteBuffer(string: "{}"), .unsupportedMediaType),
            ]
            for (headers, body, status) in cases {
                try await client.execute(uri: "/v1/logs", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == status, "\(headers)")
                    // The refusal is a google.rpc.Status in the request's encoding.
                    if response.headers[.contentType] == "application/x-protobuf" {
                        let status = try? OTLPStatus(serializedBytes: Array(response.body.readableBytesView))
                        #expect(status?.message.isEmpty == false)
                    } else {
                        #expect(String(buffer: response.body).contains("\"message\""))
                    }
                }
            }
            try await client.execute(uri: "/v1/logs", method: .get) { response in #expect(response.status != .ok) }
            // Over 8 MB: refused from its Content-Length, before the body is read (written over a
            // plain socket: a client that must send all 8 MB first could wait on a server that stopped reading).
            let port = try #require(client.port)
            let oversized = await LoopbackSocket.statusLine(port: port, request: "POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
                                                      + "Content-Type: application/json\r\nContent-Length: \(OTLPReceiver.maxBodyBytes + 1)\r\n\r\n{\"resourceLogs\":[")
            #expect(oversized.hasPrefix("HTTP/1.1 413"), "\(oversized)")
            #expect(try Self.count("telemetry_requests", store) == 0)
        }
    }

    @Test("a foreign Host, a web page's Origin and a peer beyond loopback are refused with 403")
    func access() async throws {
        try await withReceiver { client, store in
            let port = try #require(client.port)
            let body = OTLPExports.logsJSON(resources: Self.calls)
            func post(host: String, extra: String = "") async -> String {
                await LoopbackSocket.statusLine(port: port, request: "POST /v1/logs HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\n"
                                          + extra + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body)
            }
            #expect(await post(host: "evil.example:\(port)").hasPrefix("HTTP/1.1 403"))
            #expect(await post(host: "127.0.0.1:\(port)", extra: "Origin: http://evil.example\r\n").hasPrefix("HTTP/1.1 403"))
            #expect(try Self.count("telemetry_requests", store) == 0)
            #expect(await post(host: "127.0.0.1:\(port)").hasPrefix("HTTP/1.1 200"))
            #expect(try Self.count("telemetry_requests", store) == 3)
        }
        #expect(OTLPAccessMiddleware.refusal(peerIsLoopback: false, host: "127.0.0.1:4318", origin: nil, port: 4318)?.contains("this machine") == true)
        #expect(OTLPAccessMiddleware.refusal(peerIsLoopback: true, host: "localhost:4318", origin: nil, port: 4318) == nil)
    }
}
