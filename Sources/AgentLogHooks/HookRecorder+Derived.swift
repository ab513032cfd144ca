import AgentLogRedaction
import AgentLogSQLite
/// What an event implies: the agent registry, file claims, the error log, metrics, verdicts and
/// context snapshots. Runs inside the event's transaction.
extension HookRecorder {
    static let writingTools: Set<String> = ["Write", "Edit", "MultiEdit", "NotebookEdit"]

    /// With `masking` (the payload held secrets), the error and reason texts are masked too.
    func updateDerivedState(_ payload: HookPayload, eventId: Int64, at time: Int64, masking: Bool = false) throws {
        let mask = { (text: String?) in masking ? text.map { Redactor.redact($0).text } : text }
        let session = SQLiteValue.text(payload.sessionId)
        let agent = SQLiteValue.text(payload.agentId ?? "")
        // Metrics: every event, and each tool's calls and time.
        try run("""
            INSERT INTO hook_metrics (session_id, name, count, total_ms) VALUES (?1, ?2, 1, 0)
            ON CONFLICT (session_id, name) DO UPDATE SET count = count + 1
            """, [session, .text("event:" + payload.event)])
        if let tool = payload.toolName, payload.event == "PostToolUse" || payload.event == "PostToolUseFailure" {
            try run("""
                INSERT INTO hook_metrics (session_id, name, count, total_ms) VALUES (?1, ?2, 1, ?3)
                ON CONFLICT (session_id, name) DO UPDATE SET count = count + 1, total_ms = total_ms + excluded.total_ms
                """, [session, .text("tool:" + tool), .int(Int64(payload.durationMs ?? 0))])
        }
        try updateAgents(payload, at: time)
        switch payload.event {
        case "PostToolUse":
            if let tool = payload.toolName, Self.writingTools.contains(tool), let path = payload.filePath {
                try run("""
                    INSERT INTO file_claims (session_id, agent_id, path, project, tool, first_at, last_at, writes)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 1)
                    ON CONFLICT (session_id, agent_id, path) DO UPDATE SET tool = excluded.tool, last_at = excluded.last_at,
                        writes = writes + 1
                    """, [session, agent, .text(path), .text(payload.cwd), .text(tool), .int(time)])
            }
            // A success on the same file and of the same kind resolves earlier failures.
            try run("""
                UPDATE tool_errors SET resolved_at = ?4, resolved_by = ?5
                WHERE session_id = ?1 AND path = ?2 AND category = ?3 AND resolved_at IS NULL
                """, [session, .text(payload.filePath ?? ""), .text(ErrorCategory.of(payload).rawValue), .int(time),
                      .text(payload.toolUseId)])
        case "PostToolUseFailure":
            let category = ErrorCategory.of(payload).rawValue
            let path = payload.filePath ?? ""
            try run("""
                INSERT INTO tool_errors (session_id, agent_id, tool_use_id, tool, path, category, attempt, error, at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6,
                        1 + (SELECT COUNT(*) FROM tool_errors WHERE session_id = ?1 AND path = ?5 AND category = ?6
                             AND resolved_at IS NULL),
                        ?7, ?8)
                """, [session, agent, .text(payload.toolUseId), .text(payload.toolName), .text(path), .text(category),
                      .text(mask(payload.error)), .int(time)])
        case "PreCompact", "SessionEnd":
            try snapshot(payload, at: time)
        default:
            break
        }
        if let decision = payload.decision {
            try run("INSERT INTO verdicts (event_id, session_id, decision, reason, at) VALUES (?, ?, ?, ?, ?)",
                    [.int(eventId), session, .text(decision), .text(mask(payload.reason)), .int(time)])
        }
    }

