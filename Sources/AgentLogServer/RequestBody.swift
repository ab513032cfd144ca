import AgentLogJSON
import Foundation
import Hummingbird

/// A request's body, read the one way every route that takes one reads it: at most `limit`
/// bytes, then checked, a bad one a 400 naming `body`.
enum RequestBody {
    /// The body as JSON text: one JSON value (a setting, a tile).
    static func json(_ request: Request, limit: Int = 65_536) async throws -> String {
        let text = String(decoding: try await bytes(request, limit: limit).readableBytesView, as: UTF8.self)
        guard JSONScanner.isDocument(text) else { throw APIError.badParameter("body", "The body must be a JSON document.") }
        return text
    }

    /// The body as a JSON object (the pairing and workspace requests).
    static func object(_ request: Request, limit: Int = 8_192) async throws -> [String: Any] {
        let buffer = try await bytes(request, limit: limit)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] else {
            throw APIError.badParameter("body", "The body must be a JSON object.")
        }
        return object
    }

    /// The body as an HTML form (`application/x-www-form-urlencoded`): each field's last value.
    static func form(_ request: Request, limit: Int = 8_192) async throws -> [String: String] {
        let text = String(decoding: try await bytes(request, limit: limit).readableBytesView, as: UTF8.self)
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw APIError.badParameter("body", "The form is not URL-encoded text.")
            }
            fields[name] = value
        }
        return fields
    }

    private static func bytes(_ request: Request, limit: Int) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: limit)
        } catch {
            throw APIError.badParameter("body", "The body is larger than \(limit / 1024) kB.")
        }
    }
}
