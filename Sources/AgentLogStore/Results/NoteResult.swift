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
        try JSONOutput.object([
            ("project", .optional(note.project)), ("session", .optional(note.session)),
            ("approach", .string(note.approach)), ("reason", .string(note.reason)), ("file", .optional(note.file)),
        ]).encode(to: encoder)
    }
}
