extension Schema {
    /// Usage summed by session as well: `usage_rollup` has no session, so reports grouped by
    /// session or project, or filtered by project or sessions, summed every response (80 ms on
    /// a 1 GB history). This table keeps the same sums per session, 15-minute slot, model and
    /// long-context tier, kept current by the same writes (BatchWriter's rollup delta and the
    /// delete trigger here), and starts from the usage already stored.
    ///
    /// Frozen: a migration's SQL never changes once released (a change is a new migration).
    public static let v7SessionRollup = """
        CREATE TABLE session_usage_rollup (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            slot INTEGER NOT NULL,              -- timestamp / 900000
            model TEXT NOT NULL,
            tier INTEGER NOT NULL,              -- as usage_rollup.tier
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_creation_tokens INTEGER NOT NULL,
            cache_creation_1h_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            responses INTEGER NOT NULL,
            PRIMARY KEY (session_id, slot, model, tier)
        ) WITHOUT ROWID;
        CREATE TRIGGER session_usage_rollup_delete AFTER DELETE ON usage BEGIN
            UPDATE session_usage_rollup SET
                input_tokens = input_tokens - OLD.input_tokens,
                output_tokens = output_tokens - OLD.output_tokens,
                cache_creation_tokens = cache_creation_tokens - OLD.cache_creation_tokens,
                cache_creation_1h_tokens = cache_creation_1h_tokens - OLD.cache_creation_1h_tokens,
                cache_read_tokens = cache_read_tokens - OLD.cache_read_tokens,
                responses = responses - 1
            WHERE session_id = OLD.session_id AND slot = COALESCE(OLD.timestamp, 0) / 900000 AND model = OLD.model
              AND tier = (((OLD.input_tokens + OLD.cache_creation_tokens + OLD.cache_read_tokens) > 200000) + ((OLD.input_tokens + OLD.cache_creation_tokens + OLD.cache_read_tokens) > 272000));
        END;
        INSERT INTO session_usage_rollup (session_id, slot, model, tier, input_tokens, output_tokens, cache_creation_tokens,
                                          cache_creation_1h_tokens, cache_read_tokens, responses)
            SELECT session_id, COALESCE(timestamp, 0) / 900000, model,
                   ((input_tokens + cache_creation_tokens + cache_read_tokens) > 200000) + ((input_tokens + cache_creation_tokens + cache_read_tokens) > 272000),
                   SUM(input_tokens), SUM(output_tokens), SUM(cache_creation_tokens), SUM(cache_creation_1h_tokens),
                   SUM(cache_read_tokens), COUNT(*)
            FROM usage GROUP BY 1, 2, 3, 4;
        """
}
