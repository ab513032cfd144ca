import AgentLogIngest
import AgentLogJSON
import Foundation

/// `agentlog.search.v1`: what `agentlog search` found, best first.
public struct SearchResults: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.search.v1"
    /// The hits.
    public var rows: [SearchHit]

    /// A list of `rows`.
    public init(rows: [SearchHit]) { self.rows = rows }
}

extension SearchHit: Encodable {
    /// The hit as JSON: its session, agent, kind, message, time, role, the snippet with matches between [ and ], and its score.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("session", .string(session.sessionId)),
            ("agent", .string(session.agent)),
            ("kind", .string(kind.rawValue)),
            ("message", .optional(item)),
            ("timestamp", .time(timestamp)),
            ("role", .string(role)),
            ("snippet", .string(snippet(start: "[", end: "]"))),
            ("score", .number(String(format: "%.4f", score))),
        ] + (turn.map { [("turn", .int($0))] } ?? [])).encode(to: encoder)
    }
}
