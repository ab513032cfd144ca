import AgentLogDatabase
import AgentLogIngest
import GRDB

/// One session as `agentlog sessions` lists it.
public struct SessionSummary: Sendable, Equatable {
    /// The session's row id in the store.
    public var rowId: Int64
    /// The agent's own id for the session.
    public var sessionId: String
    /// The agent that ran it: `claude`, `codex` or `gemini`.
    public var agent: String
    /// The project's working directory.
    public var project: String?
    /// When its earliest line was written, ms since 1970.
    public var startedAt: Int64?
    /// When its latest line was written, ms since 1970.
    public var endedAt: Int64?
    /// How many messages it has, its subagents' included.
    public var messages: Int
    /// Custom or AI title, else the summary line, else the first prompt.
    public var title: String?
    /// The git branch it ran on, when the agent recorded one.
    public var gitBranch: String?
    /// How many subagents it spawned.
    public var subagents: Int
    /// How many tool calls it made, its subagents' included.
    public var toolCalls: Int
    /// Tokens summed over its API responses.
    public var tokens = TokenCounts()
    /// Cost of the priced part, in pico-dollars (exact); see ``costMicros``.
    public var costPico: Int64 = 0
    /// Models it used that have no price: their tokens are counted, their cost is unknown.
    public var unpricedModels: [String] = []

    /// Cost in micro-dollars.
    public var costMicros: Int64 { Money.micros(fromPico: costPico) }
    /// The reference other queries take.
    public var reference: SessionReference { SessionReference(rowId: rowId, agent: agent, sessionId: sessionId) }

    /// Milliseconds from the first to the last line.
    public var durationMs: Int64? {
        guard let startedAt, let endedAt else { return nil }
        return endedAt - startedAt
    }
}

/// Which sessions to list.
public struct SessionQuery: Sendable {
    /// Time (the session overlaps it), agents and project.
    public var filter: UsageFilter
    /// Model, tool, file, errors and cost.
    public var criteria: SessionCriteria
    /// At most this many sessions, newest first; `nil` lists them all.
    public var limit: Int?
    /// Prices for the cost column and the cost bounds.
    public var prices: PriceTable
    /// Only sessions after this one in the listing's order (older, or the same start and an
    /// earlier row): the next page.
    public var after: SessionCursor?

    /// A query for sessions matching `filter` and `criteria`, priced with `prices`.
    public init(filter: UsageFilter = UsageFilter(), criteria: SessionCriteria = SessionCriteria(), limit: Int? = nil,
                prices: PriceTable = .builtIn, after: SessionCursor? = nil) {
        self.filter = filter
        self.criteria = criteria
        self.limit = limit
        self.prices = prices
        self.after = after
    }
}

/// A place in the sessions listing (newest first): the next page starts after it. Its text form
/// (`1764600000123.42`, or `n.42` for a session without a start) is what the API hands out.
public struct SessionCursor: Sendable, Equatable {
    /// The session's start, ms since 1970 (nil sorts last).
    public var startedAt: Int64?
    /// Its row id, which breaks ties.
    public var rowId: Int64

    /// The cursor after `session`.
    public init(after session: SessionSummary) {
        startedAt = session.startedAt
        rowId = session.rowId
    }

    /// The cursor `text` writes, or nil when it is not one.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let rowId = Int64(parts[1]), rowId >= 0 else { return nil }
        if parts[0] == "n" {
            startedAt = nil
        } else {
            guard let start = Int64(parts[0]) else { return nil }
            startedAt = start
        }
        self.rowId = rowId
    }

    /// The text form.
    public var text: String { "\(startedAt.map(String.init) ?? "n").\(rowId)" }
}

/// A session found by id or id prefix.
public struct SessionReference: Sendable, Equatable {
    /// The session's row id in the store.
    public var rowId: Int64
    /// The agent that ran it: `claude`, `codex` or `gemini`.
    public var agent: String
    /// The agent's own id for the session.
    public var sessionId: String

    /// A reference to the session with these ids.
    public init(rowId: Int64, agent: String, sessionId: String) {
        self.rowId = rowId
        self.agent = agent
        self.sessionId = sessionId
    }
}

extension AgentLogStore {
    static let titleSQL = "COALESCE(s.title, s.summary, s.first_prompt)"

