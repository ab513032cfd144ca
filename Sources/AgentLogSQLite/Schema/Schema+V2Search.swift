extension Schema {
    /// The full-text search indexes (FTS5, external content: the text stays in `messages` and
    /// `tool_calls`, the indexes hold only tokens): a prose index (``proseTokenizer``) and a code
    /// index (``codeTokenizer``) per source. Rows are indexed after the sync that wrote them, up
    /// to `search_progress.indexed_through` per source, so a sync pays nothing for search;
    /// triggers keep rows already indexed current when they change or go.
    ///
    /// Frozen: a migration's SQL never changes once released (a change is a new migration).
    public static let v2Search = """
        CREATE TABLE search_progress (
            source TEXT PRIMARY KEY,            -- messages | tool_calls
            indexed_through INTEGER NOT NULL    -- rows with a larger id are not indexed yet
        );
        INSERT INTO search_progress (source, indexed_through) VALUES ('messages', 0), ('tool_calls', 0);

        CREATE VIRTUAL TABLE messages_prose USING fts5(text, thinking, content='messages', content_rowid='id',
                                                  tokenize="porter unicode61 remove_diacritics 2");
        CREATE TRIGGER messages_prose_delete AFTER DELETE ON messages WHEN OLD.id <= (SELECT indexed_through FROM search_progress WHERE source = 'messages') BEGIN
            INSERT INTO messages_prose (messages_prose, rowid, text, thinking) VALUES ('delete', OLD.id, OLD.text, OLD.thinking);
        END;
        CREATE TRIGGER messages_prose_update AFTER UPDATE OF text, thinking ON messages WHEN OLD.id <= (SELECT indexed_through FROM search_progress WHERE source = 'messages') BEGIN
            INSERT INTO messages_prose (messages_prose, rowid, text, thinking) VALUES ('delete', OLD.id, OLD.text, OLD.thinking);
            INSERT INTO messages_prose (rowid, text, thinking) VALUES (NEW.id, NEW.text, NEW.thinking);
        END;

        CREATE VIRTUAL TABLE messages_code USING fts5(text, thinking, content='messages', content_rowid='id',
                                                  tokenize="unicode61 remove_diacritics 0 tokenchars '_.-/'");
        CREATE TRIGGER messages_code_delete AFTER DELETE ON messages WHEN OLD.id <= (SELECT indexed_through FROM search_progress WHERE source = 'messages') BEGIN
            INSERT INTO messages_code (messages_code, rowid, text, thinking) VALUES ('delete', OLD.id, OLD.text, OLD.thinking);
        END;
        CREATE TRIGGER messages_code_update AFTER UPDATE OF text, thinking ON messages WHEN OLD.id <= (SELECT indexed_through FROM search_progress WHERE source = 'messages') BEGIN
            INSERT INTO messages_code (messages_code, rowid, text, thinking) VALUES ('delete', OLD.id, OLD.text, OLD.thinking);
            INSERT INTO messages_code (rowid, text, thinking) VALUES (NEW.id, NEW.text, NEW.thinking);
        END;

        CREATE VIRTUAL TABLE tool_calls_prose USING fts5(name, input_preview, output_preview, content='tool_calls', content_rowid='id',
                                                  tokenize="porter unicode61 remove_diacritics 2");
        CREATE TRIGGER tool_calls_prose_delete AFTER DELETE ON tool_calls WHEN OLD.id <= (SELECT indexed_through FROM search_progress WHERE source = 'tool_calls') BEGIN
            INSERT INTO tool_calls_prose (tool_calls_prose, rowid, name, input_preview, output_preview) VALUES ('delete', OLD.id, OLD.name, OLD.input_preview, OLD.output_preview);
        END;
        CREATE TRIGGER tool_calls_prose_update AFTER UPDATE OF name, input_preview, output_preview ON tool_calls WHEN OLD.id <= (SELECT indexed_through FROM search_progress WHERE source = 'tool_calls') BEGIN
            INSERT INTO tool_calls_prose (tool_calls_prose, rowid, name, input_preview, output_preview) VALUES ('delete', OLD.id, OLD.name, OLD.input_preview, OLD.output_preview);
            INSERT INTO tool_calls_prose (rowid, name, input_preview, output_preview) VALUES (NEW.id, NEW.name, NEW.input_preview, NEW.output_preview);
        END;

        CREATE VIRTUAL TABLE tool_calls_code USING fts5(name, input_preview, output_preview, content='tool_calls', content_rowid='id',
                                                  tokenize="unicode61 remove_diacritics 0 tokenchars '_.-/'");
        CREATE TRIGGER tool_calls_code_delete AFTER DELETE ON tool_calls WHEN OLD.id <= (SELECT indexed_through FROM search_progress WHERE source = 'tool_calls') BEGIN
            INSERT INTO tool_calls_code (tool_calls_code, rowid, name, input_preview, output_preview) VALUES ('delete', OLD.id, OLD.name, OLD.input_preview, OLD.output_preview);
        END;
        CREATE TRIGGER tool_calls_code_update AFTER UPDATE OF name, input_preview, output_preview ON tool_calls WHEN OLD.id <= (SELECT indexed_through FROM search_progress WHERE source = 'tool_calls') BEGIN
            INSERT INTO tool_calls_code (tool_calls_code, rowid, name, input_preview, output_preview) VALUES ('delete', OLD.id, OLD.name, OLD.input_preview, OLD.output_preview);
            INSERT INTO tool_calls_code (rowid, name, input_preview, output_preview) VALUES (NEW.id, NEW.name, NEW.input_preview, NEW.output_preview);
        END;
        """
}
