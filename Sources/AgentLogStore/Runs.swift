import AgentLogDatabase
import AgentLogProcess
import GRDB

/// Where a run is: still `running`, or ended `completed` (exit code 0), `failed` (any other
/// exit), or `crashed` (its process vanished without recording an end).
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case running, completed, failed, crashed

    /// Whether the run has ended.
    public var isFinal: Bool { self != .running }
}

/// One process started for a project, by `agentlog run` or by an app.
public struct Run: Sendable, Equatable, Codable, Identifiable {
    /// The row id.
    public var id: Int64
    /// The project (``Project/id``) it belongs to, if any.
    public var projectId: Int64
    /// The name (a tool's, a project's or a run's).
    public var name: String?
    /// The process doing the work, and its start token (see ``ProcessIdentity``).
    public var pid: Int32?
    /// The start token of ``pid`` (see ``ProcessIdentity``): tells a reused pid from it.
    public var pidStart: String?
    /// `agentlog run`'s own process while it waits for the command.
    public var wrapperPid: Int32?
    /// The start token of ``wrapperPid``.
    public var wrapperStart: String?
    /// The machine it ran on (its host name).
    public var host: String
    /// The command and its arguments.
    public var args: [String]
    /// How it ended (`completed`, `failed`, …), if known.
    public var status: RunStatus
    /// The exit code (128 + the signal when a signal ended it), once ended.
    public var exitCode: Int32?
    /// ms since 1970.
    public var startedAt: Int64
    /// When it ended, ms since 1970.
    public var endedAt: Int64?

    static let columns = "id, project_id, name, pid, pid_start, wrapper_pid, wrapper_start, host, args, status, exit_code, started_at, ended_at"

    /// The number of ``columns``.
    static let columnCount = 13

    /// A row whose columns from `offset` on are ``columns``.
    init(row: Row, offset i: Int = 0) {
        let args: String = row[i + 8]
        let status: String = row[i + 9]
        self.init(id: row[i], projectId: row[i + 1], name: row[i + 2], pid: row[i + 3], pidStart: row[i + 4], wrapperPid: row[i + 5],
                  wrapperStart: row[i + 6], host: row[i + 7], args: AgentLogStore.stringArray(args),
                  status: RunStatus(rawValue: status) ?? .failed, exitCode: row[i + 10], startedAt: row[i + 11], endedAt: row[i + 12])
    }

    /// Creates a value with these fields.
    public init(id: Int64, projectId: Int64, name: String? = nil, pid: Int32? = nil, pidStart: String? = nil, wrapperPid: Int32? = nil,
                wrapperStart: String? = nil, host: String, args: [String], status: RunStatus, exitCode: Int32? = nil,
                startedAt: Int64, endedAt: Int64? = nil) {
        self.id = id
        self.projectId = projectId
        self.name = name
        self.pid = pid
        self.pidStart = pidStart
        self.wrapperPid = wrapperPid
        self.wrapperStart = wrapperStart
        self.host = host
        self.args = args
        self.status = status
        self.exitCode = exitCode
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}

/// What a new run is: ``AgentLogStore/createRun(_:)`` stores it as `running`.
public struct NewRun: Sendable, Equatable {
    /// The project (``Project/id``) it belongs to, if any.
    public var projectId: Int64
    /// The name (a tool's, a project's or a run's).
    public var name: String?
    /// The command and its arguments.
    public var args: [String]
    /// The process doing the work (an app passes ``ProcessIdentity/current``); it can be set
    /// later with ``AgentLogStore/setRunProcess(id:_:)`` once started.
    public var process: ProcessIdentity?
    /// A supervising process (`agentlog run`), if any: the run is alive while either lives.
    public var wrapper: ProcessIdentity?
    /// The machine it ran on (its host name).
    public var host: String
    /// When it started, ms since 1970.
    public var startedAt: Int64

