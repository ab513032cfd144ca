import AgentLogOTLP
import Foundation

/// Export requests shaped as Claude Code sends them: resource and scope attributes, several
/// resources and records per request, numbers as strings and as numbers.
public enum OTLPExports {
    /// One `claude_code.api_request` record's attributes.
    public static func callAttributes(request: String, session: String, model: String = "claude-sonnet-4-5", input: Int, output: Int,
                               cacheRead: Int = 0, cacheCreation: Int = 0, cost: String? = "0.0875", at iso: String) -> [(String, any Sendable)] {
        var attributes: [(String, any Sendable)] = [
            ("event.name", "api_request"), ("event.timestamp", iso), ("event.sequence", 3), ("session.id", session),
            ("prompt.id", "p-1"), ("model", model), ("input_tokens", String(input)), ("output_tokens", output),
            ("cache_read_tokens", String(cacheRead)), ("cache_creation_tokens", String(cacheCreation)), ("duration_ms", "2150"),
            ("request_id", request), ("query_source", "repl_main_thread"), ("user.account_uuid", "acct"), ("terminal.type", "xterm"),
        ]
        if let cost { attributes.append(("cost_usd", cost)) }
        return attributes
    }

    /// A logs export as OTLP JSON: each resource holds one scope with `records` (attribute lists).
    public static func logsJSON(resources: [[[(String, any Sendable)]]], body: String = "claude_code.api_request") -> String {
        let resourceLogs = resources.map { records in
            """
            {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}},\
            {"key":"service.version","value":{"stringValue":"2.1.12"}},{"key":"os.type","value":{"stringValue":"linux"}}],\
            "droppedAttributesCount":0},"schemaUrl":"https://opentelemetry.io/schemas/1.26.0",\
            "scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events","version":"2.1.12","attributes":[]},\
            "logRecords":[\(records.map { record(attributes: $0, body: body) }.joined(separator: ","))]}]}
            """
        }
        return "{\"resourceLogs\":[\(resourceLogs.joined(separator: ","))]}"
    }

    private static func record(attributes: [(String, any Sendable)], body: String) -> String {
        let list = attributes.map { key, value -> String in
            switch value {
            case let number as Int: return "{\"key\":\"\(key)\",\"value\":{\"intValue\":\"\(number)\"}}"
            case let number as Double: return "{\"key\":\"\(key)\",\"value\":{\"doubleValue\":\(number)}}"
            default: return "{\"key\":\"\(key)\",\"value\":{\"stringValue\":\"\(value)\"}}"
            }
        }
        return """
            {"timeUnixNano":"1764590400000000000","observedTimeUnixNano":"1764590400001000000","severityNumber":9,\
            "severityText":"INFO","body":{"stringValue":"\(body)"},"attributes":[\(list.joined(separator: ","))],\
            "droppedAttributesCount":0,"flags":0,"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}
            """
    }

    /// The same export as protobuf messages.
    public static func logsMessage(resources: [[[(String, any Sendable)]]], body: String = "claude_code.api_request") -> OTLPExportLogsServiceRequest {
        var request = OTLPExportLogsServiceRequest()
        for records in resources {
            var resourceLogs = OTLPResourceLogs()
            resourceLogs.resource.attributes = [pair("service.name", "claude-code"), pair("service.version", "2.1.12")]
            var scope = OTLPScopeLogs()
            scope.scope.name = "com.anthropic.claude_code.events"
            for attributes in records {
                var record = OTLPLogRecord()
                record.timeUnixNano = 1_764_590_400_000_000_000
                record.severityNumber = .info
                record.body.stringValue = body
                record.attributes = attributes.map { pair($0.0, $0.1) }
                scope.logRecords.append(record)
            }
            resourceLogs.scopeLogs = [scope]
            request.resourceLogs.append(resourceLogs)
        }
        return request
    }

    public static func pair(_ key: String, _ value: any Sendable) -> OTLPKeyValue {
        var pair = OTLPKeyValue()
        pair.key = key
        switch value {
        case let number as Int: pair.value.intValue = Int64(number)
        case let number as Double: pair.value.doubleValue = number
        default: pair.value.stringValue = "\(value)"
        }
        return pair
    }

    /// A metrics export: `claude_code.token.usage` (delta sums by type) and
    /// `claude_code.cost.usage`, plus a metric that is not kept.
    public static func metricsMessage(session: String) -> OTLPExportMetricsServiceRequest {
        func point(_ value: Double, _ attributes: [(String, any Sendable)], int: Bool = false) -> OTLPNumberDataPoint {
            var point = OTLPNumberDataPoint()
            point.startTimeUnixNano = 1_764_590_340_000_000_000
            point.timeUnixNano = 1_764_590_400_000_000_000
            if int { point.asInt = Int64(value) } else { point.asDouble = value }
            point.attributes = attributes.map { pair($0.0, $0.1) }
            return point
        }
        var tokens = OTLPMetric()
        tokens.name = "claude_code.token.usage"
        tokens.unit = "tokens"
        var sum = OTLPSum()
        sum.aggregationTemporality = .delta
        sum.isMonotonic = true
        sum.dataPoints = [point(120, [("session.id", session), ("model", "claude-sonnet-4-5"), ("type", "input")], int: true),
                          point(50, [("session.id", session), ("model", "claude-sonnet-4-5"), ("type", "output")], int: true)]
        tokens.sum = sum
        var cost = OTLPMetric()
        cost.name = "claude_code.cost.usage"
        cost.unit = "USD"
        var costSum = OTLPSum()
        costSum.aggregationTemporality = .cumulative
        costSum.dataPoints = [point(0.0875, [("session.id", session), ("model", "claude-sonnet-4-5")])]
        cost.sum = costSum
        var other = OTLPMetric()
        other.name = "claude_code.session.count"
        var otherSum = OTLPSum()
        otherSum.dataPoints = [point(1, [("session.id", session)], int: true)]
        other.sum = otherSum
        var scope = OTLPScopeMetrics()
        scope.scope.name = "com.anthropic.claude_code"
        scope.metrics = [tokens, cost, other]
        var resource = OTLPResourceMetrics()
        resource.resource.attributes = [pair("service.name", "claude-code")]
        resource.scopeMetrics = [scope]
        var request = OTLPExportMetricsServiceRequest()
        request.resourceMetrics = [resource]
        return request
    }

    /// `bytes` gzipped by the system's gzip (a real encoder, not this receiver's own code).
    public static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("otlp-\(UUID().uuidString)")
        try Data(bytes).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: "/usr/bin/gzip") ? "/usr/bin/gzip" : "/bin/gzip")
        process.arguments = ["-c", "-n", input.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(output)
    }
}
