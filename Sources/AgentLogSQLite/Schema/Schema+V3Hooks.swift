extension Schema {
    /// The event log and what hooks keep current: agents, file claims, tool errors, metrics,
    /// context snapshots, failed paths and verdicts. Written by the hook executable through
    /// SQLite's C API (`AgentLogHooks`, with the statements in ``SharedStatements`` and its own).
    ///
    /// Sessions are named by the agent's own session id (`session_id` in every hook payload),
    /// which is `sessions.session_id` once a sync has read the transcript; tool calls join
    /// `tool_calls.tool_use_id` the same way: one record, two sources.
    ///
    /// Frozen: a migration's SQL never changes once released (a change is a new migration).
    public static let v3Hooks = """
        -- Every event of a session, in the order it was stored: seq is 1, 2, … per session.
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            channel TEXT NOT NULL,              -- hook, or an app's own channel
            type TEXT NOT NULL,                 -- the hook event name: PreToolUse, Stop, …
            timestamp INTEGER NOT NULL,         -- when it was received, ms since 1970
            payload TEXT NOT NULL,              -- as received
            payload_hash INTEGER NOT NULL,      -- FNV-1a of the payload bytes: duplicate delivery
            tool_use_id TEXT,
            agent_id TEXT,                      -- the subagent the event is about
            UNIQUE (session_id, seq)
        );
        CREATE INDEX events_duplicates ON events(session_id, payload_hash);
        CREATE INDEX events_timestamp ON events(timestamp);

        -- One row per run of the hook handler: what it did and how long it took.
        CREATE TABLE hook_runs (
            id INTEGER PRIMARY KEY,
            event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,
            event TEXT NOT NULL,
            session_id TEXT,
            summary TEXT,                       -- tool and file, or the start of a prompt
            received_at INTEGER NOT NULL,
            duration_us INTEGER NOT NULL,
            exit_code INTEGER NOT NULL,
            outcome TEXT NOT NULL               -- stored | duplicate | replayed
        );
        CREATE INDEX hook_runs_received ON hook_runs(received_at);

        -- The main agent ('' as agent_id) and each subagent of a hooked session.
        CREATE TABLE agents (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            agent_type TEXT,
            project TEXT,                       -- the working directory
            status TEXT NOT NULL,               -- running | completed | failed | aborted_stale
            started_at INTEGER NOT NULL,
            ended_at INTEGER,
            last_event_at INTEGER NOT NULL,
            UNIQUE (session_id, agent_id)
        );
        CREATE INDEX agents_status ON agents(status, project);

        -- Which agent wrote which file (Write, Edit, MultiEdit, NotebookEdit).
        CREATE TABLE file_claims (
            session_id TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            path TEXT NOT NULL,
            project TEXT,
            tool TEXT NOT NULL,                 -- the last tool that wrote it
            first_at INTEGER NOT NULL,
            last_at INTEGER NOT NULL,
            writes INTEGER NOT NULL,
            PRIMARY KEY (session_id, agent_id, path)
        ) WITHOUT ROWID;
        CREATE INDEX file_claims_path ON file_claims(path, last_at);

        -- Failed tool calls, their attempt number per file and category, and what fixed them.
        CREATE TABLE tool_errors (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            agent_id TEXT NOT NULL,
            tool_use_id TEXT,
            tool TEXT,
            path TEXT NOT NULL,                 -- the file, or '' for a command
            category TEXT NOT NULL,             -- test | build | lint | type | runtime | permission | other
            attempt INTEGER NOT NULL,
            error TEXT,
            at INTEGER NOT NULL,
            resolved_at INTEGER,
            resolved_by TEXT                    -- the tool_use_id of the call that succeeded
        );
        CREATE INDEX tool_errors_open ON tool_errors(session_id, path, category, resolved_at);

        -- Counts and durations per session: `event:<name>` and `tool:<name>`.
        CREATE TABLE hook_metrics (
            session_id TEXT NOT NULL,
            name TEXT NOT NULL,
            count INTEGER NOT NULL,
            total_ms INTEGER NOT NULL,
            PRIMARY KEY (session_id, name)
        ) WITHOUT ROWID;

        -- What an agent should know after a compaction: taken at PreCompact and SessionEnd.
        CREATE TABLE context_snapshots (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            trigger TEXT NOT NULL,              -- PreCompact:auto, PreCompact:manual, SessionEnd
            created_at INTEGER NOT NULL,
            content TEXT NOT NULL               -- JSON: last prompt, claims, open errors, failed paths
        );
        CREATE INDEX context_snapshots_session ON context_snapshots(session_id, created_at);

        -- Approaches that did not work, noted by the agent or the user (`agentlog note`).
        CREATE TABLE failed_paths (
            id INTEGER PRIMARY KEY,
            session_id TEXT,
            project TEXT,
            approach TEXT NOT NULL,
            reason TEXT NOT NULL,
            file TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX failed_paths_project ON failed_paths(project, created_at);

        -- Decisions a model made in a hook payload (decision allow/block, reason).
        CREATE TABLE verdicts (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            session_id TEXT NOT NULL,
            decision TEXT NOT NULL,
            reason TEXT,
            at INTEGER NOT NULL
        );
        """
}
