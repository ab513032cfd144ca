extension Schema {
    /// Secrets kept out of what is searchable (`AgentLogRedaction`):
    ///
    /// - `redactions`: one row per secret masked before it was stored (or by `agentlog db
    ///   redact`): its kind, where it was (`messages.text`, `tool_calls.input_preview`,
    ///   `events.payload`, …), the session and item, and a hint that does not show it.
    /// - `store_options`: options of this database; `redact` is `on` for a database made new
    ///   with this migration and `off` for one that already held history (its text stays as it
    ///   was until `agentlog db redact` masks it and turns the option on).
    ///
    /// Frozen: a migration's SQL never changes once released (a change is a new migration).
    public static let v12Redaction = """
        CREATE TABLE redactions (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,                 -- anthropic-key, github-token, url-password, …
            location TEXT NOT NULL,             -- table.column
            agent_session TEXT NOT NULL DEFAULT '', -- the agent's session id
            item TEXT NOT NULL DEFAULT '',      -- message uuid, tool_use_id or event id
            position INTEGER NOT NULL DEFAULT 0, -- where it started in the text (UTF-8 bytes)
            hint TEXT NOT NULL,                 -- a public prefix and the length, never the secret
            found_at INTEGER NOT NULL,
            UNIQUE (location, agent_session, item, position, kind)
        );
        CREATE INDEX redactions_session ON redactions(agent_session);
        CREATE TABLE store_options (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO store_options (name, value)
            SELECT 'redact', CASE WHEN EXISTS (SELECT 1 FROM sessions) OR EXISTS (SELECT 1 FROM events) THEN 'off' ELSE 'on' END;
        """
}
