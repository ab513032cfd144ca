import AgentLogIngest
import AgentLogJSON

/// `agentlog.claim.v1`: what `claim_files` claimed, and what other agents hold.
public struct ClaimOutcome: SchemaResult, Equatable {
    /// The schema's name.
    public static let schema = "agentlog.claim.v1"
    /// The paths now claimed, until ``expiresAt``.
    public var claimed: [String]
    /// Claims of other agents on the paths that were not claimed.
    public var conflicts: [ClaimConflict]
    /// Until when the new claims hold, ms since 1970.
    public var expiresAt: Int64

    /// The outcome as JSON: claimed paths, their expiry, and the conflicts.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("claimed", .array(claimed.map { .string($0) })), ("expiresAt", .time(expiresAt)),
            ("conflicts", .array(conflicts.map(\.json))),
        ]).encode(to: encoder)
    }
}

/// `agentlog.claim-check.v1`: other agents' claims that hold on the files asked about.
public struct ClaimCheck: SchemaResult, Equatable {
    /// The schema's name.
    public static let schema = "agentlog.claim-check.v1"
    /// The files asked about.
    public var paths: [String]
    /// The claims that hold on them; empty when editing them steps on no one.
    public var conflicts: [ClaimConflict]

    /// A check of `paths` that found `conflicts`.
    public init(paths: [String], conflicts: [ClaimConflict]) {
        self.paths = paths
        self.conflicts = conflicts
    }

    /// The check as JSON: the paths, whether they are free, and the conflicts.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("paths", .array(paths.map { .string($0) })), ("free", .bool(conflicts.isEmpty)),
            ("conflicts", .array(conflicts.map(\.json))),
        ]).encode(to: encoder)
    }
}

/// `agentlog.release.v1`: how many claims `release_files` ended.
public struct ReleaseOutcome: SchemaResult, Equatable {
    /// The schema's name.
    public static let schema = "agentlog.release.v1"
    /// The claims that held until now.
    public var released: Int

    /// `released` claims ended.
    public init(released: Int) { self.released = released }
}

/// `agentlog.open-errors.v1`: failed tool calls not resolved since, newest first.
public struct OpenErrorList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.open-errors.v1"
    /// The errors.
    public var rows: [OpenToolError]

    /// A list of `rows`.
    public init(rows: [OpenToolError]) { self.rows = rows }
}

/// `agentlog.verdict.v1`: a decision just recorded.
public struct NotedVerdict: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.verdict.v1"
    /// The verdict.
    public var verdict: Verdict

    /// The result of recording `verdict`.
    public init(_ verdict: Verdict) { self.verdict = verdict }

    /// The verdict as JSON: session, seq, decision, reason and time.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("session", .string(verdict.session)), ("seq", .int(verdict.seq)), ("decision", .string(verdict.decision)),
            ("reason", .optional(verdict.reason)), ("at", .time(verdict.at)),
        ]).encode(to: encoder)
    }
}

extension OpenToolError: Encodable {
    /// The error as JSON: session, agent, tool, path, category, attempt, error text, time, project.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("session", .string(session)), ("agentId", .string(agentId)), ("tool", .optional(tool)), ("path", .string(path)),
            ("category", .string(category)), ("attempt", .int(attempt)), ("error", .optional(error)), ("at", .time(at)),
            ("project", .optional(project)),
        ]).encode(to: encoder)
    }
}

extension ClaimConflict {
    var json: JSONOutput {
        .object([
            ("path", .string(path)), ("session", .string(holder.session)), ("agentId", .string(holder.agentId)),
            ("agentType", .optional(agentType)), ("project", .optional(project)), ("tool", .string(tool)),
            ("lastAt", .time(lastAt)), ("expiresAt", .time(expiresAt)), ("intent", .optional(intent)),
        ])
    }
}
