extension Schema {
    /// What the statusline and the agents' own rate-limit readings keep, and the user's budgets.
    ///
    /// - `rate_limit_samples`: a rate-limit window's reading over time, from Claude Code's
    ///   statusline payload (`rate_limits.five_hour` and `seven_day`) and Codex's `token_count`
    ///   events (`rate_limits.primary` and `secondary`). A reading is written when it changes.
    /// - `statusline_sessions`: the latest statusline payload of each Claude Code session.
    /// - `budgets`: spending limits per day, week or month (`agentlog budget set`), for all usage
    ///   or one project folder or agent.
    ///
    /// Frozen: a migration's SQL never changes once released (a change is a new migration).
    public static let v9Limits = """
        CREATE TABLE rate_limit_samples (
            id INTEGER PRIMARY KEY,
            agent TEXT NOT NULL,                -- claude | codex
            window TEXT NOT NULL,               -- five_hour | seven_day (Claude); primary | secondary (Codex)
            observed_at INTEGER NOT NULL,       -- ms since 1970
            used_percent REAL NOT NULL,
            window_minutes INTEGER,             -- the window's length where known (300, 10080)
            resets_at INTEGER,                  -- ms since 1970, where known
            session_id TEXT NOT NULL DEFAULT '',-- the agent's own session id
            source TEXT NOT NULL,               -- statusline | transcript
            UNIQUE (agent, window, observed_at, session_id)
        );
        CREATE INDEX rate_limit_samples_window ON rate_limit_samples(agent, window, observed_at);

        CREATE TABLE statusline_sessions (
            session_id TEXT PRIMARY KEY,        -- Claude Code's session id
            observed_at INTEGER NOT NULL,       -- ms since 1970
            model TEXT NOT NULL DEFAULT '',
            cwd TEXT NOT NULL DEFAULT '',
            cost_micros INTEGER,                -- cost.total_cost_usd, as Claude Code computes it
            context_used_percent REAL,
            context_window_size INTEGER,
            payload TEXT NOT NULL               -- the payload as received (at most 64 KB)
        ) WITHOUT ROWID;

        CREATE TABLE budgets (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL CHECK (period IN ('daily', 'weekly', 'monthly')),
            amount_micros INTEGER NOT NULL CHECK (amount_micros > 0),
            project TEXT NOT NULL DEFAULT '',   -- a project folder (it and the folders under it); '' for all
            agent TEXT NOT NULL DEFAULT '',     -- claude | codex | gemini; '' for all
            created_at INTEGER NOT NULL,
            UNIQUE (period, project, agent)
        );
        """
}
