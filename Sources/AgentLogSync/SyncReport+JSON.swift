import AgentLogJSON

extension SyncReport: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.sync.v1"

    /// The report as JSON: files, bytes and lines read, new records, what is pending or gone,
    /// every rejected line with its file and line number, and the duration.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("files", .int(files)),
            ("filesRead", .int(filesRead)),
            ("bytesRead", .int(bytesRead)),
            ("lines", .int(lines)),
            ("skippedLines", .int(skippedLines)),
            ("newRecords", .int(newRecords)),
            ("newSessions", .int(newSessions)),
            ("newMessages", .int(newMessages)),
            ("missingFiles", .int(missingFiles)),
            ("emptyFiles", .int(emptyFiles)),
            ("pendingBytes", .int(pendingBytes)),
            ("failedFiles", .int(failedFiles)),
            ("rejected", .array(rejected.map {
                .object([("file", .string($0.file)), ("line", .int($0.line)), ("reason", .string($0.reason))])
            })),
            ("archivedBeforeCleanup", .int(archivedBeforeCleanup)),
            ("replayedHookEvents", .int(replayedHookEvents)),
            ("durationMs", .int(durationMs)),
        ]).encode(to: encoder)
    }
}
