import AgentLogIngest
import SwiftProtobuf

/// The three OTLP/HTTP paths: `/v1/logs`, `/v1/metrics`, `/v1/traces`.
public enum OTLPSignal: String, Sendable, CaseIterable {
    case logs, metrics, traces
}

/// How a request's body is written, from its `Content-Type`.
public enum OTLPEncoding: Sendable, Equatable {
    /// `application/json`: OTLP's JSON encoding.
    case json
    /// `application/x-protobuf`: the binary protobuf encoding.
    case protobuf

    /// The `Content-Type` of answers in this encoding.
    public var contentType: String { self == .json ? "application/json" : "application/x-protobuf" }
}

/// A request refused as a whole: the HTTP status (400 malformed, 413 too large, 415 an
/// unsupported type or encoding) and a sentence saying why.
public struct OTLPRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400, 413 or 415 (the server adds 403 and 503).
    public var status: Int
    /// What was wrong, naming the header or the part of the body.
    public var message: String
    /// The message.
    public var description: String { message }

    /// A refusal with `status` (400, 403, 413, 415, 503) and the sentence saying why.
    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }
}

/// What an OTLP/HTTP request held (``TelemetryBatch``), decoded from either encoding, and the
/// answers OTLP exporters expect: `Export…ServiceResponse` with `partial_success` when records
/// were refused, or a `google.rpc.Status` on refusal, in the request's own encoding.
public enum OTLPReceiver {
    /// The most bytes a request body may have as sent (compressed or not): exporters send
    /// batches of a few hundred kB.
    public static let maxBodyBytes = 8 * 1024 * 1024
    /// The most bytes a gzip body may inflate to.
    public static let maxInflatedBytes = 32 * 1024 * 1024

    /// The encoding a `Content-Type` names, or a 415 refusal.
    public static func encoding(contentType: String?) throws(OTLPRefusal) -> OTLPEncoding {
        let media = (contentType ?? "").split(separator: ";").first.map { String($0).trimmed.lowercased() } ?? ""
        switch media {
        case "application/json": return .json
        case "application/x-protobuf", "application/protobuf": return .protobuf
        default:
            throw OTLPRefusal(status: 415, message: "Content-Type '\(String(media.prefix(60)))' is not OTLP's: send application/json or application/x-protobuf.")
        }
    }

    /// The body's bytes as written by the exporter: inflated when `Content-Encoding` is gzip.
    public static func inflate(_ body: [UInt8], contentEncoding: String?) throws(OTLPRefusal) -> [UInt8] {
        let coding = (contentEncoding ?? "").trimmed.lowercased()
        switch coding {
        case "", "identity": return body
        case "gzip", "x-gzip":
            do throws(Gzip.Failure) {
                return try Gzip.inflate(body, limit: maxInflatedBytes)
            } catch {
                switch error {
                case .tooLarge: throw OTLPRefusal(status: 413, message: "The gzip body inflates to more than \(maxInflatedBytes / 1_048_576) MB.")
                case .malformed(let reason): throw OTLPRefusal(status: 400, message: "The body is not valid gzip (\(reason)).")
                }
            }
        default:
            throw OTLPRefusal(status: 415, message: "Content-Encoding '\(String(coding.prefix(40)))' is not supported: send gzip or no encoding.")
        }
    }

    /// The telemetry in one request's (inflated) body; `receivedAt` (ms since 1970) dates events
    /// without a time. Traces are answered but not kept: their batch is empty.
    public static func decode(_ signal: OTLPSignal, body: [UInt8], encoding: OTLPEncoding, receivedAt: Int64) throws(OTLPRefusal) -> TelemetryBatch {
        do {
            switch signal {
            case .logs: return OTLPLogsReader.read(try message(OTLPExportLogsServiceRequest.self, body, encoding), receivedAt: receivedAt)
            case .metrics: return OTLPMetricsReader.read(try message(OTLPExportMetricsServiceRequest.self, body, encoding))
            case .traces: return TelemetryBatch()
            }
        } catch let refusal as OTLPRefusal {
            throw refusal
        } catch {
            let what = encoding == .json ? "OTLP JSON" : "an OTLP protobuf message"
            throw OTLPRefusal(status: 400, message: "The body is not \(what) for /v1/\(signal.rawValue) (\(describe(error))).")
        }
    }