    /// The main agent ('') on every event; subagents on their start and stop and on events
    /// they make.
    private func updateAgents(_ payload: HookPayload, at time: Int64) throws {
        let upsert = """
            INSERT INTO agents (session_id, agent_id, agent_type, project, status, started_at, last_event_at)
            VALUES (?1, ?2, ?3, ?4, 'running', ?5, ?5)
            ON CONFLICT (session_id, agent_id) DO UPDATE SET last_event_at = MAX(last_event_at, excluded.last_event_at),
                started_at = MIN(started_at, excluded.started_at),
                agent_type = COALESCE(excluded.agent_type, agent_type), project = COALESCE(project, excluded.project),
                status = CASE WHEN status = 'aborted_stale' THEN 'running' ELSE status END
            """
        let session = SQLiteValue.text(payload.sessionId)
        try run(upsert, [session, .text(""), .text(nil), .text(payload.cwd), .int(time)])
        if let agent = payload.agentId {
            try run(upsert, [session, .text(agent), .text(payload.agentType), .text(payload.cwd), .int(time)])
        }
        let ending: (agent: String, status: String)? = switch payload.event {
        case "SessionEnd": ("", "completed")
        case "SubagentStop": (payload.agentId ?? "", "completed")
        default: nil
        }
        if let ending, payload.event == "SessionEnd" || payload.agentId != nil {
            try run("UPDATE agents SET status = ?3, ended_at = ?4 WHERE session_id = ?1 AND agent_id = ?2",
                    [session, .text(ending.agent), .text(ending.status), .int(time)])
        }
        if payload.event == "SessionStart" {
            // A new start (or resume) of the session: the main agent runs again.
            try run("UPDATE agents SET status = 'running', ended_at = NULL WHERE session_id = ?1 AND agent_id = ''", [session])
        }
    }

    /// What the agent should know after a compaction: the last prompt, its files, the errors
    /// still open and the approaches that failed.
    private func snapshot(_ payload: HookPayload, at time: Int64) throws {
        let trigger = payload.event == "PreCompact" ? "PreCompact:" + (payload.trigger ?? "auto") : payload.event
        try run("""
            INSERT INTO context_snapshots (session_id, trigger, created_at, content)
            SELECT ?1, ?2, ?3, json_object(
                'lastPrompt', (SELECT json_extract(payload, '$.prompt') FROM events
                               WHERE session_id = ?1 AND type = 'UserPromptSubmit' ORDER BY seq DESC LIMIT 1),
                'claims', json((SELECT json_group_array(path) FROM file_claims WHERE session_id = ?1)),
                'openErrors', json((SELECT json_group_array(json_object('tool', tool, 'path', path, 'category', category,
                                                                       'attempt', attempt, 'error', substr(error, 1, 300)))
                                    FROM tool_errors WHERE session_id = ?1 AND resolved_at IS NULL)),
                'failedPaths', json((SELECT json_group_array(json_object('approach', approach, 'reason', reason, 'file', file))
                                     FROM failed_paths WHERE session_id = ?1 OR (project IS NOT NULL AND project = ?4))))
            """, [.text(payload.sessionId), .text(trigger), .int(time), .text(payload.cwd)])
    }
}

/// What kind of failure a failed tool call was, from its command and error text.
enum ErrorCategory: String, CaseIterable {
    case test, build, lint, type, runtime, permission, other

    static func of(_ payload: HookPayload) -> ErrorCategory {
        let command = (payload.command ?? "").lowercased()
        let error = (payload.error ?? "").lowercased()
        let both = command + "\n" + error
        if error.contains("permission denied") || error.contains("operation not permitted") || error.contains("eacces")
            || error.contains("not allowed") || error.contains("user doesn't want to proceed") {
            return .permission
        }
        if ["pytest", "jest", "vitest", "swift test", "go test", "cargo test", "npm test", "npm run test", "yarn test",
            "pnpm test", "rspec", "mocha", "playwright test", "xcodebuild test"].contains(where: command.contains) {
            return .test
        }
        if ["eslint", "ruff", "flake8", "pylint", "swiftlint", "rubocop", "golangci-lint", "prettier --check", "npm run lint",
            "clippy", "shellcheck"].contains(where: command.contains) {
            return .lint
        }
        if ["tsc", "mypy", "pyright", "type-check", "typecheck"].contains(where: command.contains)
            || error.contains("type error") || error.contains("is not assignable to") {
            return .type
        }
        if ["swift build", "cargo build", "go build", "make", "cmake", "gradle", "mvn", "npm run build", "xcodebuild",
            "gcc", "clang", "javac", "webpack", "vite build"].contains(where: command.contains)
            || both.contains("compilation failed") || both.contains("linker command failed") {
            return .build
        }
        if ["traceback", "exception", "panic", "segmentation fault", "referenceerror", "typeerror", "fatal error",
            "exit code"].contains(where: error.contains) {
            return .runtime
        }
        return .other
    }
}
