import AgentLogIngest
import AgentLogJSON

/// `agentlog.tool-calls.v1`: a session's tool calls in the order they were made, each with its
/// input and output previews and whether it failed.
public struct ToolCallList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.tool-calls.v1"
    /// The session's id.
    public var session: String
    /// How many calls the session made in all (``rows`` may be a page of them).
    public var total: Int
    /// The calls.
    public var rows: [ToolCallSummary]

    /// `rows` of `session`'s `total` calls.
    public init(session: String, total: Int, rows: [ToolCallSummary]) {
        self.session = session
        self.total = total
        self.rows = rows
    }

    /// The list as JSON: the session, the total, and each call.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("session", .string(session)), ("total", .int(total)),
            ("rows", .array(rows.map { call in
                .object([
                    ("toolUseId", .string(call.toolUseId)), ("name", .optional(call.name)), ("agentId", .optional(call.agentId)),
                    ("filePath", .optional(call.filePath)), ("input", .optional(call.inputPreview)),
                    ("inputLength", .optional(call.inputLength.map(Int64.init))), ("output", .string(call.outputPreview)),
                    ("outputLength", .optional(call.outputLength.map(Int64.init))), ("isError", call.isError.map { .bool($0) } ?? .null),
                    ("startedAt", .time(call.startedAt)), ("endedAt", .time(call.endedAt)),
                ])
            })),
        ]).encode(to: encoder)
    }
}

/// `agentlog.edits.v1`: files changed by tool calls, newest first — which, how, by whom, when.
public struct EditList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.edits.v1"
    /// The edits.
    public var rows: [FileEdit]

    /// A list of `rows`.
    public init(rows: [FileEdit]) { self.rows = rows }
}

extension FileEdit: Encodable {
    /// The edit as JSON: path, operation, session, agent, subagent, project, tool call and time.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("path", .string(path)), ("operation", .string(operation)), ("session", .string(session)), ("agent", .string(agent)),
            ("agentId", .optional(agentId)), ("project", .optional(project)), ("toolUseId", .string(toolUseId)),
            ("timestamp", .time(timestamp)),
        ]).encode(to: encoder)
    }
}
