import AgentLogDatabase
import Foundation
import GRDB

extension AgentLogStore {
    /// Records a completed job with its tool calls, subagents and files modified (each once, in
    /// the order given), and adds it to the daily metrics, all in one transaction: if any part
    /// cannot be stored (an unknown project or run, an empty file path), nothing of the job is.
    public func recordJob(_ job: CompletedJob) async throws(StoreError) -> JobRecord {
        var unique: [String] = []
        for file in job.filesModified where !unique.contains(file) { unique.append(file) }
        let files = unique
        let failed = job.toolCalls.filter(\.isError).count
        let primary = job.primaryTool ?? job.mostUsedTool
        let day = Self.utcDay(job.completedAt)
        return try await write { db in
            if let project = job.projectId, try Bool.fetchOne(db, sql: "SELECT 1 FROM projects WHERE id = ?", arguments: [project]) != true {
                throw StoreError.notFound(what: "project with id \(project)")
            }
            if let run = job.runId, try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [run]) != true {
                throw StoreError.notFound(what: "run with id \(run)")
            }
            let id = try Int64.fetchOne(db, sql: """
                INSERT INTO jobs (project_id, run_id, session_id, prompt, original_prompt, reuse_count, summary, model, effort,
                    input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, context_window, cost_micros,
                    tool_call_count, failed_tool_calls, primary_tool, user_messages, assistant_messages, started_at, completed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, arguments: [job.projectId, job.runId, job.sessionId, job.prompt, job.originalPrompt, job.reuseCount, job.summary,
                                 job.model, job.effort, job.tokens.input, job.tokens.output, job.tokens.cacheCreation,
                                 job.tokens.cacheRead, job.contextWindow, job.costMicros, job.toolCalls.count, failed, primary,
                                 job.userMessages, job.assistantMessages, job.startedAt, job.completedAt])!
            let call = try db.cachedStatement(sql: """
                INSERT INTO job_tool_calls (job_id, seq, name, input, output, is_error, duration_ms, file_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (index, tool) in job.toolCalls.enumerated() {
                try call.execute(arguments: [id, index + 1, tool.name, tool.input, tool.output, tool.isError, tool.durationMs, tool.filePath])
            }
            let subagent = try db.cachedStatement(sql: """
                INSERT INTO job_subagents (job_id, agent_type, description, status, tool_calls, total_tokens, duration_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            for agent in job.subagents {
                try subagent.execute(arguments: [id, agent.agentType, agent.description, agent.status, agent.toolCalls, agent.totalTokens,
                                                 agent.durationMs])
            }
            let file = try db.cachedStatement(sql: "INSERT INTO job_files (job_id, path, position) VALUES (?, ?, ?)")
            for (position, path) in files.enumerated() {
                // Written after the job, its calls and subagents: a bad path here undoes them all.
                do {
                    try file.execute(arguments: [id, path, position])
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw StoreError.invalidValue(what: "job", reason: "a file modified has an empty path")
                }
            }
            try db.execute(sql: """
                INSERT INTO daily_metrics (day, project, jobs, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens,
                                           cost_micros, tool_calls, failed_tool_calls)
                VALUES (?1, COALESCE((SELECT path FROM projects WHERE id = ?2), ''), 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                ON CONFLICT (day, project) DO UPDATE SET
                    jobs = jobs + 1, input_tokens = input_tokens + ?3, output_tokens = output_tokens + ?4,
                    cache_creation_tokens = cache_creation_tokens + ?5, cache_read_tokens = cache_read_tokens + ?6,
                    cost_micros = cost_micros + ?7, tool_calls = tool_calls + ?8, failed_tool_calls = failed_tool_calls + ?9
                """, arguments: [day, job.projectId, job.tokens.input, job.tokens.output, job.tokens.cacheCreation, job.tokens.cacheRead,
                                 job.costMicros, job.toolCalls.count, failed])
            return try Self.jobs(db, where: "j.id = ?", [id]).first!
        }
    }

    /// One job.
    public func job(id: Int64) async throws(StoreError) -> JobRecord? {
        try await read { db in try Self.jobs(db, where: "j.id = ?", [id]).first }
    }

    /// A job's tool calls, in the order they were made.
    public func jobToolCalls(jobId: Int64) async throws(StoreError) -> [JobToolCall] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT name, input, output, is_error, duration_ms, file_path FROM job_tool_calls WHERE job_id = ? ORDER BY seq
                """, arguments: [jobId]).map {
                JobToolCall(name: $0[0], input: $0[1], output: $0[2], isError: $0[3], durationMs: $0[4], filePath: $0[5])
            }
        }
    }

    /// The subagents a job started.
    public func jobSubagents(jobId: Int64) async throws(StoreError) -> [JobSubagent] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT agent_type, description, status, tool_calls, total_tokens, duration_ms FROM job_subagents WHERE job_id = ? ORDER BY id
                """, arguments: [jobId]).map {
                JobSubagent(agentType: $0[0], description: $0[1], status: $0[2], toolCalls: $0[3], totalTokens: $0[4], durationMs: $0[5])
            }
        }
    }

    /// Jobs that modified `path`, or any file under it when it ends with `/`; newest first.
    public func jobs(modifying path: String) async throws(StoreError) -> [JobRecord] {
        try await read { db in
            if path.hasSuffix("/") {
                // A range on the index: every path that starts with the folder.
                return try Self.jobs(db, where: "j.id IN (SELECT job_id FROM job_files WHERE path >= ? AND path < ?)",
                                     [path, path.dropLast() + "0"])
            }
            return try Self.jobs(db, where: "j.id IN (SELECT job_id FROM job_files WHERE path = ?)", [path])
        }
    }

    /// Jobs that called a tool (by name, in any case); newest first.
    public func jobs(usingTool name: String) async throws(StoreError) -> [JobRecord] {
        try await read { db in
            try Self.jobs(db, where: "j.id IN (SELECT job_id FROM job_tool_calls WHERE name = ? COLLATE NOCASE)", [name])
        }
    }

    /// Jobs, newest first.
    public func jobs(projectId: Int64? = nil, limit: Int = 100) async throws(StoreError) -> [JobRecord] {
        try await read { db in
            try Self.jobs(db, where: "?1 IS NULL OR j.project_id = ?1", [projectId], limit: limit)
        }
    }

    /// The daily metrics from `since` to `until` (`YYYY-MM-DD`, both included), by day and project.
    public func dailyMetrics(since: String? = nil, until: String? = nil) async throws(StoreError) -> [DailyMetrics] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT day, project, jobs, input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_micros,
                       tool_calls, failed_tool_calls
                FROM daily_metrics WHERE (?1 IS NULL OR day >= ?1) AND (?2 IS NULL OR day <= ?2) ORDER BY day, project
                """, arguments: [since, until]).map {
                DailyMetrics(day: $0[0], project: $0[1], jobs: $0[2],
                             tokens: JobTokens(input: $0[3], output: $0[4], cacheCreation: $0[5], cacheRead: $0[6]),
                             costMicros: $0[7], toolCalls: $0[8], failedToolCalls: $0[9])
            }
        }
    }

    private static func jobs(_ db: Database, where condition: String, _ arguments: [(any DatabaseValueConvertible)?],
                             limit: Int = -1) throws -> [JobRecord] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT j.id, j.project_id, j.run_id, j.session_id, j.prompt, j.original_prompt, j.reuse_count, j.summary, j.model, j.effort,
                   j.input_tokens, j.output_tokens, j.cache_creation_tokens, j.cache_read_tokens, j.context_window, j.cost_micros,
                   j.tool_call_count, j.failed_tool_calls, j.primary_tool, j.user_messages, j.assistant_messages, j.started_at,
                   j.completed_at, (SELECT json_group_array(path) FROM (SELECT path FROM job_files WHERE job_id = j.id ORDER BY position))
            FROM jobs j WHERE \(condition) ORDER BY j.completed_at DESC, j.id DESC LIMIT \(limit)
            """, arguments: StatementArguments(arguments))
        return rows.map { row in
            JobRecord(id: row[0], projectId: row[1], runId: row[2], sessionId: row[3], prompt: row[4], originalPrompt: row[5],
                      reuseCount: row[6], summary: row[7], model: row[8], effort: row[9],
                      tokens: JobTokens(input: row[10], output: row[11], cacheCreation: row[12], cacheRead: row[13]),
                      contextWindow: row[14], costMicros: row[15], toolCallCount: row[16], failedToolCalls: row[17], primaryTool: row[18],
                      filesModified: stringArray(row[23]), userMessages: row[19], assistantMessages: row[20], startedAt: row[21],
                      completedAt: row[22])
        }
    }

    /// `YYYY-MM-DD` of a time in ms since 1970, in UTC.
    static func utcDay(_ milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }
}
