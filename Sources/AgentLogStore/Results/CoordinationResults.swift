import AgentLogIngest
import AgentLogJSON

/// `agentlog.events.v1`: events of the event log, in order (each payload as it was received).
public struct EventList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.events.v1"
    /// The events.
    public var rows: [EventRecord]

    /// A list of `rows`.
    public init(rows: [EventRecord]) { self.rows = rows }
}

extension EventRecord: Encodable {
    /// The event as JSON: its id in the whole log, session, seq, channel, type, time (ISO 8601)
    /// and the payload itself.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("id", .int(id)),
            ("session", .string(session)),
            ("seq", .int(seq)),
            ("channel", .string(channel)),
            ("type", .string(type)),
            ("timestamp", .time(timestamp)),
            ("payload", .raw(payload)),
        ]).encode(to: encoder)
    }
}

/// `agentlog.agents.v1`: hooked agents and subagents with their status.
public struct AgentList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.agents.v1"
    /// The agents.
    public var rows: [AgentRecord]

    /// A list of `rows`.
    public init(rows: [AgentRecord]) { self.rows = rows }
}

extension AgentRecord: Encodable {
    /// The agent as JSON: session, agent id ('' for the main agent), type, project, status and times.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("session", .string(session)), ("agentId", .string(agentId)),
            ("agentType", .optional(agentType)), ("project", .optional(project)),
            ("status", .string(status)), ("startedAt", .time(startedAt)),
            ("endedAt", .time(endedAt)), ("lastEventAt", .time(lastEventAt)),
        ]).encode(to: encoder)
    }
}

/// `agentlog.claims.v1`: which agent wrote which file.
public struct ClaimList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.claims.v1"
    /// The claims.
    public var rows: [FileClaim]

    /// A list of `rows`.
    public init(rows: [FileClaim]) { self.rows = rows }
}

extension FileClaim: Encodable {
    /// The claim as JSON: path, session, agent, project, last tool (`claim` for one announced
    /// and not yet written), writes, first and last time, and for an announced claim its expiry
    /// and intent.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("path", .string(path)), ("session", .string(session)), ("agentId", .string(agentId)),
            ("project", .optional(project)), ("tool", .string(tool)), ("writes", .int(writes)),
            ("firstAt", .time(firstAt)), ("lastAt", .time(lastAt)),
            ("expiresAt", .time(expiresAt)), ("intent", .optional(intent)),
        ]).encode(to: encoder)
    }
}
