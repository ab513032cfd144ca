import AgentLogIngest
import AgentLogJSON

/// `agentlog.note.v1`: a failed path just noted.
public struct NotedFailedPath: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.note.v1"
    /// The note.
    public var note: FailedPath

    /// The result of noting `note`.
    public init(_ note: FailedPath) { self.note = note }

    /// The note as JSON: project, session, approach, reason and file.
    public func encode(to encoder: any Encoder) throws {
        try note.json(withTime: false).encode(to: encoder)
    }
}

/// `agentlog.failed-paths.v1`: approaches noted as failed, newest first.
public struct FailedPathList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.failed-paths.v1"
    /// The notes.
    public var rows: [FailedPath]

    /// A list of `rows`.
    public init(rows: [FailedPath]) { self.rows = rows }

    /// The document: each note's project, session, approach, reason, file and time.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([("rows", .array(rows.map { $0.json(withTime: true) }))]).encode(to: encoder)
    }
}

extension FailedPath {
    /// The note as JSON: project, session, approach, reason, file and (in lists) when.
    func json(withTime: Bool) -> JSONOutput {
        .object([
            ("project", .optional(project)), ("session", .optional(session)),
            ("approach", .string(approach)), ("reason", .string(reason)), ("file", .optional(file)),
        ] + (withTime ? [("createdAt", .time(createdAt))] : []))
    }
}
