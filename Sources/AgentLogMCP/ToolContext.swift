import AgentLogHistory
import AgentLogStore
import Foundation

/// What every tool call runs with: the store, where the agent works, who it is, and how the
/// store's synchronous calls are run.
public struct ToolContext: Sendable {
    /// Runs a synchronous store call away from Swift's cooperative threads (a server passes its
    /// thread pool).
    public typealias Offload = @Sendable (@escaping @Sendable () throws -> any Sendable) async throws -> any Sendable

    /// The database.
    public let store: AgentLogStore
    /// The folder relative paths and the default project are taken from (the agent's working
    /// directory: clients start stdio servers in it).
    public let workingDirectory: String
    /// The session claims and notes are made for when a call names none (`$AGENTLOG_SESSION`,
    /// `$CLAUDE_SESSION_ID`, or `mcp-<pid>`: one stdio server per agent).
    public let defaultSession: String
    /// Whether coordination tools (which write) are offered.
    public let readOnly: Bool
    let offload: Offload

    /// A context over `store`; `offload` runs blocking store calls (nil: on a concurrent dispatch queue of its own).
    public init(store: AgentLogStore, workingDirectory: String, defaultSession: String, readOnly: Bool, offload: Offload? = nil) {
        self.store = store
        self.workingDirectory = workingDirectory
        self.defaultSession = defaultSession
        self.readOnly = readOnly
        self.offload = offload ?? { body in
            try await withCheckedThrowingContinuation { continuation in
                Self.storeQueue.async { continuation.resume(with: Result { try body() }) }
            }
        }
    }

    /// Where synchronous store calls run by default. Not inline: a synchronous read that
    /// blocks a cooperative thread waiting for a free reader, while the async reads holding the
    /// readers wait for a cooperative thread to finish on, is a deadlock (seen with 2 cores).
    static let storeQueue = DispatchQueue(label: "agentlog.mcp.store", attributes: .concurrent)

    /// The session a stdio server started with `environment` speaks for.
    public static func defaultSession(environment: [String: String], processId: Int32) -> String {
        for name in ["AGENTLOG_SESSION", "CLAUDE_SESSION_ID"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return "mcp-\(processId)"
    }

    /// Runs a synchronous store call through ``offload``.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let value = try await offload { try body() }
        guard let typed = value as? T else { throw ToolError("internal: unexpected result type") }
        return typed
    }

    /// `path` made absolute against the working directory, `.` and `..` resolved.
    func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }
}

extension ToolArguments {
    /// `since`, `until` (days in `timezone`), `agent` and `project`, as the CLI's range options.
    func usageFilter() throws(ToolError) -> UsageFilter {
        let zone = try timeZone()
        let agent = string("agent") ?? "all"
        var filter = UsageFilter(agents: agent == "all" ? [] : [agent], project: string("project"))
        if let period = string("period") {
            filter.since = Self.periodStart(period, zone: zone)
        }
        for (name, offset) in [("since", 0), ("until", 1)] {
            guard let text = string(name) else { continue }
            guard let start = UsageFilter.dayStart(text, zone: zone, dayOffset: offset) else {
                throw ToolError("\(name) '\(text.prefix(40))' is not a date; use YYYY-MM-DD or YYYYMMDD.")
            }
            if name == "since" { filter.since = start } else { filter.until = start }
        }
        if let since = filter.since, let until = filter.until, until <= since { throw ToolError("until is before since.") }
        return filter
    }

    /// The time zone `timezone` names, or this machine's.
    func timeZone() throws(ToolError) -> TimeZone {
        guard let name = string("timezone") else { return .current }
        guard let zone = TimeZone(identifier: name) ?? TimeZone(abbreviation: name) else {
            throw ToolError("Unknown time zone '\(name.prefix(40))'; use a name like Europe/Berlin or UTC.")
        }
        return zone
    }

    /// The start of `today`, `7d` or `30d` (the last 7 or 30 days with today); nil for `all`.
    static func periodStart(_ period: String, zone: TimeZone) -> Int64? {
        let days = ["today": 0, "7d": 6, "30d": 29][period]
        guard let days else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: Date())
        let start = calendar.date(byAdding: .day, value: -days, to: today) ?? today
        return Int64(start.timeIntervalSince1970 * 1000)
    }

    /// Model, tool, file and errors, as the CLI's session criteria.
    func criteria() -> SessionCriteria {
        var criteria = SessionCriteria(model: string("model"), tool: string("tool"), file: string("file"))
        criteria.hadErrors = bool("errors")
        return criteria
    }
}

extension ToolArgument {
    /// The range arguments every history tool takes.
    static let range: [ToolArgument] = [
        ToolArgument(name: "since", kind: .text(maxLength: 40), description: "First day, YYYY-MM-DD (in timezone)."),
        ToolArgument(name: "until", kind: .text(maxLength: 40), description: "Last day, YYYY-MM-DD (in timezone)."),
        ToolArgument(name: "period", kind: .choice(["today", "7d", "30d", "all"]),
                     description: "Shortcut for since: today, the last 7 or 30 days, or all (since wins when both are given)."),
        ToolArgument(name: "timezone", kind: .text(maxLength: 64), description: "Time zone of the days, e.g. Europe/Berlin (default: this machine's)."),
        ToolArgument(name: "agent", kind: .choice(["claude", "codex", "gemini", "all"]), description: "Only this agent's sessions."),
        ToolArgument(name: "project", kind: .text(maxLength: 1024), description: "Only projects whose path or name contains this text."),
    ]

    /// Model, tool, file and errors filters of sessions.
    static let criteria: [ToolArgument] = [
        ToolArgument(name: "model", kind: .text(maxLength: 200), description: "Only sessions that used a model containing this text."),
        ToolArgument(name: "tool", kind: .text(maxLength: 200), description: "Only sessions that called this tool."),
        ToolArgument(name: "file", kind: .text(maxLength: 1024), description: "Only sessions that touched a file whose path contains this text."),
        ToolArgument(name: "errors", kind: .boolean, description: "Only sessions with a failed tool call."),
    ]

    /// Who a coordination call speaks for.
    static let holder: [ToolArgument] = [
        ToolArgument(name: "session", kind: .text(maxLength: 200),
                     description: "Your session id (default: the server's, from $AGENTLOG_SESSION or $CLAUDE_SESSION_ID, else one per server process)."),
        ToolArgument(name: "agent_id", kind: .text(maxLength: 200), description: "Your subagent id, if you are one."),
    ]
}
