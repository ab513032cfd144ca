import AgentLogDatabase
import AgentLogProcess
import GRDB

extension AgentLogStore {
    /// Every project with its latest run and its run counts, the most recently run first.
    public func projectOverviews() async throws(StoreError) -> [ProjectOverview] {
        try await read { db in try Self.overviews(db, directory: nil) }
    }

    /// One project with its latest run and its run counts.
    public func projectOverview(directory: String) async throws(StoreError) -> ProjectOverview? {
        try await read { db in try Self.overviews(db, directory: directory).first }
    }

    private static func overviews(_ db: Database, directory: String?) throws -> [ProjectOverview] {
        // The project, its latest run, and its runs counted by status: one row per project.
        let counts = Project.columnCount + Run.columnCount
        return try Row.fetchAll(db, sql: """
            SELECT \(qualified(Project.columns, by: "p")), \(qualified(Run.columns, by: "l")),
                   count(r.id), count(r.id) FILTER (WHERE r.status = 'running'), count(r.id) FILTER (WHERE r.status = 'completed'),
                   count(r.id) FILTER (WHERE r.status = 'failed'), count(r.id) FILTER (WHERE r.status = 'crashed')
            FROM projects p
            LEFT JOIN runs l ON l.id = (SELECT id FROM runs WHERE project_id = p.id ORDER BY started_at DESC, id DESC LIMIT 1)
            LEFT JOIN runs r ON r.project_id = p.id
            WHERE ?1 IS NULL OR p.path = ?1
            GROUP BY p.id ORDER BY p.last_run_at DESC NULLS LAST, p.created_at DESC, p.id DESC
            """, arguments: [directory]).map { row in
            let latest = row[Project.columnCount] as Int64? == nil ? nil : Run(row: row, offset: Project.columnCount)
            return ProjectOverview(project: Project(row: row), latestRun: latest, runCount: row[counts], running: row[counts + 1],
                                   completed: row[counts + 2], failed: row[counts + 3], crashed: row[counts + 4])
        }
    }

    /// Crashed runs with their projects, the latest first.
    public func crashedRuns() async throws(StoreError) -> [CrashedRun] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.qualified(Run.columns, by: "r")), \(Self.qualified(Project.columns, by: "p"))
                FROM runs r JOIN projects p ON p.id = r.project_id
                WHERE r.status = 'crashed' ORDER BY r.ended_at DESC, r.id DESC
                """).map { row in
                CrashedRun(run: Run(row: row), project: Project(row: row, offset: Run.columnCount))
            }
        }
    }

    /// Finds runs of this host still `running` whose processes are gone — or whose pids now
    /// belong to processes that started at another time — and marks them `crashed`, ended now.
    /// A run is alive while its process or its wrapper (`agentlog run`) is; one with neither
    /// recorded yet is left alone, as are runs of other hosts. Returns the runs it marked.
    ///
    /// `isRunning` decides whether a recorded process lives (tests pass their own).
    @discardableResult
    public func detectCrashedRuns(host: String = ProcessIdentity.hostName, at time: Int64 = AgentLogStore.now(),
                                  isRunning: @escaping @Sendable (Int32, String?) -> Bool = ProcessIdentity.isRunning)
        async throws(StoreError) -> [Run] {
        let running = try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Run.columns) FROM runs WHERE status = 'running' AND host = ?", arguments: [host])
                .map { Run(row: $0) }
        }
        let dead = running.filter { run in
            // A run with no process recorded yet (created before its process started) cannot be judged.
            guard run.pid != nil || run.wrapperPid != nil else { return false }
            let processAlive = run.pid.map { isRunning($0, run.pidStart) } ?? false
            let wrapperAlive = run.wrapperPid.map { isRunning($0, run.wrapperStart) } ?? false
            return !processAlive && !wrapperAlive
        }
        guard !dead.isEmpty else { return [] }
        let ids = dead.map(\.id)
        return try await write { db in
            try ids.compactMap { id in
                // Only if no one ended it meanwhile.
                try Row.fetchOne(db, sql: """
                    UPDATE runs SET status = 'crashed', ended_at = ? WHERE id = ? AND status = 'running' RETURNING \(Run.columns)
                    """, arguments: [time, id]).map { Run(row: $0) }
            }
        }
    }
}

extension AgentLogStore {
    /// Hooked Claude Code sessions that look abandoned: no SessionEnd, and no event for
    /// `idleLimitMs`. Their main agent's registry row, the most recently active first. Reads
    /// only (the registry itself is left as it is).
    public func abandonedSessions(idleLimitMs: Int64 = 30 * 60 * 1000,
                                  at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> [AgentRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT session_id, agent_id, agent_type, project, status, started_at, ended_at, last_event_at FROM agents
                WHERE agent_id = '' AND ended_at IS NULL AND status IN ('running', 'aborted_stale') AND last_event_at < ?
                ORDER BY last_event_at DESC
                """, arguments: [time - idleLimitMs]).map {
                AgentRecord(session: $0[0], agentId: $0[1], agentType: $0[2], project: $0[3], status: "abandoned", startedAt: $0[5],
                            endedAt: $0[6], lastEventAt: $0[7])
            }
        }
    }
}
