import AgentLogDatabase
import GRDB

/// What a session must have done to be listed or searched: the model it used, a tool it called,
/// a file it touched, what it cost, whether something failed.
///
/// ```swift
/// var criteria = SessionCriteria()
/// criteria.file = "/repo/src/"        // touched a file under src/
/// criteria.tool = "Bash"
/// criteria.maxCostMicros = 2_000_000  // at most $2
/// ```
public struct SessionCriteria: Sendable, Equatable {
    /// Used a model whose name contains this text.
    public var model: String?
    /// Called this tool (exact name, case-insensitive).
    public var tool: String?
    /// Read or changed a file whose path starts with this text.
    public var file: String?
    /// Had a failed tool call or a message marked as an error (for `sessions`; search applies it
    /// to each result instead).
    public var hadErrors = false
    /// Cost bounds in micro-dollars, inclusive (computed with the query's price table).
    public var minCostMicros: Int64?
    /// The upper cost bound, in micro-dollars, inclusive.
    public var maxCostMicros: Int64?

    /// Criteria on model, tool and file; the cost and error criteria start unset.
    public init(model: String? = nil, tool: String? = nil, file: String? = nil) {
        self.model = model
        self.tool = tool
        self.file = file
    }

    /// Whether a cost bound is set (those need prices, so they are applied after the SQL).
    public var boundsCost: Bool { minCostMicros != nil || maxCostMicros != nil }

    /// Whether `costMicros` is within the cost bounds.
    public func admits(costMicros: Int64) -> Bool {
        (minCostMicros.map { costMicros >= $0 } ?? true) && (maxCostMicros.map { costMicros <= $0 } ?? true)
    }

    /// Conditions on the session row aliased `s`.
    func sql() -> (conditions: [String], arguments: [any DatabaseValueConvertible]) {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let model {
            conditions.append("EXISTS (SELECT 1 FROM usage u WHERE u.session_id = s.id AND instr(u.model, ?) > 0)")
            arguments.append(model)
        }
        if let tool {
            conditions.append("EXISTS (SELECT 1 FROM tool_calls tc WHERE tc.session_id = s.id AND tc.name = ? COLLATE NOCASE)")
            arguments.append(tool)
        }
        if let file {
            // A range on the indexed path: a prefix match that treats % and _ as themselves.
            conditions.append("EXISTS (SELECT 1 FROM files_touched f WHERE f.session_id = s.id AND f.path >= ? AND f.path < ?)")
            arguments += [file, file + "\u{10FFFF}"]
        }
        if hadErrors {
            conditions.append("""
                (EXISTS (SELECT 1 FROM tool_calls te WHERE te.session_id = s.id AND te.is_error = 1)
                 OR EXISTS (SELECT 1 FROM messages me WHERE me.session_id = s.id AND me.is_error = 1))
                """)
        }
        return (conditions, arguments)
    }
}
