/// Statements that more than one writer runs — the hook (through ``SQLiteConnection``), the
/// sync's writer and the app library (through GRDB) — written once.
public enum SharedStatements {
    /// Appends an event to its session's log with the next `seq` (1, 2, … per session, assigned
    /// inside the insert, so two writers in their own transactions never share one). Bind with
    /// ``bindEvent(_:session:channel:type:timestamp:payload:payloadHash:toolUseId:agentId:)``;
    /// returns `id, seq`.
    public static let insertEvent = """
        INSERT INTO events (session_id, seq, channel, type, timestamp, payload, payload_hash, tool_use_id, agent_id)
        VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE session_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        RETURNING id, seq
        """

    /// Binds the parameters of ``insertEvent``. `payload` is the JSON as UTF-8 bytes;
    /// `payloadHash` its FNV-1a hash (duplicate deliveries are found by it).
    public static func bindEvent(_ statement: RawStatement, session: String, channel: String, type: String, timestamp: Int64,
                                 payload: [UInt8], payloadHash: UInt64, toolUseId: String? = nil, agentId: String? = nil) {
        statement.bind(1, session)
        statement.bind(2, channel)
        statement.bind(3, type)
        statement.bind(4, timestamp)
        statement.bind(5, utf8: payload)
        statement.bind(6, Int64(bitPattern: payloadHash))
        statement.bind(7, toolUseId)
        statement.bind(8, agentId)
    }

    /// The project of a directory, created when it is new (`?1` the directory, `?2` its name,
    /// see ``projectName(ofDirectory:)``, `?3` now in ms since 1970); returns its id. The sync's
    /// writer runs it for every session's working directory; the app library's upsert, which
    /// also sets a default command and prompt, gives new projects the same name.
    public static let ensureProject = """
        INSERT INTO projects (path, name, created_at) VALUES (?1, ?2, ?3)
        ON CONFLICT (path) DO UPDATE SET path = excluded.path RETURNING id
        """

    /// The name a new project gets: the last component of its directory (either separator, so
    /// a Windows path from a transcript works too), or the directory itself.
    public static func projectName(ofDirectory directory: String) -> String {
        directory.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? directory
    }

    /// The claims on one file that hold against an agent: every other agent's claim that was
    /// announced and has not expired, or was made by writing within the window while its agent
    /// still runs; never one of an agent known to have stopped. The hook's `--guard-claims`,
    /// MCP's `check_claims` and `claim_files` ask this one question.
    ///
    /// `?1` the file's path, `?2` the asking agent's session, `?3` its agent id ('' for a main
    /// agent), `?4` now, `?5` the start of the window for written claims (ms since 1970).
    /// Columns: session, agent id, agent type ('' when unknown), path, project, tool, last
    /// write or claim, expiry (NULL for a written claim), intent.
    public static let claimsHoldingFile = """
        SELECT c.session_id, c.agent_id, COALESCE(a.agent_type, ''), c.path, c.project, c.tool, c.last_at, c.expires_at, c.intent
        FROM file_claims c LEFT JOIN agents a ON a.session_id = c.session_id AND a.agent_id = c.agent_id
        WHERE c.path = ?1 AND NOT (c.session_id = ?2 AND c.agent_id = ?3)
          AND COALESCE(a.status, 'running') = 'running'
          AND (c.expires_at > ?4 OR (c.expires_at IS NULL AND a.status = 'running' AND c.last_at >= ?5))
        ORDER BY c.last_at DESC LIMIT 20
        """

    /// Stores one rate-limit reading unless the window's latest reading (of any session) says the
    /// same (the statusline runs every few seconds; Codex repeats its limits on every turn).
    /// `?1` agent, `?2` window, `?3` observed at (ms), `?4` used percent, `?5` window minutes
    /// (or NULL), `?6` resets at (ms, or NULL), `?7` the agent's session id, `?8` source
    /// (`statusline`, `transcript`). The statusline and the sync's writer both run it.
    public static let insertRateLimitSample = """
        INSERT OR IGNORE INTO rate_limit_samples (agent, window, observed_at, used_percent, window_minutes, resets_at, session_id, source)
        SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
        WHERE NOT EXISTS (
            SELECT 1 FROM (SELECT used_percent, resets_at FROM rate_limit_samples
                           WHERE agent = ?1 AND window = ?2 AND observed_at <= ?3 ORDER BY observed_at DESC LIMIT 1) latest
            WHERE latest.used_percent = ?4 AND latest.resets_at IS ?6)
        """

    /// Binds the parameters of ``insertRateLimitSample``.
    public static func bindRateLimitSample(_ statement: RawStatement, agent: String, window: String, observedAt: Int64, usedPercent: Double,
                                           windowMinutes: Int?, resetsAt: Int64?, sessionId: String, source: String) {
        statement.bind(1, agent)
        statement.bind(2, window)
        statement.bind(3, observedAt)
        statement.bind(4, usedPercent)
        statement.bind(5, windowMinutes)
        statement.bind(6, resetsAt)
        statement.bind(7, sessionId)
        statement.bind(8, source)
    }
}
