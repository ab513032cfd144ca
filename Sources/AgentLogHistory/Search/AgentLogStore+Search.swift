import AgentLogDatabase
import AgentLogIngest
import Foundation
import GRDB

/// What `agentlog search` looks for, and where.
public struct SearchQuery: Sendable {
    /// The text to find.
    public var expression: SearchExpression
    /// Time, agent and project bounds (on the message's or call's time).
    public var filter = UsageFilter()
    /// Also search thinking (reasoning) text.
    public var includeThinking = false
    /// What the sessions searched must have done: model, tool, file. Cost bounds need prices, so
    /// they are not applied here: pass the sessions within them (``AgentLogStore/sessions(_:)``)
    /// as ``sessionRowIds``.
    public var criteria = SessionCriteria()
    /// Only errors: failed tool calls, and messages marked as errors.
    public var errorsOnly = false
    /// Only these sessions.
    public var sessionRowIds: [Int64]?
    /// At most this many hits, best first.
    public var limit = 20

    /// A query for `expression` with no bounds and the default limit.
    public init(expression: SearchExpression) { self.expression = expression }
}

/// One search result.
public struct SearchHit: Sendable, Equatable {
    /// What matched: a message's text, a tool call, or a session's title.
    public enum Kind: String, Sendable { case message, toolCall = "tool_call", title }

    /// What the match is in.
    public var kind: Kind
    /// The session the match belongs to.
    public var session: SessionReference
    /// The message's uuid, or the tool call's id; nil for a title.
    public var item: String?
    /// When the message or call was made (for a title, when the session started), ms since 1970.
    public var timestamp: Int64?
    /// `user` (prompt), `assistant`, `system`, `tool`, or `title`.
    public var role: String
    /// Text around the match, matched terms between ``matchStart`` and ``matchEnd`` (control
    /// characters, unlikely in transcript text); see ``snippet(start:end:)``.
    public var snippet: String
    /// Higher is better (bm25, with prompts weighted above responses).
    public var score: Double
    /// The turn of the session it is in (as `show` numbers them: 1 from the first prompt, 0
    /// before it), once ``AgentLogStore/numberTurns(of:)`` has looked it up; nil otherwise.
    public var turn: Int? = nil

    /// The index and row the hit came from (its snippet is made once it is among the best).
    var source: (index: String, rowid: Int64)?

    /// Hits are equal when all their public fields are (the row they came from is ignored).
    public static func == (lhs: SearchHit, rhs: SearchHit) -> Bool {
        lhs.kind == rhs.kind && lhs.session == rhs.session && lhs.item == rhs.item && lhs.timestamp == rhs.timestamp
            && lhs.role == rhs.role && lhs.snippet == rhs.snippet && lhs.score == rhs.score
    }

    /// Marks where a matched term starts in ``snippet`` (U+0002).
    public static let matchStart = "\u{2}"
    /// Marks where a matched term ends in ``snippet`` (U+0003).
    public static let matchEnd = "\u{3}"

    /// The snippet with its matches between `start` and `end` (`[` `]`, or terminal colours).
    public func snippet(start: String, end: String) -> String {
        snippet.replacingOccurrences(of: Self.matchStart, with: start).replacingOccurrences(of: Self.matchEnd, with: end)
    }
}

extension AgentLogStore {
    /// How many rows one indexing transaction covers (a hook or sync waits at most for one).
    static let searchIndexBatch = 20_000

    /// Adds rows written since the last call to the search indexes, in short transactions;
    /// `progress` gets (rows done, rows to do). Returns the number of rows indexed.
    @discardableResult
    public func updateSearchIndex(progress: ((Int, Int) -> Void)? = nil) throws(StoreError) -> Int {
        let sources: [(table: String, columns: String)] = [
            ("messages", "text, thinking"), ("tool_calls", "name, input_preview, output_preview"),
        ]
        let pending = try read { db in
            try sources.map { source -> (from: Int64, to: Int64) in
                let from = try Int64.fetchOne(db, sql: "SELECT indexed_through FROM search_progress WHERE source = ?",
                                              arguments: [source.table]) ?? 0
                let to = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM \(source.table)") ?? 0
                return (from, max(from, to))
            }
        }
        let total = pending.reduce(0) { $0 + Int($1.to - $1.from) }
        guard total > 0 else { return 0 }
        var done = 0
        for (source, range) in zip(sources, pending) {
            var from = range.from
            while from < range.to {
                let to = min(range.to, from + Int64(Self.searchIndexBatch))
                try write { db in
                    // Re-read the mark inside the transaction: another process may have moved it.
                    let mark = try Int64.fetchOne(db, sql: "SELECT indexed_through FROM search_progress WHERE source = ?",
                                                  arguments: [source.table]) ?? 0
                    guard mark < to else { return }
                    for suffix in ["prose", "code"] {
                        try db.execute(sql: """
                            INSERT INTO \(source.table)_\(suffix) (rowid, \(source.columns))
                            SELECT id, \(source.columns) FROM \(source.table) WHERE id > ? AND id <= ?
                            """, arguments: [mark, to])
                    }
                    try db.execute(sql: "UPDATE search_progress SET indexed_through = ? WHERE source = ?", arguments: [to, source.table])
                }
                done += Int(to - from)
                from = to
                progress?(done, total)
            }
        }
        return total
    }

