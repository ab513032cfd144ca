import AgentLogIngest
import AgentLogJSON

/// `agentlog.sessions.v1`: sessions as `agentlog sessions` lists them, newest first.
public struct SessionList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.sessions.v1"
    /// The sessions.
    public var rows: [SessionSummary]
    /// Where the next page starts, when there is one (the API pages; the CLI lists at once).
    public var nextCursor: String?

    /// A list of `rows`, with the cursor of the next page if there is one.
    public init(rows: [SessionSummary], nextCursor: String? = nil) {
        self.rows = rows
        self.nextCursor = nextCursor
    }
}

extension SessionSummary: Encodable {
    /// The session's JSON: its id, agent, project, times (ISO 8601), counts, tokens by bucket,
    /// cost (null when none of it could be priced), title and git branch.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("id", .string(sessionId)),
            ("agent", .string(agent)),
            ("project", .optional(project)),
            ("startedAt", .time(startedAt)),
            ("endedAt", .time(endedAt)),
            ("durationMs", .optional(durationMs)),
            ("messages", .int(messages)),
            ("subagents", .int(subagents)),
            ("toolCalls", .int(toolCalls)),
            ("inputTokens", .int(tokens.input)),
            ("outputTokens", .int(tokens.output)),
            ("cacheCreationTokens", .int(tokens.cacheCreation)),
            ("cacheReadTokens", .int(tokens.cacheRead)),
            ("totalTokens", .int(tokens.total)),
            ("costUSD", .cost(pico: costPico, fullyPriced: unpricedModels.isEmpty)),
            ("costComplete", .bool(unpricedModels.isEmpty)),
            ("title", .optional(title)),
            ("gitBranch", .optional(gitBranch)),
        ]).encode(to: encoder)
    }
}
