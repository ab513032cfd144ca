import GRDB

extension Schema {
    /// The tokenizer of the prose indexes: words, stemmed (`running` finds `run`).
    static let proseTokenizer = "porter unicode61 remove_diacritics 2"
    /// The tokenizer of the code indexes: `_ . - /` belong to tokens, so `snake_case_name`,
    /// `foo.bar`, `-Werror` and `src/app/main.swift` are single tokens.
    static let codeTokenizer = "unicode61 remove_diacritics 0 tokenchars '_.-/'"

    /// The full-text search indexes (FTS5, external content: the text stays in `messages` and
    /// `tool_calls`, the indexes hold only tokens). Rows are indexed after the sync that wrote
    /// them, up to `search_progress.indexed_through` per source (see
    /// `AgentLogStore.updateSearchIndex`), so a sync pays nothing for search; triggers keep
    /// rows already indexed current when they change or go.
    static func createSearchIndex(_ db: Database) throws {
        var sql = """
            CREATE TABLE search_progress (
                source TEXT PRIMARY KEY,            -- messages | tool_calls
                indexed_through INTEGER NOT NULL    -- rows with a larger id are not indexed yet
            );
            INSERT INTO search_progress (source, indexed_through) VALUES ('messages', 0), ('tool_calls', 0);

            """
        let sources: [(table: String, columns: [String])] = [
            ("messages", ["text", "thinking"]),
            ("tool_calls", ["name", "input_preview", "output_preview"]),
        ]
        for source in sources {
            let columns = source.columns.joined(separator: ", ")
            let old = source.columns.map { "OLD.\($0)" }.joined(separator: ", ")
            let new = source.columns.map { "NEW.\($0)" }.joined(separator: ", ")
            let indexed = "(SELECT indexed_through FROM search_progress WHERE source = '\(source.table)')"
            for (suffix, tokenizer) in [("prose", proseTokenizer), ("code", codeTokenizer)] {
                let index = "\(source.table)_\(suffix)"
                sql += """
                    CREATE VIRTUAL TABLE \(index) USING fts5(\(columns), content='\(source.table)', content_rowid='id',
                                                              tokenize="\(tokenizer)");
                    CREATE TRIGGER \(index)_delete AFTER DELETE ON \(source.table) WHEN OLD.id <= \(indexed) BEGIN
                        INSERT INTO \(index) (\(index), rowid, \(columns)) VALUES ('delete', OLD.id, \(old));
                    END;
                    CREATE TRIGGER \(index)_update AFTER UPDATE OF \(columns) ON \(source.table) WHEN OLD.id <= \(indexed) BEGIN
                        INSERT INTO \(index) (\(index), rowid, \(columns)) VALUES ('delete', OLD.id, \(old));
                        INSERT INTO \(index) (rowid, \(columns)) VALUES (NEW.id, \(new));
                    END;

                    """
            }
        }
        try db.execute(sql: sql)
    }
}