    private static func message<M: SwiftProtobuf.Message>(_ type: M.Type, _ body: [UInt8], _ encoding: OTLPEncoding) throws -> M {
        switch encoding {
        case .json:
            var options = JSONDecodingOptions()
            // Trace and span ids (hex in OTLP JSON, not base64) and fields newer than this
            // receiver are left out of its messages.
            options.ignoreUnknownFields = true
            return try M(jsonUTF8Bytes: body, options: options)
        case .protobuf:
            var options = BinaryDecodingOptions()
            options.discardUnknownFields = true
            return try M(serializedBytes: body, options: options)
        }
    }

    /// A short reason for a decoding error, without Swift's type names.
    private static func describe(_ error: any Error) -> String {
        switch error {
        case let json as JSONDecodingError:
            switch json {
            case .truncated: return "it ends early"
            case .malformedNumber: return "a number is malformed"
            case .numberRange: return "a number is out of range"
            case .unrecognizedEnumValue: return "an enum value is unknown"
            case .messageDepthLimit: return "it nests too deeply"
            case .invalidUTF8: return "it is not UTF-8"
            case .malformedString: return "a string is malformed or not UTF-8"
            default: return "\(json)"
            }
        case let binary as BinaryDecodingError:
            switch binary {
            case .truncated: return "it ends early"
            case .messageDepthLimit: return "it nests too deeply"
            case .invalidUTF8: return "a string is not UTF-8"
            case .malformedProtobuf: return "the bytes are not protobuf"
            default: return "\(binary)"
            }
        default: return "\(error)"
        }
    }

    /// The success answer: an empty `Export…ServiceResponse`, or one with `partial_success`
    /// counting the `rejected` records and the first reasons.
    public static func answer(_ signal: OTLPSignal, rejected: [String], encoding: OTLPEncoding) -> [UInt8] {
        let message = rejected.isEmpty ? "" : rejected.prefix(5).joined(separator: "; ") + (rejected.count > 5 ? "; and \(rejected.count - 5) more" : "")
        switch signal {
        case .logs:
            var response = OTLPExportLogsServiceResponse()
            if !rejected.isEmpty {
                response.partialSuccess.rejectedLogRecords = Int64(rejected.count)
                response.partialSuccess.errorMessage = message
            }
            return serialize(response, encoding)
        case .metrics:
            var response = OTLPExportMetricsServiceResponse()
            if !rejected.isEmpty {
                response.partialSuccess.rejectedDataPoints = Int64(rejected.count)
                response.partialSuccess.errorMessage = message
            }
            return serialize(response, encoding)
        case .traces:
            return serialize(OTLPExportTraceServiceResponse(), encoding)
        }
    }

    /// A refusal's body: `google.rpc.Status` with the message, in `encoding` (JSON when the
    /// request's own encoding is unknown).
    public static func answer(_ refusal: OTLPRefusal, encoding: OTLPEncoding?) -> [UInt8] {
        var status = OTLPStatus()
        // The gRPC code of each HTTP status: PERMISSION_DENIED, RESOURCE_EXHAUSTED, UNAVAILABLE,
        // else INVALID_ARGUMENT (a bad body, type or encoding).
        switch refusal.status {
        case 403: status.code = 7
        case 413: status.code = 8
        case 503: status.code = 14
        default: status.code = 3
        }
        status.message = refusal.message
        return serialize(status, encoding ?? .json)
    }

    private static func serialize<M: SwiftProtobuf.Message>(_ message: M, _ encoding: OTLPEncoding) -> [UInt8] {
        // Encoding a message built here cannot fail (no Any fields, no unset required fields).
        switch encoding {
        case .json: return (try? message.jsonUTF8Bytes()) ?? Array("{}".utf8)
        case .protobuf: return (try? message.serializedBytes()) ?? []
        }
    }
}
