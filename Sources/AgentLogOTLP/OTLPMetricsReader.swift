import AgentLogIngest

/// Claude Code's cost and token metrics out of an OTLP metrics export: each data point of
/// `claude_code.cost.usage` and `claude_code.token.usage` becomes a value; other metrics are
/// counted as ignored; a point with a bad value is refused with a reason.
enum OTLPMetricsReader {
    /// The metrics kept.
    static let kept: Set<String> = ["claude_code.cost.usage", "claude_code.token.usage"]

    /// The kept points of `request`.
    static func read(_ request: OTLPExportMetricsServiceRequest) -> TelemetryBatch {
        var batch = TelemetryBatch()
        var index = 0
        for resourceMetrics in request.resourceMetrics {
            for scopeMetrics in resourceMetrics.scopeMetrics {
                for metric in scopeMetrics.metrics {
                    let (points, temporality): ([OTLPNumberDataPoint], MetricTemporality)
                    switch metric.data {
                    case .sum(let sum)?: (points, temporality) = (sum.dataPoints, MetricTemporality(rawValue: sum.aggregationTemporality.rawValue) ?? .unspecified)
                    case .gauge(let gauge)?: (points, temporality) = (gauge.dataPoints, .unspecified)
                    case nil: (points, temporality) = ([], .unspecified)
                    }
                    guard kept.contains(metric.name) else {
                        batch.ignored += max(points.count, 1)
                        index += points.count
                        continue
                    }
                    for point in points {
                        defer { index += 1 }
                        let attributes = OTLPAttributes(resourceMetrics.resource.attributes, scopeMetrics.scope.attributes, point.attributes)
                        let value: Double
                        switch point.value {
                        case .asDouble(let double)?: value = double
                        case .asInt(let int)?: value = Double(int)
                        case nil: value = .nan
                        }
                        guard value.isFinite, value >= 0, value <= 1e15 else {
                            batch.rejected.append("data point \(index + 1) (\(metric.name)): the value is not a number from 0 to 10^15")
                            continue
                        }
                        guard point.timeUnixNano > 0, point.timeUnixNano < UInt64(Int64.max), point.startTimeUnixNano < UInt64(Int64.max) else {
                            batch.rejected.append("data point \(index + 1) (\(metric.name)): time_unix_nano is missing or out of range")
                            continue
                        }
                        batch.points.append(TelemetryMetricPoint(
                            metric: metric.name, unit: String(metric.unit.prefix(40)),
                            sessionId: String((attributes.string("session.id") ?? "").prefix(200)),
                            model: String((attributes.string("model") ?? "").prefix(200)),
                            type: String((attributes.string("type") ?? "").prefix(40)), temporality: temporality,
                            startNanos: Int64(point.startTimeUnixNano), timeNanos: Int64(point.timeUnixNano), value: value))
                    }
                }
            }
        }
        return batch
    }
}
