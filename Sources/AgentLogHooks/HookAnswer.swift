import AgentLogJSON
import AgentLogSQLite
import AgentLogSpend
import AgentLogPricing
/// What the hook prints for Claude Code. On `SessionStart` after a compaction or a resume:
/// `additionalContext` with what the agent would otherwise have lost (errors still open,
/// approaches that failed, files other running agents of the project are editing). On
/// `UserPromptSubmit`: a one-line warning when a budget that covers the session is spent. On
/// other events: nothing.
struct HookAnswer {
    let db: SQLiteConnection
    var claimGuard: HookRunner.ClaimGuard = .off
    /// Claims of other agents older than this are not mentioned.
    var claimWindowMs: Int64 = 30 * 60 * 1000

    /// JSON for stdout, or the reason to block the call (exit 2).
    struct Response {
        var stdout: [UInt8] = []
        var block: String?
    }

    func answer(to payload: HookPayload) throws -> Response {
        if payload.event == "PreToolUse" { return try guardClaims(payload) }
        if payload.event == "UserPromptSubmit" { return Response(stdout: try budgetWarning(payload)) }
        return Response(stdout: try contextAfterRestart(payload))
    }

    /// `--guard-claims`: an edit of a file another running agent of the project wrote within
    /// the window gets a warning, or is blocked in strict mode.
    private func guardClaims(_ payload: HookPayload) throws -> Response {
        guard claimGuard != .off, let tool = payload.toolName, HookRecorder.writingTools.contains(tool),
              let path = payload.filePath else { return Response() }
        let now = HookRunner.nowMilliseconds()
        let others = try rows(SharedStatements.claimsHoldingFile,
                              [.text(path), .text(payload.sessionId), .text(payload.agentId ?? ""), .int(now), .int(now - claimWindowMs)],
                              columns: 9)
        guard let other = others.first else { return Response() }
        let who = (other[2].isEmpty ? "another agent" : "another agent (\(other[2]))") + " in session \(other[0].prefix(8))"
        let minutes = max(0, (now - (Int64(other[6]) ?? 0)) / 60_000)
        let what = other[7].isEmpty
            ? "was edited by \(who) \(minutes) minutes ago and that agent is still running"
            : "is claimed by \(who) for \(max(1, ((Int64(other[7]) ?? now) - now + 59_999) / 60_000)) more minutes"
                + (other[8].isEmpty ? "" : " (\(other[8].prefix(200)))")
        let reason = "agentlog: \(path) \(what); coordinate before changing it."
        if claimGuard == .strict { return Response(block: reason) }
        return Response(stdout: Array(("{\"hookSpecificOutput\":{\"hookEventName\":\"PreToolUse\",\"additionalContext\":"
            + JSONOutput.quoted(reason) + "}}\n").utf8))
    }

    /// A budget over its limit, as a line of `additionalContext`, so the agent can tell the
    /// user before it spends more; nothing when every budget that covers the session is under.
    private func budgetWarning(_ payload: HookPayload) throws -> [UInt8] {
        let budgets = try SpendReader(db: db).budgets().filter { $0.applies(agent: "claude", directory: payload.cwd ?? "") }
        guard !budgets.isEmpty else { return [] }
        // The price file is read only when a budget needs it (most prompts have none to check).
        let environment = DatabaseLocation.processEnvironment
        let prices = (try? PriceTable.forUser(explicit: nil, environment: environment, absolute: {
            DatabaseLocation.absolute($0, environment: environment, currentDirectory: DatabaseLocation.currentDirectory())
        })) ?? .builtIn
        let reader = SpendReader(db: db, prices: prices)
        let over = try reader.statuses(of: budgets, now: HookRunner.nowMilliseconds()).filter { $0.level == .critical }
        guard !over.isEmpty else { return [] }
        let what = over.map { "\($0.budget.label) budget: \(Money.dollars(micros: $0.spentMicros)) spent (\($0.percent) %)" }
        let context = "agentlog: over budget — " + what.joined(separator: "; ") + ". Tell the user before starting costly work."
        return Array(("{\"hookSpecificOutput\":{\"hookEventName\":\"UserPromptSubmit\",\"additionalContext\":"
            + JSONOutput.quoted(context) + "}}\n").utf8)
    }

    private func contextAfterRestart(_ payload: HookPayload) throws -> [UInt8] {
        guard payload.event == "SessionStart", payload.source == "compact" || payload.source == "resume" else { return [] }
        var lines: [String] = []
        let errors = try rows("""
            SELECT tool, path, category, attempt, substr(COALESCE(error, ''), 1, 200) FROM tool_errors
            WHERE session_id = ? AND resolved_at IS NULL ORDER BY at DESC LIMIT 10
            """, [.text(payload.sessionId)], columns: 5)
        if !errors.isEmpty {
            lines.append("Tool calls that failed and have not succeeded since:")
            for error in errors {
                let place = error[1].isEmpty ? "" : " on \(error[1])"
                let detail = error[4].split(separator: "\n").first.map { ": \($0)" } ?? ""
                lines.append("- \(error[0]) (\(error[2]) error\(place), attempt \(error[3]))\(detail)")
            }
        }
        let failed = try rows("""
            SELECT approach, reason, COALESCE(file, '') FROM failed_paths
            WHERE session_id = ?1 OR (project IS NOT NULL AND project = ?2) ORDER BY created_at DESC LIMIT 10
            """, [.text(payload.sessionId), .text(payload.cwd)], columns: 3)
        if !failed.isEmpty {
            lines.append("Approaches already tried that did not work:")
            for path in failed { lines.append("- \(path[0]): \(path[1])\(path[2].isEmpty ? "" : " (\(path[2]))")") }
        }
        let claims = try rows("""
            SELECT c.path, a.agent_type, c.session_id FROM file_claims c
            JOIN agents a ON a.session_id = c.session_id AND a.agent_id = c.agent_id
            WHERE a.status = 'running' AND c.project = ?2 AND c.session_id <> ?1 AND c.last_at >= ?3
            ORDER BY c.last_at DESC LIMIT 20
            """, [.text(payload.sessionId), .text(payload.cwd), .int(HookRunner.nowMilliseconds() - claimWindowMs)], columns: 3)
        if !claims.isEmpty {
            lines.append("Files other running agents of this project are editing:")
            for claim in claims { lines.append("- \(claim[0]) (\(claim[1].isEmpty ? "agent" : claim[1]) in session \(claim[2].prefix(8)))") }
        }
        guard !lines.isEmpty else { return [] }
        let context = "agentlog: what this session knew before the \(payload.source == "compact" ? "compaction" : "restart").\n"
            + lines.joined(separator: "\n")
        return Array(("{\"hookSpecificOutput\":{\"hookEventName\":\"SessionStart\",\"additionalContext\":"
            + JSONOutput.quoted(context) + "}}\n").utf8)
    }

    private func rows(_ sql: String, _ values: [SQLiteValue], columns: Int32) throws -> [[String]] {
        let statement = try db.statement(sql)
        statement.bind(values)
        var rows: [[String]] = []
        while try statement.step() {
            rows.append((0..<columns).map { statement.text($0) ?? "" })
        }
        return rows
    }

}