    /// Searches prompts, assistant text, tool calls (name, input and output previews), session
    /// titles and, when asked, thinking. Call ``updateSearchIndex(progress:)`` first.
    ///
    /// Each index yields at most ``searchCandidates`` matches, the most recent first, so a term
    /// found in most of a large history costs a bounded time; those are ranked by bm25 (prompts
    /// weighted 2×, tool calls 0.8×), ties broken by recency.
    public func search(_ query: SearchQuery) throws(StoreError) -> [SearchHit] {
        try read { db in
            var hits: [SearchHit] = []
            let match = query.expression.match
            for suffix in ["prose", "code"] {
                hits += try messageHits(db, index: "messages_\(suffix)", match: match, query: query)
                hits += try toolCallHits(db, index: "tool_calls_\(suffix)", match: match, query: query)
            }
            hits += try titleHits(db, query: query)
            // The same row found by both indexes: keep its best score.
            var best: [String: SearchHit] = [:]
            for hit in hits {
                let key = "\(hit.kind.rawValue)\u{0}\(hit.session.rowId)\u{0}\(hit.item ?? "")"
                if let kept = best[key], kept.score >= hit.score { continue }
                best[key] = hit
            }
            var top = best.values.sorted {
                $0.score != $1.score ? $0.score > $1.score : ($0.timestamp ?? 0) > ($1.timestamp ?? 0)
            }.prefix(query.limit).map { $0 }
            // Snippets read and tokenize the text again: only for the hits shown.
            for index in top.indices {
                guard let source = top[index].source else { continue }
                let snippet = try String.fetchOne(db, sql: """
                    SELECT snippet(\(source.index), -1, char(2), char(3), '…', 16) FROM \(source.index)
                    WHERE \(source.index) MATCH ? AND rowid = ?
                    """, arguments: [top[index].kind == .message ? Self.messageMatch(match, query) : match, source.rowid])
                top[index].snippet = (top[index].kind == .toolCall ? top[index].snippet : "") + Self.oneLine(snippet)
            }
            return top
        }
    }

    /// Matches each index contributes before ranking.
    public static let searchCandidates = 500

    private func sessionConditions(_ query: SearchQuery, time: String) -> (String, [any DatabaseValueConvertible]) {
        var filter = query.filter
        filter.sessionRowIds = query.sessionRowIds
        var (conditions, arguments) = filter.sql(time: time)
        var criteria = query.criteria
        criteria.hadErrors = false  // applied to each result by `errorsOnly`
        let (more, moreArguments) = criteria.sql()
        conditions += more
        arguments += moreArguments
        return (conditions.isEmpty ? "" : " AND " + conditions.joined(separator: " AND "), arguments)
    }

    /// What differs between searching messages and searching tool calls.
    private struct IndexedSource {
        var table: String
        /// The source row's time column, item id column and `bm25` column weights.
        var time: String, item: String, weights: String
        /// Extra columns the hit needs (`extra` in the result row).
        var extra: String
        var kind: SearchHit.Kind
    }

    private static let messageSource = IndexedSource(table: "messages", time: "timestamp", item: "uuid", weights: "1.0, 0.5",
                                                     extra: "r.role, r.is_prompt", kind: .message)
    private static let toolCallSource = IndexedSource(table: "tool_calls", time: "started_at", item: "tool_use_id",
                                                      weights: "2.0, 1.0, 0.5", extra: "r.name", kind: .toolCall)

    private func messageHits(_ db: Database, index: String, match: String, query: SearchQuery) throws -> [SearchHit] {
        try hits(db, index: index, source: Self.messageSource, match: Self.messageMatch(match, query), query: query) { hit, row in
            hit.role = row["role"]
            if row["is_prompt"] as Bool { hit.score *= 2.0 }
        }
    }

    /// Column filter: thinking only when asked.
    private static func messageMatch(_ match: String, _ query: SearchQuery) -> String {
        query.includeThinking ? match : "{text} : (\(match))"
    }

