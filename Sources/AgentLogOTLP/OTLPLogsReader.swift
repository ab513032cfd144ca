import AgentLogIngest
import AgentLogJSON

/// Claude Code's telemetry events out of an OTLP logs export: `claude_code.api_request` and
/// `claude_code.api_error` become values; other events are counted as ignored; a record with a
/// bad attribute is refused with a reason naming it, and the records around it are kept.
enum OTLPLogsReader {
    /// The most a single call can cost, in dollars: anything above is a broken number (and sums
    /// of many such stay far from Int64's bound in pico-dollars).
    static let costLimit = 10_000.0

    /// The events of `request`; `receivedAt` (ms since 1970) dates records that carry no time.
    static func read(_ request: OTLPExportLogsServiceRequest, receivedAt: Int64) -> TelemetryBatch {
        var batch = TelemetryBatch()
        var index = 0
        for resourceLogs in request.resourceLogs {
            for scopeLogs in resourceLogs.scopeLogs {
                for record in scopeLogs.logRecords {
                    defer { index += 1 }
                    let attributes = OTLPAttributes(resourceLogs.resource.attributes, scopeLogs.scope.attributes, record.attributes)
                    let name = eventName(record, attributes)
                    do throws(OTLPRecordProblem) {
                        switch name {
                        case "api_request": batch.requests.append(try call(record, attributes, receivedAt: receivedAt))
                        case "api_error": batch.errors.append(try failedCall(record, attributes, receivedAt: receivedAt))
                        default: batch.ignored += 1
                        }
                    } catch {
                        batch.rejected.append("log record \(index + 1) (claude_code.\(name)): \(error.reason)")
                    }
                }
            }
        }
        return batch
    }

    /// The event's name without the `claude_code.` prefix: from the record's `event_name`, its
    /// `event.name` attribute, or a string body (Claude Code sends all three).
    static func eventName(_ record: OTLPLogRecord, _ attributes: OTLPAttributes) -> String {
        var name = record.eventName
        if name.isEmpty { name = attributes.string("event.name") ?? "" }
        if name.isEmpty, case .stringValue(let body)? = record.body.value { name = body }
        if name.hasPrefix("claude_code.") { name.removeFirst("claude_code.".count) }
        return name
    }

    private static func call(_ record: OTLPLogRecord, _ attributes: OTLPAttributes, receivedAt: Int64) throws(OTLPRecordProblem) -> TelemetryRequest {
        guard let model = attributes.string("model").map({ String($0.prefix(200)) }), !model.isEmpty else { throw OTLPRecordProblem("model is missing") }
        let tokens = TokenCounts(input: Int(try attributes.count("input_tokens") ?? 0), output: Int(try attributes.count("output_tokens") ?? 0),
                                 cacheCreation: Int(try attributes.count("cache_creation_tokens") ?? 0),
                                 cacheRead: Int(try attributes.count("cache_read_tokens") ?? 0))
        let cost = try attributes.amount("cost_usd", limit: costLimit).map { Int64(($0 * 1e12).rounded()) }
        let identity = self.identity(record, attributes, receivedAt: receivedAt)
        return TelemetryRequest(key: identity.key, requestId: identity.requestId, sessionId: identity.sessionId,
                                promptId: attributes.string("prompt.id").map { String($0.prefix(200)) }, model: model, timestamp: identity.timestamp, tokens: tokens,
                                costPico: cost, durationMs: try attributes.count("duration_ms"), querySource: attributes.string("query_source").map { String($0.prefix(100)) })
    }

    private static func failedCall(_ record: OTLPLogRecord, _ attributes: OTLPAttributes, receivedAt: Int64) throws(OTLPRecordProblem) -> TelemetryError {
        let identity = self.identity(record, attributes, receivedAt: receivedAt)
        // Claude Code sends `status_code` "undefined" when no HTTP answer came: not a number, no status.
        let status = (try? attributes.count("status_code")).flatMap { $0 }.map { Int(min($0, 999_999)) }
        let attempt = (try? attributes.count("attempt")).flatMap { $0 }.map { Int(min($0, 1_000_000)) }
        let message = String((attributes.string("error") ?? "").prefix(2_000))
        // Retries of one request may share its id: the attempt tells them apart.
        return TelemetryError(key: identity.key + "\u{0}" + String(attempt ?? 0), requestId: identity.requestId, sessionId: identity.sessionId,
                              model: String((attributes.string("model") ?? "").prefix(200)), timestamp: identity.timestamp, message: message,
                              statusCode: status, durationMs: try attributes.count("duration_ms"), attempt: attempt)
    }

    /// A record's request id, session, time and the key that recognises a repeat of it.
    private static func identity(_ record: OTLPLogRecord, _ attributes: OTLPAttributes,
                                 receivedAt: Int64) -> (key: String, requestId: String, sessionId: String, timestamp: Int64) {
        let requestId = String((attributes.string("request_id") ?? "").prefix(200))
        let sessionId = String((attributes.string("session.id") ?? "").prefix(200))
        let eventTime = time(record, attributes)
        // Without a request id: the session, the event's sequence number and time, and a hash of
        // what it says, none of which change when an exporter sends it again (the time it was
        // received would).
        var fingerprint: [UInt8] = []
        for key in ["model", "input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens", "cost_usd", "error", "attempt", "prompt.id"] {
            fingerprint += Array((attributes.string(key) ?? "").utf8) + [0]
        }
        let key = requestId.isEmpty
            ? "\(sessionId)\u{0}\(attributes.string("event.sequence") ?? "")\u{0}\(eventTime.map(String.init) ?? "")\u{0}\(FNV1a.hash(fingerprint))"
            : requestId
        return (key, requestId, sessionId, eventTime ?? receivedAt)
    }

    /// When the event happened, ms since 1970: its `event.timestamp`, else the record's time,
    /// else the time the exporter saw it.
    static func time(_ record: OTLPLogRecord, _ attributes: OTLPAttributes) -> Int64? {
        if let text = attributes.string("event.timestamp"), let milliseconds = Timestamp.milliseconds(fromISO8601: text) {
            return milliseconds
        }
        for nanos in [record.timeUnixNano, record.observedTimeUnixNano] where nanos > 0 && nanos < UInt64(Int64.max) {
            return Int64(nanos / 1_000_000)
        }
        return nil
    }
}