    /// Sessions, newest first, with message counts, tokens and cost.
    public func sessions(_ query: SessionQuery) throws(StoreError) -> [SessionSummary] {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let since = query.filter.since {
            conditions.append("COALESCE(s.ended_at, s.started_at) >= ?")
            arguments.append(since)
        }
        if let until = query.filter.until {
            conditions.append("s.started_at < ?")
            arguments.append(until)
        }
        if !query.filter.agents.isEmpty {
            conditions.append("s.agent IN (\(query.filter.agents.map { _ in "?" }.joined(separator: ",")))")
            arguments += query.filter.agents.map { $0 as any DatabaseValueConvertible }
        }
        if let project = query.filter.project {
            conditions.append("(instr(p.path, ?) > 0 OR instr(p.name, ?) > 0 OR instr(s.cwd, ?) > 0)")
            arguments += [project, project, project]
        }
        if let rowIds = query.filter.sessionRowIds {
            conditions.append("s.id IN (\(rowIds.map(String.init).joined(separator: ",")))")
        }
        if let cursor = query.after {
            // The listing's order is started_at DESC (NULL last), then id DESC.
            if let start = cursor.startedAt {
                conditions.append("(s.started_at < ? OR (s.started_at = ? AND s.id < ?) OR s.started_at IS NULL)")
                arguments += [start, start, cursor.rowId]
            } else {
                conditions.append("(s.started_at IS NULL AND s.id < ?)")
                arguments.append(cursor.rowId)
            }
        }
        let (criteria, criteriaArguments) = query.criteria.sql()
        conditions += criteria
        arguments += criteriaArguments
        // Cost bounds need every candidate's cost before the limit is applied.
        let sqlLimit = query.criteria.boundsCost ? nil : query.limit
        let sql = """
            SELECT s.id, s.session_id, s.agent, COALESCE(p.path, s.cwd) AS project, s.started_at, s.ended_at,
                   \(Self.titleSQL) AS title, s.git_branch,
                   (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS messages,
                   (SELECT COUNT(*) FROM subagents a WHERE a.session_id = s.id) AS subagents,
                   (SELECT COUNT(*) FROM tool_calls t WHERE t.session_id = s.id) AS tool_calls
            FROM sessions s LEFT JOIN projects p ON p.id = s.project_id
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY s.started_at DESC, s.id DESC
            \(sqlLimit.map { "LIMIT \($0)" } ?? "")
            """
        var sessions: [SessionSummary] = try read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                SessionSummary(rowId: row["id"], sessionId: row["session_id"], agent: row["agent"], project: row["project"],
                               startedAt: row["started_at"], endedAt: row["ended_at"], messages: row["messages"],
                               title: row["title"], gitBranch: row["git_branch"], subagents: row["subagents"],
                               toolCalls: row["tool_calls"])
            }
        }
        guard !sessions.isEmpty else { return [] }
        var filter = UsageFilter()
        filter.sessionRowIds = sqlLimit == nil && conditions.isEmpty ? nil : sessions.map(\.rowId)
        let report = try usageReport(ReportOptions(kind: .session, filter: filter, prices: query.prices))
        let byId = Dictionary(report.rows.map { ($0.key + "\u{0}" + ($0.agent ?? ""), $0) }, uniquingKeysWith: { a, _ in a })
        for index in sessions.indices {
            guard let row = byId[sessions[index].sessionId + "\u{0}"] else { continue }
            sessions[index].tokens = row.tokens
            sessions[index].costPico = row.costPico
            sessions[index].unpricedModels = row.unpricedModels
        }
        if query.criteria.boundsCost {
            sessions = sessions.filter { query.criteria.admits(costMicros: $0.costMicros) }
            if let limit = query.limit { sessions = Array(sessions.prefix(limit)) }
        }
        return sessions
    }

    /// Session id, project, title and start for session row ids.
    public func sessionDetails(rowIds: [Int64]) throws(StoreError) -> [Int64: (sessionId: String, project: String?, title: String?, startedAt: Int64?)] {
        guard !rowIds.isEmpty else { return [:] }
        return try read { db in
            var details: [Int64: (String, String?, String?, Int64?)] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT s.id, s.session_id, COALESCE(p.path, s.cwd), \(Self.titleSQL), s.started_at
                FROM sessions s LEFT JOIN projects p ON p.id = s.project_id
                """)
            let wanted = Set(rowIds)
            while let row = try rows.next() {
                let id: Int64 = row[0]
                if wanted.contains(id) { details[id] = (row[1], row[2], row[3], row[4]) }
            }
            return details
        }
    }

    /// How many sessions have usage rows under `filter`.
    func countSessionsWithUsage(_ filter: UsageFilter) throws(StoreError) -> Int {
        let (conditions, arguments) = filter.sql(time: "COALESCE(u.timestamp, 0)")
        let joins = conditions.isEmpty ? "" : "JOIN sessions s ON s.id = u.session_id LEFT JOIN projects p ON p.id = s.project_id"
        let sql = "SELECT COUNT(DISTINCT u.session_id) FROM usage u \(joins) \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))"
        return try read { try Int.fetchOne($0, sql: sql, arguments: StatementArguments(arguments)) ?? 0 }
    }

    /// Finds a session by its full id or an unambiguous prefix of it.
    public func resolveSession(_ text: String) throws(StoreError) -> SessionReference {
        let matches: [SessionReference] = try read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, agent, session_id FROM sessions WHERE session_id = ?1
                UNION ALL
                SELECT id, agent, session_id FROM sessions WHERE instr(session_id, ?1) = 1 AND session_id <> ?1
                LIMIT 50
                """, arguments: [text]).map { SessionReference(rowId: $0[0], agent: $0[1], sessionId: $0[2]) }
        }
        if let exact = matches.first(where: { $0.sessionId == text }) { return exact }
        guard let first = matches.first else { throw StoreError.notFound(what: "session matching '\(text)'") }
        guard matches.count == 1 else {
            throw StoreError.ambiguous(what: "Session id prefix '\(text)'", candidates: matches.map(\.sessionId))
        }
        return first
    }
}
