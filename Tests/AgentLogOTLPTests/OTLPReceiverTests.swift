import AgentLogIngest
import AgentLogTestSupport
@testable import AgentLogOTLP
import Foundation
import Testing

@Suite("OTLP export requests decoded")
struct OTLPReceiverTests {
    static let calls: [[[(String, any Sendable)]]] = [
        [OTLPExports.callAttributes(request: "req_A", session: "s1", input: 120, output: 50, cacheRead: 1_000, cacheCreation: 30, at: "2025-12-01T12:00:00.000Z"),
         OTLPExports.callAttributes(request: "req_B", session: "s1", model: "claude-opus-4-5", input: 7, output: 3, cost: nil, at: "2025-12-01T12:01:00.500Z")],
        [OTLPExports.callAttributes(request: "req_C", session: "s2", input: 1, output: 2, cost: "1.5", at: "2025-12-01T13:00:00Z")],
    ]

    @Test("a real-shaped http/json logs export gives each call's tokens, cost, request id, session and time")
    func jsonLogs() throws {
        let body = Array(OTLPExports.logsJSON(resources: Self.calls).utf8)
        let batch = try OTLPReceiver.decode(.logs, body: body, encoding: .json, receivedAt: 0)
        #expect(batch.rejected.isEmpty && batch.ignored == 0)
        #expect(batch.requests.map(\.requestId) == ["req_A", "req_B", "req_C"])
        let first = try #require(batch.requests.first)
        #expect(first.tokens == TokenCounts(input: 120, output: 50, cacheCreation: 30, cacheRead: 1_000))
        #expect(first.costPico == 87_500_000_000 && first.durationMs == 2_150 && first.sessionId == "s1" && first.promptId == "p-1")
        #expect(first.timestamp == Timestamp.milliseconds(fromISO8601: "2025-12-01T12:00:00.000Z"))
        #expect(first.model == "claude-sonnet-4-5" && first.querySource == "repl_main_thread")
        #expect(batch.requests[1].costPico == nil && batch.requests[1].model == "claude-opus-4-5")
        #expect(batch.requests[2].costPico == 1_500_000_000_000 && batch.requests[2].sessionId == "s2")
    }

    @Test("the same export as http/protobuf decodes to the same calls")
    func protobufLogs() throws {
        let json = try OTLPReceiver.decode(.logs, body: Array(OTLPExports.logsJSON(resources: Self.calls).utf8), encoding: .json, receivedAt: 0)
        let bytes: [UInt8] = try OTLPExports.logsMessage(resources: Self.calls).serializedBytes()
        let protobuf = try OTLPReceiver.decode(.logs, body: bytes, encoding: .protobuf, receivedAt: 0)
        #expect(protobuf == json)
        #expect(protobuf.requests.count == 3)
    }

    @Test("gzip bodies of either encoding inflate to the same export; concatenated members are read")
    func gzipBodies() throws {
        let json = Array(OTLPExports.logsJSON(resources: Self.calls).utf8)
        #expect(try OTLPReceiver.inflate(try OTLPExports.gzip(json), contentEncoding: "gzip") == json)
        let protobuf: [UInt8] = try OTLPExports.logsMessage(resources: Self.calls).serializedBytes()
        #expect(try OTLPReceiver.inflate(try OTLPExports.gzip(protobuf), contentEncoding: "GZIP") == protobuf)
        let halves = try OTLPExports.gzip(Array(json[..<100])) + OTLPExports.gzip(Array(json[100...]))
        #expect(try OTLPReceiver.inflate(halves, contentEncoding: "gzip") == json)
        #expect(try OTLPReceiver.inflate(json, contentEncoding: nil) == json)
    }

