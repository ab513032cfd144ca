import AgentLogIngest
import AgentLogJSON

/// `agentlog.runs.v1`: runs, newest first, and the hooked sessions that were abandoned.
public struct RunList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.runs.v1"
    /// The runs.
    public var rows: [Run]
    /// The directory of each run's project, by project id.
    public var projectDirectories: [Int64: String]
    /// Hooked sessions with no SessionEnd and no event for a while.
    public var abandonedSessions: [AgentRecord]

    /// A list of `rows`, naming their projects' directories.
    public init(rows: [Run], projectDirectories: [Int64: String], abandonedSessions: [AgentRecord] = []) {
        self.rows = rows
        self.projectDirectories = projectDirectories
        self.abandonedSessions = abandonedSessions
    }

    /// The runs and abandoned sessions as JSON.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("rows", .array(rows.map { $0.json(projectDirectory: projectDirectories[$0.projectId]) })),
            ("abandonedSessions", .array(abandonedSessions.map { session in
                .object([("session", .string(session.session)), ("project", .optional(session.project)),
                         ("startedAt", .time(session.startedAt)), ("lastEventAt", .time(session.lastEventAt))])
            })),
        ]).encode(to: encoder)
    }
}

extension Run {
    /// The run as `agentlog.runs.v1` and `agentlog.projects.v1` write it.
    public func json(projectDirectory: String?) -> JSONOutput {
        .object([
            ("id", .int(id)), ("pid", pid.map { .int(Int64($0)) } ?? .null), ("host", .string(host)),
            ("project", .optional(projectDirectory)), ("name", .optional(name)), ("status", .string(status.rawValue)),
            ("exitCode", exitCode.map { .int(Int64($0)) } ?? .null), ("startedAt", .time(startedAt)),
            ("endedAt", .time(endedAt)), ("args", .array(args.map { .string($0) })),
            ("wrapperPid", wrapperPid.map { .int(Int64($0)) } ?? .null),
        ])
    }
}

/// `agentlog.projects.v1`: projects with their run counts and latest run.
public struct ProjectList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.projects.v1"
    /// The projects.
    public var rows: [ProjectOverview]

    /// A list of `rows`.
    public init(rows: [ProjectOverview]) { self.rows = rows }
}

extension ProjectOverview: Encodable {
    /// The project as JSON: id, directory, name, default command and prompt, times, run counts
    /// and its latest run.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("id", .int(project.id)), ("directory", .string(project.directory)), ("name", .string(project.name)),
            ("defaultCommand", project.defaultCommand.map { .array($0.map { .string($0) }) } ?? .null),
            ("defaultPrompt", .optional(project.defaultPrompt)), ("createdAt", .time(project.createdAt)),
            ("lastRunAt", .time(project.lastRunAt)), ("runs", .int(runCount)), ("running", .int(running)),
            ("completed", .int(completed)), ("failed", .int(failed)), ("crashed", .int(crashed)),
            ("latestRun", latestRun.map { $0.json(projectDirectory: project.directory) } ?? .null),
        ]).encode(to: encoder)
    }
}
