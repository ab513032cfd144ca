import AgentLogDatabase
import Foundation
import GRDB

/// What ``AgentLogStore/searchIndexProblems(sample:)`` found.
public struct SearchIndexCheck: Sendable {
    /// How many indexed rows were looked up by a word of their own text.
    public var rowsProbed = 0
    /// One sentence per problem.
    public var problems: [String] = []
}

extension AgentLogStore {
    /// The search indexes, the rows each covers and the columns it holds.
    static let searchIndexes: [(source: String, index: String, columns: [String])] = [
        ("messages", "messages_prose", ["text", "thinking"]), ("messages", "messages_code", ["text", "thinking"]),
        ("tool_calls", "tool_calls_prose", ["name", "input_preview", "output_preview"]),
        ("tool_calls", "tool_calls_code", ["name", "input_preview", "output_preview"]),
    ]

    /// Checks the full-text indexes three ways: FTS5's own `integrity-check` (the index is
    /// internally sound), the number of rows each holds against the rows it should cover (the
    /// rows up to `search_progress.indexed_through`; later rows are indexed lazily, so they are
    /// not damage), and, for up to `sample` random indexed rows of each index, that a word of the
    /// row's own text finds the row. The integrity check reads the whole index inside a write
    /// transaction, so writers wait for it (seconds on a large history).
    /// A database not migrated as far as the search indexes (a migration cut short: the next
    /// open finishes it) has none to check.
    public func searchIndexProblems(sample: Int = 200) throws(StoreError) -> SearchIndexCheck {
        var check = SearchIndexCheck()
        guard try read({ db in try db.tableExists("search_progress") }) else { return check }
        for (_, index, _) in Self.searchIndexes {
            do {
                try write { db in try db.execute(sql: "INSERT INTO \(index) (\(index)) VALUES ('integrity-check')") }
            } catch {
                check.problems.append("The search index \(index) is damaged (\(error)); rebuild it with `agentlog db reindex`.")
            }
        }
        try read { db in
            for (source, index, columns) in Self.searchIndexes {
                let through = try Int64.fetchOne(db, sql: "SELECT indexed_through FROM search_progress WHERE source = ?",
                                                 arguments: [source]) ?? 0
                let expected = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(source) WHERE id <= ?", arguments: [through]) ?? 0
                let held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(index)_docsize") ?? 0
                if held != expected {
                    check.problems.append("The search index \(index) holds \(held) rows where \(expected) \(source) rows are indexed; rebuild it with `agentlog db reindex`.")
                }
                let rows = try Row.fetchAll(db, sql: """
                    SELECT id, \(columns.joined(separator: ", ")) FROM \(source)
                    WHERE id IN (SELECT id FROM \(source) WHERE id <= ? ORDER BY random() LIMIT ?)
                    """, arguments: [through, max(0, sample)])
                for row in rows {
                    let id: Int64 = row[0]
                    let text = (1...columns.count).compactMap { row[$0] as String? }.joined(separator: " ")
                    guard let word = Self.probeWord(in: text, codeTokens: index.hasSuffix("_code")) else { continue }
                    check.rowsProbed += 1
                    let found = try Int64.fetchOne(db, sql: "SELECT rowid FROM \(index) WHERE \(index) MATCH ? AND rowid = ?",
                                                   arguments: ["\"\(word)\"", id])
                    if found == nil {
                        check.problems.append("The search index \(index) does not find \(source) row \(id) by its word '\(word)'; rebuild it with `agentlog db reindex`.")
                    }
                }
            }
        }
        return check
    }

    /// Builds every search index again from the rows (FTS5's `rebuild`) and marks every row
    /// indexed, in one transaction; returns how many rows the indexes now cover.
    @discardableResult
    public func rebuildSearchIndexes() throws(StoreError) -> Int {
        try write { db in
            var rows = 0
            for source in ["messages", "tool_calls"] {
                let through = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM \(source)") ?? 0
                // The progress mark moves first: the index's triggers then cover every row.
                try db.execute(sql: "UPDATE search_progress SET indexed_through = ? WHERE source = ?", arguments: [through, source])
                rows += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(source)") ?? 0
            }
            for (_, index, _) in Self.searchIndexes {
                try db.execute(sql: "INSERT INTO \(index) (\(index)) VALUES ('rebuild')")
            }
            return rows
        }
    }

    /// A word of `text` that the index's tokenizer keeps whole, so a phrase query for it must
    /// find the row: ASCII letters and digits (and, for the code index, `_ . - /`), 3 to 40
    /// characters, bounded by ASCII separators on both sides.
    static func probeWord(in text: String, codeTokens: Bool) -> String? {
        let bytes = Array(text.utf8.prefix(4096))
        func isWordByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || (codeTokens && (byte == 0x5F || byte == 0x2E || byte == 0x2D || byte == 0x2F))
        }
        var start = 0
        while start < bytes.count {
            guard isWordByte(bytes[start]) else { start += 1; continue }
            var end = start
            while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
            // Non-ASCII bytes are token characters to unicode61: a word touching one is not whole.
            let touchesOther = (start > 0 && bytes[start - 1] >= 0x80) || (end < bytes.count && bytes[end] >= 0x80)
            if !touchesOther, end == bytes.count ? bytes.count < 4096 : true, (3...40).contains(end - start) {
                return String(decoding: bytes[start..<end], as: UTF8.self)
            }
            start = end
        }
        return nil
    }
}
