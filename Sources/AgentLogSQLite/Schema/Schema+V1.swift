extension Schema {
    /// Projects, sessions, messages, usage (with its rollup per 15-minute slot, agent, model and
    /// long-context tier), tool calls, subagents, files touched, source files, the raw archive and
    /// rejected lines: what syncing transcripts needs.
    ///
    /// Frozen: a migration's SQL never changes once released (a change is a new migration).
    public static let v1 = """
        CREATE TABLE projects (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,          -- the working directory
            name TEXT NOT NULL,                 -- its last path component
            created_at INTEGER NOT NULL         -- ms since 1970
        );

        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            agent TEXT NOT NULL,                -- claude | codex | gemini
            session_id TEXT NOT NULL,           -- the agent's own id, from inside the lines
            project_id INTEGER REFERENCES projects(id) ON DELETE SET NULL,
            cwd TEXT,
            git_branch TEXT,
            version TEXT,                       -- the agent's version
            title TEXT,                         -- custom-title / ai-title line
            title_is_custom INTEGER NOT NULL DEFAULT 0,
            summary TEXT,                       -- older `summary` line whose leaf is in the session
            first_prompt TEXT,
            first_prompt_at INTEGER,
            started_at INTEGER,                 -- earliest line, ms since 1970
            ended_at INTEGER,                   -- latest line
            UNIQUE (agent, session_id)
        );
        CREATE INDEX sessions_started_at ON sessions(started_at);
        CREATE INDEX sessions_project ON sessions(project_id);

        CREATE TABLE source_files (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            root TEXT NOT NULL,                 -- the folder it was found under
            agent TEXT NOT NULL,
            kind TEXT NOT NULL,                 -- transcript | meta
            device INTEGER,
            inode INTEGER,
            size INTEGER NOT NULL DEFAULT 0,    -- size when last read
            mtime_ns INTEGER,
            offset INTEGER NOT NULL DEFAULT 0,  -- end of the last complete line read
            lines INTEGER NOT NULL DEFAULT 0,   -- complete lines read
            prefix_hash INTEGER,                -- FNV-1a of the first bytes, to detect replacement
            generation INTEGER NOT NULL DEFAULT 0, -- bumped when the file was replaced or shrank
            tail BLOB,                          -- compressed bytes after `offset` (a partial line)
            tail_codec TEXT,
            tail_length INTEGER NOT NULL DEFAULT 0,
            first_seen_at INTEGER NOT NULL,
            synced_at INTEGER,
            missing_since INTEGER               -- set when the file disappeared from disk
        );

        CREATE TABLE archive_chunks (
            id INTEGER PRIMARY KEY,
            file_id INTEGER NOT NULL REFERENCES source_files(id) ON DELETE CASCADE,
            generation INTEGER NOT NULL,
            offset INTEGER NOT NULL,            -- where the raw bytes start in the file
            raw_length INTEGER NOT NULL,
            codec TEXT NOT NULL,                -- zstd | zlib
            data BLOB NOT NULL,
            UNIQUE (file_id, generation, offset)
        );

        CREATE TABLE session_files (
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            file_id INTEGER NOT NULL REFERENCES source_files(id) ON DELETE CASCADE,
            PRIMARY KEY (session_id, file_id)
        ) WITHOUT ROWID;
        CREATE INDEX session_files_file ON session_files(file_id);

        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            uuid TEXT NOT NULL,
            parent_uuid TEXT,
            role TEXT NOT NULL,                 -- user | assistant | system
            subtype TEXT,                       -- system lines: compact_boundary, …
            timestamp INTEGER,
            is_sidechain INTEGER NOT NULL DEFAULT 0,
            agent_id TEXT,                      -- the subagent that wrote it
            is_meta INTEGER NOT NULL DEFAULT 0,
            is_compact_summary INTEGER NOT NULL DEFAULT 0,
            is_prompt INTEGER NOT NULL DEFAULT 0,
            is_error INTEGER NOT NULL DEFAULT 0,
            model TEXT,
            text TEXT,                          -- cut to a preview limit; whole in the archive
            text_length INTEGER NOT NULL DEFAULT 0,
            thinking TEXT,
            compact_trigger TEXT,               -- compact_boundary: manual | auto
            compact_pre_tokens INTEGER,         -- compact_boundary: context size before
            file_id INTEGER REFERENCES source_files(id) ON DELETE SET NULL,
            line INTEGER,
            UNIQUE (session_id, uuid)
        );
        CREATE INDEX messages_uuid ON messages(uuid);

        CREATE TABLE usage (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            message_id TEXT NOT NULL,           -- '' when the line had none
            request_id TEXT NOT NULL,
            model TEXT NOT NULL,
            timestamp INTEGER,                  -- earliest line of the response
            agent_id TEXT,
            input_tokens INTEGER NOT NULL,      -- excluding cache
            output_tokens INTEGER NOT NULL,
            cache_creation_tokens INTEGER NOT NULL,
            cache_creation_1h_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            UNIQUE (message_id, request_id)
        );
        CREATE INDEX usage_timestamp ON usage(timestamp);
        CREATE INDEX usage_session ON usage(session_id);

        -- Usage summed by 15-minute slot, agent, model and long-context tier (prompts over 200K,
        -- over 272K), kept current by every write of usage (see BatchWriter and the delete
        -- trigger), so that period and model reports read a few thousand rows instead of
        -- every response.
        CREATE TABLE usage_rollup (
            slot INTEGER NOT NULL,              -- timestamp / 900000
            agent TEXT NOT NULL,
            model TEXT NOT NULL,
            tier INTEGER NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cache_creation_tokens INTEGER NOT NULL,
            cache_creation_1h_tokens INTEGER NOT NULL,
            cache_read_tokens INTEGER NOT NULL,
            responses INTEGER NOT NULL,
            PRIMARY KEY (slot, agent, model, tier)
        ) WITHOUT ROWID;
        CREATE TRIGGER usage_rollup_delete AFTER DELETE ON usage BEGIN
            UPDATE usage_rollup SET
                input_tokens = input_tokens - OLD.input_tokens,
                output_tokens = output_tokens - OLD.output_tokens,
                cache_creation_tokens = cache_creation_tokens - OLD.cache_creation_tokens,
                cache_creation_1h_tokens = cache_creation_1h_tokens - OLD.cache_creation_1h_tokens,
                cache_read_tokens = cache_read_tokens - OLD.cache_read_tokens,
                responses = responses - 1
            WHERE slot = COALESCE(OLD.timestamp, 0) / 900000 AND model = OLD.model AND tier = (((OLD.input_tokens + OLD.cache_creation_tokens + OLD.cache_read_tokens) > 200000) + ((OLD.input_tokens + OLD.cache_creation_tokens + OLD.cache_read_tokens) > 272000))
              AND agent = (SELECT agent FROM sessions WHERE id = OLD.session_id);

        END;
        -- A session's usage goes before the session, so the trigger above still finds its agent.
        CREATE TRIGGER sessions_delete_usage BEFORE DELETE ON sessions BEGIN
            DELETE FROM usage WHERE session_id = OLD.id;
        END;

        CREATE TABLE tool_calls (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            tool_use_id TEXT NOT NULL,
            message_uuid TEXT,
            agent_id TEXT,
            name TEXT,
            input_preview TEXT,
            input_length INTEGER,
            subagent_type TEXT,                 -- Task/Agent calls: what they asked for
            subagent_description TEXT,
            file_path TEXT,
            output_preview TEXT,                -- the whole output lives only in the archive
            output_length INTEGER,
            is_error INTEGER,
            started_at INTEGER,
            ended_at INTEGER,
            UNIQUE (session_id, tool_use_id)
        );
        CREATE INDEX tool_calls_name ON tool_calls(name);

        CREATE TABLE subagents (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            agent_id TEXT NOT NULL,
            agent_type TEXT,
            description TEXT,
            parent_tool_use_id TEXT,            -- the Task/Agent call that spawned it, if known
            file_id INTEGER REFERENCES source_files(id) ON DELETE SET NULL,
            UNIQUE (session_id, agent_id)
        );

        CREATE TABLE files_touched (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            tool_use_id TEXT NOT NULL,
            path TEXT NOT NULL,
            operation TEXT NOT NULL,            -- read | write | edit | multi_edit | notebook_edit | delete
            agent_id TEXT,
            timestamp INTEGER,
            UNIQUE (session_id, tool_use_id, path)
        );
        CREATE INDEX files_touched_path ON files_touched(path);

        CREATE TABLE summaries (
            leaf_uuid TEXT PRIMARY KEY,
            summary TEXT NOT NULL,
            session_id INTEGER                  -- the session holding the leaf, once it is known
        ) WITHOUT ROWID;
        CREATE INDEX summaries_session ON summaries(session_id);

        CREATE TABLE rejected_lines (
            id INTEGER PRIMARY KEY,
            file_id INTEGER NOT NULL REFERENCES source_files(id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            byte_offset INTEGER NOT NULL,
            reason TEXT NOT NULL,
            seen_at INTEGER NOT NULL,
            UNIQUE (file_id, line)
        );
        """
}