    /// Creates a value with these fields.
    public init(projectId: Int64, name: String? = nil, args: [String] = [], process: ProcessIdentity? = .current,
                wrapper: ProcessIdentity? = nil, host: String = ProcessIdentity.hostName, startedAt: Int64 = AgentLogStore.now()) {
        self.projectId = projectId
        self.name = name
        self.args = args
        self.process = process
        self.wrapper = wrapper
        self.host = host
        self.startedAt = startedAt
    }
}

/// A project with its latest run and how its runs ended.
public struct ProjectOverview: Sendable, Equatable {
    /// The project.
    public var project: Project
    /// Its most recent run.
    public var latestRun: Run?
    /// Runs in all.
    public var runCount: Int
    /// Runs still running.
    public var running: Int
    /// Runs that exited 0.
    public var completed: Int
    /// Runs that exited otherwise.
    public var failed: Int
    /// Runs whose process vanished.
    public var crashed: Int
}

/// A crashed run and the project it was for.
public struct CrashedRun: Sendable, Equatable {
    /// The run.
    public var run: Run
    /// The project.
    public var project: Project
}

extension AgentLogStore {
    /// Stores a new `running` run and marks its project as just run.
    ///
    /// ```swift
    /// let run = try await store.createRun(NewRun(projectId: project.id, args: CommandLine.arguments))
    /// // … work …
    /// try await store.updateRunStatus(id: run.id, .completed, exitCode: 0)
    /// ```
    public func createRun(_ new: NewRun) async throws(StoreError) -> Run {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM projects WHERE id = ?", arguments: [new.projectId]) == true else {
                throw StoreError.notFound(what: "project with id \(new.projectId)")
            }
            let row = try Row.fetchOne(db, sql: """
                INSERT INTO runs (project_id, name, pid, pid_start, wrapper_pid, wrapper_start, host, args, status, started_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?) RETURNING \(Run.columns)
                """, arguments: [new.projectId, new.name, new.process?.pid, new.process?.startToken, new.wrapper?.pid,
                                 new.wrapper?.startToken, new.host, Self.jsonArray(new.args), new.startedAt])
            try db.execute(sql: "UPDATE projects SET last_run_at = max(COALESCE(last_run_at, 0), ?) WHERE id = ?",
                           arguments: [new.startedAt, new.projectId])
            return Run(row: row!)
        }
    }

    /// Records the process a run started (its pid and start token).
    public func setRunProcess(id: Int64, _ process: ProcessIdentity) async throws(StoreError) {
        try await write { db in
            try db.execute(sql: "UPDATE runs SET pid = ?, pid_start = ? WHERE id = ?", arguments: [process.pid, process.startToken, id])
            if db.changesCount == 0 { throw StoreError.notFound(what: "run \(id)") }
        }
    }

    /// The run with this id, if there is one.
    public func run(id: Int64) async throws(StoreError) -> Run? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Run.columns) FROM runs WHERE id = ?", arguments: [id]).map { Run(row: $0) }
        }
    }

    /// The latest run of a pid on a host (this machine by default).
    public func run(pid: Int32, host: String = ProcessIdentity.hostName) async throws(StoreError) -> Run? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Run.columns) FROM runs WHERE pid = ? AND host = ? ORDER BY started_at DESC, id DESC LIMIT 1",
                             arguments: [pid, host]).map { Run(row: $0) }
        }
    }

    /// Runs still `running`, on every host, oldest first.
    public func runningRuns() async throws(StoreError) -> [Run] {
        try await runs(status: .running, newestFirst: false)
    }

    /// The runs of a project, newest first.
    public func runs(projectId: Int64) async throws(StoreError) -> [Run] {
        try await runs(projectId: projectId, status: nil)
    }

    /// Runs, newest first (or oldest first), of one status and one project when given.
    public func runs(projectId: Int64? = nil, status: RunStatus? = nil, limit: Int? = nil,
                     newestFirst: Bool = true) async throws(StoreError) -> [Run] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Run.columns) FROM runs WHERE (?1 IS NULL OR project_id = ?1) AND (?2 IS NULL OR status = ?2)
                ORDER BY started_at \(newestFirst ? "DESC" : "ASC"), id \(newestFirst ? "DESC" : "ASC") LIMIT ?3
                """, arguments: [projectId, status?.rawValue, limit ?? -1]).map { Run(row: $0) }
        }
    }

    /// Sets a run's status (and exit code); a final status sets the end time to `at`.
    @discardableResult
    public func updateRunStatus(id: Int64, _ status: RunStatus, exitCode: Int32? = nil,
                                at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> Run {
        try await write { db in
            let row = try Row.fetchOne(db, sql: """
                UPDATE runs SET status = ?1, exit_code = COALESCE(?2, exit_code),
                    ended_at = CASE WHEN ?1 = 'running' THEN NULL ELSE ?3 END
                WHERE id = ?4 RETURNING \(Run.columns)
                """, arguments: [status.rawValue, exitCode, time, id])
            guard let row else { throw StoreError.notFound(what: "run \(id)") }
            return Run(row: row)
        }
    }

    /// Marks a run crashed, ended at `at`.
    @discardableResult
    public func markRunCrashed(id: Int64, at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> Run {
        try await updateRunStatus(id: id, .crashed, at: time)
    }

    /// Deletes a run; returns whether there was one.
    @discardableResult
    public func deleteRun(id: Int64) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}
