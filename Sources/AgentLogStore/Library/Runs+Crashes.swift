import AgentLogProcess
import GRDB

extension AgentLogStore {
    /// Every project with its latest run and its run counts, the most recently run first.
    public func projectOverviews() async throws(StoreError) -> [ProjectOverview] {
        try await readAsync { db in try Self.overviews(db, directory: nil) }
    }

    /// One project with its latest run and its run counts.
    public func projectOverview(directory: String) async throws(StoreError) -> ProjectOverview? {
        try await readAsync { db in try Self.overviews(db, directory: directory).first }
    }

    private static func overviews(_ db: Database, directory: String?) throws -> [ProjectOverview] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(Project.columns.split(separator: ",").map { "p." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")),
                   count(r.id), count(r.id) FILTER (WHERE r.status = 'running'), count(r.id) FILTER (WHERE r.status = 'completed'),
                   count(r.id) FILTER (WHERE r.status = 'failed'), count(r.id) FILTER (WHERE r.status = 'crashed'),
                   (SELECT id FROM runs WHERE project_id = p.id ORDER BY started_at DESC, id DESC LIMIT 1)
            FROM projects p LEFT JOIN runs r ON r.project_id = p.id
            WHERE ?1 IS NULL OR p.path = ?1
            GROUP BY p.id ORDER BY p.last_run_at DESC NULLS LAST, p.created_at DESC, p.id DESC
            """, arguments: [directory])
        return try rows.map { row in
            let latestId: Int64? = row[12]
            let latest = try latestId.flatMap { id in
                try Row.fetchOne(db, sql: "SELECT \(Run.columns) FROM runs WHERE id = ?", arguments: [id]).map(Run.init(row:))
            }
            return ProjectOverview(project: Project(row: row), latestRun: latest, runCount: row[7], running: row[8], completed: row[9],
                                   failed: row[10], crashed: row[11])
        }
    }

    /// Crashed runs with their projects, the latest first.
    public func crashedRuns() async throws(StoreError) -> [CrashedRun] {
        try await readAsync { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Run.columns.split(separator: ",").map { "r." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")),
                       \(Project.columns.split(separator: ",").map { "p." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
                FROM runs r JOIN projects p ON p.id = r.project_id
                WHERE r.status = 'crashed' ORDER BY r.ended_at DESC, r.id DESC
                """).map { row in
                CrashedRun(run: Run(row: row), project: Project(row: row, offset: 13))
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
        let running = try await readAsync { db in
            try Row.fetchAll(db, sql: "SELECT \(Run.columns) FROM runs WHERE status = 'running' AND host = ?", arguments: [host])
                .map(Run.init(row:))
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
        return try await writeAsync { db in
            try ids.compactMap { id in
                // Only if no one ended it meanwhile.
                try Row.fetchOne(db, sql: """
                    UPDATE runs SET status = 'crashed', ended_at = ? WHERE id = ? AND status = 'running' RETURNING \(Run.columns)
                    """, arguments: [time, id]).map(Run.init(row:))
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
        try await readAsync { db in
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
