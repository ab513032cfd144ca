import AgentLogDatabase
import AgentLogIngest
import AgentLogJSON

extension StoreStatus: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.db-status.v1"

    /// The status as JSON: the file, its schema, counts of everything and the first and last
    /// activity (ISO 8601).
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("path", .string(path)),
            ("fileBytes", .int(fileBytes)),
            ("journalMode", .string(journalMode)),
            ("pageSize", .int(pageSize)),
            ("migrations", .array(migrations.map { .object([("name", .string($0.name)), ("applied", .bool($0.applied))]) })),
            ("sessions", .int(sessions)),
            ("messages", .int(messages)),
            ("usageRecords", .int(usageRecords)),
            ("toolCalls", .int(toolCalls)),
            ("subagents", .int(subagents)),
            ("projects", .int(projects)),
            ("sourceFiles", .int(sourceFiles)),
            ("missingSourceFiles", .int(missingSourceFiles)),
            ("archiveRawBytes", .int(archiveRawBytes)),
            ("archiveStoredBytes", .int(archiveStoredBytes)),
            ("rejectedLines", .int(rejectedLines)),
            ("events", .int(events)),
            ("runs", .int(runs)),
            ("jobs", .int(jobs)),
            ("firstActivity", .time(firstActivity)),
            ("lastActivity", .time(lastActivity)),
        ]).encode(to: encoder)
    }
}