    @Test("malformed, truncated and oversized gzip is refused with 400 or 413")
    func badGzip() throws {
        let packed = try OTLPExports.gzip(Array(OTLPExports.logsJSON(resources: Self.calls).utf8))
        #expect(throws: OTLPRefusal.self) { try OTLPReceiver.inflate(Array(packed.prefix(packed.count / 2)), contentEncoding: "gzip") }
        #expect(throws: OTLPRefusal.self) { try OTLPReceiver.inflate(Array("not gzip at all".utf8), contentEncoding: "gzip") }
        // 40 MB of zeros packs into ~40 kB: refused before it is all held.
        let bomb = try OTLPExports.gzip([UInt8](repeating: 0, count: 40 * 1024 * 1024))
        #expect(bomb.count < 100_000)
        do {
            _ = try OTLPReceiver.inflate(bomb, contentEncoding: "gzip")
            Issue.record("a gzip bomb was inflated")
        } catch { #expect(error.status == 413) }
        do {
            _ = try OTLPReceiver.inflate(packed, contentEncoding: "br")
            Issue.record("brotli was accepted")
        } catch { #expect(error.status == 415 && error.message.contains("br")) }
    }

    @Test("content types: JSON and protobuf (with parameters) are taken, anything else is a 415 naming it")
    func contentTypes() throws {
        #expect(try OTLPReceiver.encoding(contentType: "application/json; charset=utf-8") == .json)
        #expect(try OTLPReceiver.encoding(contentType: "application/x-protobuf") == .protobuf)
        for type in ["text/plain", "", "application/grpc"] {
            do {
                _ = try OTLPReceiver.encoding(contentType: type)
                Issue.record("\(type) was accepted")
            } catch { #expect(error.status == 415 && error.message.contains("'\(type)'")) }
        }
    }

    @Test("malformed bodies are refused with 400 and a reason: truncated, not UTF-8, deeply nested, wrong types, garbage protobuf")
    func malformedBodies() throws {
        let json = OTLPExports.logsJSON(resources: Self.calls)
        var nested = "{\"stringValue\":\"x\"}"
        for _ in 0..<300 { nested = "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":\(nested)}]}}" }
        let deep = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"attributes\":[{\"key\":\"k\",\"value\":\(nested)}]}]}]}]}"
        let cases: [([UInt8], OTLPEncoding, String)] = [
            (Array(json.utf8.prefix(json.utf8.count / 2)), .json, "ends early"),
            (Array("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"severityText\":\"".utf8) + [0xFF, 0xFE] + Array("\"}]}]}]}".utf8), .json, "UTF-8"),
            (Array(deep.utf8), .json, "nests too deeply"),
            (Array("{\"resourceLogs\":{\"oops\":1}}".utf8), .json, "OTLP JSON"),
            (Array("[1,2,3]".utf8), .json, "OTLP JSON"),
            ([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01], .protobuf, "protobuf"),
        ]
        for (body, encoding, reason) in cases {
            do {
                _ = try OTLPReceiver.decode(.logs, body: body, encoding: encoding, receivedAt: 0)
                Issue.record("accepted: \(reason)")
            } catch {
                #expect(error.status == 400 && error.message.contains(reason), "\(error.message)")
            }
        }
    }

    @Test("a record with a bad number is refused by name and index, the records around it are kept; other events are ignored")
    func badRecords() throws {
        var bad = OTLPExports.callAttributes(request: "req_X", session: "s1", input: 1, output: 1, at: "2025-12-01T12:00:00Z")
        bad[6] = ("input_tokens", "-5")
        var huge = OTLPExports.callAttributes(request: "req_Y", session: "s1", input: 1, output: 1, at: "2025-12-01T12:00:00Z")
        huge[7] = ("output_tokens", "12345678901234567890123")
        var noModel = OTLPExports.callAttributes(request: "req_Z", session: "s1", input: 1, output: 1, at: "2025-12-01T12:00:00Z")
        noModel.removeAll { $0.0 == "model" }
        var badCost = OTLPExports.callAttributes(request: "req_W", session: "s1", input: 1, output: 1, cost: "1e308", at: "2025-12-01T12:00:00Z")
        badCost.append(("unknown.attribute", "kept quiet"))
        let records = [Self.calls[0][0], bad, huge, noModel, badCost, Self.calls[0][1]]
        let batch = try OTLPReceiver.decode(.logs, body: Array(OTLPExports.logsJSON(resources: [records]).utf8), encoding: .json, receivedAt: 0)
        #expect(batch.requests.map(\.requestId) == ["req_A", "req_B"])
        #expect(batch.rejected.count == 4)
        #expect(batch.rejected[0].hasPrefix("log record 2 (claude_code.api_request): input_tokens") && batch.rejected[0].contains("'-5'"))
        #expect(batch.rejected[1].contains("log record 3") && batch.rejected[1].contains("output_tokens"))
        #expect(batch.rejected[2].contains("model is missing") && batch.rejected[3].contains("cost_usd"))
        let others = OTLPExports.logsJSON(resources: [[[("event.name", "tool_result"), ("tool_name", "Bash")]]], body: "claude_code.tool_result")
        let ignored = try OTLPReceiver.decode(.logs, body: Array(others.utf8), encoding: .json, receivedAt: 0)
        #expect(ignored.ignored == 1 && ignored.requests.isEmpty && ignored.rejected.isEmpty)
        let answer = String(decoding: OTLPReceiver.answer(.logs, rejected: batch.rejected, encoding: .json), as: UTF8.self)
        #expect(answer.contains("\"rejectedLogRecords\":\"4\"") && answer.contains("input_tokens"))
        #expect(OTLPReceiver.answer(.logs, rejected: [], encoding: .json) == Array("{}".utf8))
    }

