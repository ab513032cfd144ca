/// What the hook prints for Claude Code. On `SessionStart` after a compaction or a resume:
/// `additionalContext` with what the agent would otherwise have lost (errors still open,
/// approaches that failed, files other running agents of the project are editing). On other
/// events: nothing.
struct HookAnswer {
    let db: SQLiteConnection
    /// Claims of other agents older than this are not mentioned.
    static let claimWindowMs: Int64 = 30 * 60 * 1000

    func answer(to payload: HookPayload) throws(HookError) -> [UInt8] {
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
            """, [.text(payload.sessionId), .text(payload.cwd), .int(HookRunner.nowMilliseconds() - Self.claimWindowMs)], columns: 3)
        if !claims.isEmpty {
            lines.append("Files other running agents of this project are editing:")
            for claim in claims { lines.append("- \(claim[0]) (\(claim[1].isEmpty ? "agent" : claim[1]) in session \(claim[2].prefix(8)))") }
        }
        guard !lines.isEmpty else { return [] }
        let context = "agentlog: what this session knew before the \(payload.source == "compact" ? "compaction" : "restart").\n"
            + lines.joined(separator: "\n")
        return Array(("{\"hookSpecificOutput\":{\"hookEventName\":\"SessionStart\",\"additionalContext\":"
            + Self.jsonString(context) + "}}\n").utf8)
    }

    private func rows(_ sql: String, _ values: [HookValue], columns: Int32) throws(HookError) -> [[String]] {
        let statement = try db.prepare(sql)
        for (index, value) in values.enumerated() {
            switch value {
            case .int(let number): statement.bind(Int32(index + 1), number)
            case .text(let text): statement.bind(Int32(index + 1), text)
            }
        }
        var rows: [[String]] = []
        while try statement.step() {
            rows.append((0..<columns).map { statement.text($0) ?? "" })
        }
        return rows
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