    private func toolCallHits(_ db: Database, index: String, match: String, query: SearchQuery) throws -> [SearchHit] {
        try hits(db, index: index, source: Self.toolCallSource, match: match, query: query) { hit, row in
            hit.role = "tool"
            hit.snippet = (row["name"] ?? "tool") + ": "  // the snippet follows
            hit.score *= 0.8
        }
    }

    /// The most recent ``searchCandidates`` matches of `index` that pass the query's filters,
    /// scored by bm25 (higher is better), then adjusted by `finish`.
    private func hits(_ db: Database, index: String, source: IndexedSource, match: String, query: SearchQuery,
                      finish: (inout SearchHit, Row) -> Void) throws -> [SearchHit] {
        let (conditions, arguments) = sessionConditions(query, time: "r.\(source.time)")
        let errors = query.errorsOnly ? " AND r.is_error = 1" : ""
        let rows = try Row.fetchAll(db, sql: """
            SELECT \(index).rowid AS rowid, r.\(source.item) AS item, r.\(source.time) AS time, \(source.extra),
                   s.id AS session_row, s.agent, s.session_id,
                   bm25(\(index), \(source.weights)) AS rank
            FROM \(index)
            JOIN \(source.table) r ON r.id = \(index).rowid
            JOIN sessions s ON s.id = r.session_id
            LEFT JOIN projects p ON p.id = s.project_id
            WHERE \(index) MATCH ?\(errors)\(conditions)
            ORDER BY \(index).rowid DESC LIMIT \(Self.searchCandidates)
            """, arguments: StatementArguments([match] + arguments))
        return rows.map { row in
            let rank: Double = row["rank"]
            var hit = SearchHit(kind: source.kind,
                                session: SessionReference(rowId: row["session_row"], agent: row["agent"], sessionId: row["session_id"]),
                                item: row["item"], timestamp: row["time"], role: "", snippet: "", score: -rank)
            hit.source = (index, row["rowid"])
            finish(&hit, row)
            return hit
        }
    }

    /// Session titles and summaries (a few thousand rows: matched here, word by word, as the
    /// indexes match).
    private func titleHits(_ db: Database, query: SearchQuery) throws -> [SearchHit] {
        guard !query.errorsOnly else { return [] }
        var (conditions, arguments) = sessionConditions(query, time: "s.started_at")
        let terms = query.expression.terms.map { (words: Self.words($0.text), isPrefix: $0.isPrefix) }
        // Titles that cannot match are left in SQL: each ASCII word must occur in the title,
        // in any case (a word of other letters is only checked below).
        for word in terms.flatMap(\.words) where word.allSatisfy(\.isASCII) {
            conditions += " AND instr(lower(COALESCE(s.title, s.summary)), ?) > 0"
            arguments.append(word)
        }
        let rows = try Row.fetchAll(db, sql: """
            SELECT s.id, s.agent, s.session_id, s.started_at, COALESCE(s.title, s.summary) AS title
            FROM sessions s LEFT JOIN projects p ON p.id = s.project_id
            WHERE COALESCE(s.title, s.summary) IS NOT NULL\(conditions)
            """, arguments: StatementArguments(arguments))
        return rows.compactMap { row in
            let title: String = row["title"]
            let words = Self.words(title)
            let matched = terms.allSatisfy { term in
                guard !term.words.isEmpty, term.words.count <= words.count else { return false }
                return (0...(words.count - term.words.count)).contains { start in
                    term.words.indices.allSatisfy { k in
                        let word = words[start + k]
                        return term.isPrefix && k == term.words.count - 1 ? word.hasPrefix(term.words[k]) : word == term.words[k]
                    }
                }
            }
            guard matched else { return nil }
            return SearchHit(kind: .title, session: SessionReference(rowId: row["id"], agent: row["agent"], sessionId: row["session_id"]),
                             item: nil, timestamp: row["started_at"], role: "title", snippet: Self.oneLine(title),
                             score: 10.0 * Double(terms.count))
        }
    }

    /// Lower-cased runs of letters and digits.
    private static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    private static func oneLine(_ text: String?) -> String {
        (text ?? "").split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

extension AgentLogStore {
    /// Looks up the turn each hit is in: the prompts of its session's main thread up to it.
    public func numberTurns(of hits: inout [SearchHit]) throws(StoreError) {
        let found = hits
        let turns: [Int?] = try read { db in
            try found.map { hit in
                guard let time = hit.timestamp, hit.kind != .title else { return nil }
                return try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM messages WHERE session_id = ? AND is_prompt = 1 AND is_sidechain = 0 AND agent_id IS NULL
                        AND timestamp <= ?
                    """, arguments: [hit.session.rowId, time])
            }
        }
        for index in hits.indices { hits[index].turn = turns[index] }
    }
}
