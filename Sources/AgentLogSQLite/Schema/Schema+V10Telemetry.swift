extension Schema {
    /// Claude Code's own telemetry, received by `agentlog serve --otlp`, and the index that joins
    /// it to transcript usage.
    ///
    /// - `telemetry_requests`: one row per `claude_code.api_request` event (a model call), with
    ///   the tokens and cost Claude Code counted. `key` recognises an event sent twice (the
    ///   request id, or session, sequence and time). Costs are pico-dollars, as reports sum them.
    /// - `telemetry_errors`: one row per `claude_code.api_error` event.
    /// - `telemetry_metric_points`: data points of `claude_code.cost.usage` and
    ///   `claude_code.token.usage`, as sent (`temporality` 1 delta, 2 cumulative).
    ///   `usage_id` is the transcript's usage row of the same call (same request id): set when
    ///   the event is stored if the transcript is synced already, else by `usage_links_telemetry`
    ///   when the sync stores that row; cleared if the row goes.
    /// - `usage_request_id`: transcript usage by API request id, which telemetry carries too;
    ///   `usage_without_request_id`: the sessions with responses that have none (telemetry's
    ///   calls cannot be matched there).
    ///
    /// Frozen: a migration's SQL never changes once released (a change is a new migration).
    public static let v10Telemetry = """
        CREATE TABLE telemetry_requests (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            request_id TEXT NOT NULL DEFAULT '',  -- req_…, as the transcript's requestId
            session_id TEXT NOT NULL DEFAULT '',  -- Claude Code's session id
            prompt_id TEXT,
            model TEXT NOT NULL,
            timestamp INTEGER NOT NULL,           -- ms since 1970
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
            cache_read_tokens INTEGER NOT NULL DEFAULT 0,
            cost_pico INTEGER,                    -- Claude Code's cost_usd × 10^12, when sent
            duration_ms INTEGER,
            query_source TEXT,
            received_at INTEGER NOT NULL,
            usage_id INTEGER REFERENCES usage(id) ON DELETE SET NULL
        );
        CREATE INDEX telemetry_requests_time ON telemetry_requests(timestamp);
        CREATE INDEX telemetry_requests_request ON telemetry_requests(request_id);
        CREATE INDEX telemetry_requests_session ON telemetry_requests(session_id);
        CREATE INDEX telemetry_requests_usage ON telemetry_requests(usage_id);

        CREATE TABLE telemetry_errors (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            request_id TEXT NOT NULL DEFAULT '',
            session_id TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            timestamp INTEGER NOT NULL,
            message TEXT NOT NULL DEFAULT '',
            status_code INTEGER,
            duration_ms INTEGER,
            attempt INTEGER,
            received_at INTEGER NOT NULL
        );
        CREATE INDEX telemetry_errors_time ON telemetry_errors(timestamp);

        CREATE TABLE telemetry_metric_points (
            id INTEGER PRIMARY KEY,
            metric TEXT NOT NULL,                 -- claude_code.cost.usage | claude_code.token.usage
            unit TEXT NOT NULL DEFAULT '',
            session_id TEXT NOT NULL DEFAULT '',
            model TEXT NOT NULL DEFAULT '',
            type TEXT NOT NULL DEFAULT '',        -- input | output | cacheRead | cacheCreation (tokens)
            temporality INTEGER NOT NULL,         -- 0 unspecified, 1 delta, 2 cumulative
            start_ns INTEGER NOT NULL,
            time_ns INTEGER NOT NULL,
            value REAL NOT NULL,
            received_at INTEGER NOT NULL,
            UNIQUE (metric, session_id, model, type, start_ns, time_ns)
        );

        CREATE INDEX usage_request_id ON usage(request_id) WHERE request_id <> '';
        CREATE INDEX usage_without_request_id ON usage(session_id) WHERE request_id = '';
        CREATE TRIGGER usage_links_telemetry AFTER INSERT ON usage WHEN NEW.request_id <> '' BEGIN
            UPDATE telemetry_requests SET usage_id = NEW.id WHERE request_id = NEW.request_id AND usage_id IS NULL;
        END;
        """
}