    @Test("api_error events keep status, attempt and message; a retry of the same request is a second error")
    func apiErrors() throws {
        func error(_ attempt: Int) -> [(String, any Sendable)] {
            [("event.name", "api_error"), ("session.id", "s1"), ("model", "claude-sonnet-4-5"), ("error", "Overloaded"),
             ("status_code", "529"), ("duration_ms", 812), ("attempt", attempt), ("request_id", "req_E"),
             ("event.timestamp", "2025-12-01T12:00:00Z")]
        }
        var noAnswer = error(3)
        noAnswer[4] = ("status_code", "undefined")
        let body = OTLPExports.logsJSON(resources: [[error(1), error(2), noAnswer]], body: "claude_code.api_error")
        let batch = try OTLPReceiver.decode(.logs, body: Array(body.utf8), encoding: .json, receivedAt: 0)
        #expect(batch.errors.count == 3 && batch.errors[0].statusCode == 529 && batch.errors[1].attempt == 2)
        #expect(batch.errors[2].statusCode == nil && batch.rejected.isEmpty)
        #expect(batch.errors[0].message == "Overloaded" && batch.errors[0].key != batch.errors[1].key)
    }

    @Test("metrics: token and cost points are kept with their temporality; other metrics are ignored")
    func metrics() throws {
        let bytes: [UInt8] = try OTLPExports.metricsMessage(session: "s1").serializedBytes()
        let batch = try OTLPReceiver.decode(.metrics, body: bytes, encoding: .protobuf, receivedAt: 0)
        #expect(batch.points.map(\.type) == ["input", "output", ""])
        #expect(batch.points.map(\.value) == [120, 50, 0.0875])
        #expect(batch.points[0].temporality == .delta && batch.points[2].temporality == .cumulative)
        #expect(batch.points.allSatisfy { $0.sessionId == "s1" } && batch.ignored == 1)
        let json: [UInt8] = try OTLPExports.metricsMessage(session: "s1").jsonUTF8Bytes()
        #expect(try OTLPReceiver.decode(.metrics, body: json, encoding: .json, receivedAt: 0) == batch)
    }

    @Test("an event without a request id or time is recognised when sent again; a cost over $10,000 is refused")
    func keysAndCostCap() throws {
        var call = OTLPExports.callAttributes(request: "", session: "s1", input: 1, output: 1, at: "")
        call.removeAll { $0.0 == "event.timestamp" || $0.0 == "request_id" }
        var record = OTLPExports.logsMessage(resources: [[call]])
        record.resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano = 0
        let bytes: [UInt8] = try record.serializedBytes()
        let first = try OTLPReceiver.decode(.logs, body: bytes, encoding: .protobuf, receivedAt: 1_000)
        let again = try OTLPReceiver.decode(.logs, body: bytes, encoding: .protobuf, receivedAt: 9_000)
        #expect(first.requests.count == 1 && first.requests[0].key == again.requests[0].key)
        let costly = OTLPExports.callAttributes(request: "req_$", session: "s1", input: 1, output: 1, cost: "10000.01", at: "2025-12-01T12:00:00Z")
        let refused = try OTLPReceiver.decode(.logs, body: Array(OTLPExports.logsJSON(resources: [[costly]]).utf8), encoding: .json, receivedAt: 0)
        #expect(refused.requests.isEmpty && refused.rejected.first?.contains("cost_usd") == true)
    }
}
