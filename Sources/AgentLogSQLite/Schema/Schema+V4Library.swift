extension Schema {
    /// What apps that drive agents keep through the library, and `agentlog run`: projects with
    /// their default command and prompt, runs (with what crash detection needs), completed jobs
    /// with their tool calls, subagents and files, daily metrics, app sessions (rows of
    /// `sessions` and `messages`, kind `app`) and settings.
    ///
    /// Frozen: a migration's SQL never changes once released (a change is a new migration).
    public static let v4Library = """
        ALTER TABLE projects ADD COLUMN default_command TEXT;   -- JSON array: the command and its arguments
        ALTER TABLE projects ADD COLUMN default_prompt TEXT;
        ALTER TABLE projects ADD COLUMN last_run_at INTEGER;    -- ms since 1970
        CREATE INDEX projects_last_run ON projects(last_run_at);

        -- A process started for a project: by `agentlog run`, or by an app through the library.
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            name TEXT,
            pid INTEGER,                        -- the process that does the work
            pid_start TEXT,                     -- its start token: tells a reused pid from it
            wrapper_pid INTEGER,                -- agentlog run's own process, while it waits
            wrapper_start TEXT,
            host TEXT NOT NULL,
            args TEXT NOT NULL,                 -- JSON array
            status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'crashed')),
            exit_code INTEGER,
            started_at INTEGER NOT NULL,
            ended_at INTEGER
        );
        CREATE INDEX runs_status ON runs(status, host);
        CREATE INDEX runs_project ON runs(project_id, started_at);
        CREATE INDEX runs_pid ON runs(pid, host);

        -- A job an app completed, recorded whole in one transaction.
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
            run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
            session_id TEXT,                    -- the app session it belongs to, if any
            prompt TEXT NOT NULL,
            original_prompt TEXT,               -- the prompt it was reused from
            reuse_count INTEGER NOT NULL DEFAULT 0,
            summary TEXT,
            model TEXT,
            effort TEXT,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
            cache_read_tokens INTEGER NOT NULL DEFAULT 0,
            context_window INTEGER,
            cost_micros INTEGER NOT NULL DEFAULT 0,
            tool_call_count INTEGER NOT NULL DEFAULT 0,
            failed_tool_calls INTEGER NOT NULL DEFAULT 0,
            primary_tool TEXT,
            user_messages INTEGER NOT NULL DEFAULT 0,
            assistant_messages INTEGER NOT NULL DEFAULT 0,
            started_at INTEGER,
            completed_at INTEGER NOT NULL
        );
        CREATE INDEX jobs_completed ON jobs(completed_at);
        CREATE INDEX jobs_project ON jobs(project_id, completed_at);

        CREATE TABLE job_tool_calls (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,               -- 1, 2, … in the order they were made
            name TEXT NOT NULL,
            input TEXT,
            output TEXT,
            is_error INTEGER NOT NULL DEFAULT 0,
            duration_ms INTEGER,
            file_path TEXT,
            UNIQUE (job_id, seq)
        );
        CREATE INDEX job_tool_calls_name ON job_tool_calls(name COLLATE NOCASE, job_id);

        CREATE TABLE job_subagents (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            agent_type TEXT NOT NULL,
            description TEXT,
            status TEXT,
            tool_calls INTEGER NOT NULL DEFAULT 0,
            total_tokens INTEGER NOT NULL DEFAULT 0,
            duration_ms INTEGER
        );
        CREATE INDEX job_subagents_job ON job_subagents(job_id);

        CREATE TABLE job_files (
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            path TEXT NOT NULL CHECK (length(path) > 0),
            position INTEGER NOT NULL,          -- the order the app gave
            PRIMARY KEY (job_id, path)
        ) WITHOUT ROWID;
        CREATE INDEX job_files_path ON job_files(path);

        -- Jobs summed per UTC day and project ('' for none), kept by every job recorded.
        CREATE TABLE daily_metrics (
            day TEXT NOT NULL,                  -- YYYY-MM-DD, UTC
            project TEXT NOT NULL DEFAULT '',   -- the project's directory
            jobs INTEGER NOT NULL DEFAULT 0,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
            cache_read_tokens INTEGER NOT NULL DEFAULT 0,
            cost_micros INTEGER NOT NULL DEFAULT 0,
            tool_calls INTEGER NOT NULL DEFAULT 0,
            failed_tool_calls INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (day, project)
        ) WITHOUT ROWID;

        -- App sessions are rows of `sessions` (kind 'app') whose messages are keyed by their
        -- position: messages.uuid is the zero-padded session row id and seq, so the (session_id, uuid) index
        -- keeps them in order, gives the last and first seq in O(log n), and a session loads
        -- and trims without a sort. An append writes the message row and its index entries
        -- only (sessions.ended_at follows to the minute), because with 16 kB pages every page
        -- a small transaction touches costs more than its SQL.
        ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'transcript';  -- transcript | app
        ALTER TABLE messages ADD COLUMN metadata TEXT;           -- app messages: JSON of the app's own
        CREATE INDEX sessions_session_id ON sessions(session_id);

        -- Settings by category ('' user: the app's own) and preferences per user, as JSON.
        CREATE TABLE settings (
            user TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL,
            value TEXT NOT NULL,                -- JSON
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (user, category)
        ) WITHOUT ROWID;
        """
}
