extension Schema {
    /// Machines, so that another machine's database can be merged in (`agentlog db import`).
    ///
    /// - `machines`: id 1 is this database's own machine, with a random uuid made when the
    ///   migration ran; the others are machines whose history was imported, by their uuid.
    /// - `machine_id` on every row of history a machine writes (sessions, messages, responses,
    ///   tool calls, subagents, files touched, source files, archive chunks, events, telemetry):
    ///   1 for what this machine recorded, the importing machine's id for what an import added.
    ///   The writers leave it at its default; only an import sets it. (Added columns with a
    ///   constant default cost nothing to add: SQLite rewrites no row.)
    ///
    /// Frozen: a migration's SQL never changes once released (a change is a new migration).
    public static let v11Machines = """
        CREATE TABLE machines (
            id INTEGER PRIMARY KEY,             -- 1: this database's own machine
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL DEFAULT '',      -- its host name, when known
            imported_from TEXT,                 -- the file its history last came from
            imported_at INTEGER                 -- when, ms since 1970
        );
        INSERT INTO machines (id, uuid) VALUES (1, lower(hex(randomblob(16))));
        ALTER TABLE sessions ADD COLUMN machine_id INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE messages ADD COLUMN machine_id INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE usage ADD COLUMN machine_id INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE tool_calls ADD COLUMN machine_id INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE subagents ADD COLUMN machine_id INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE files_touched ADD COLUMN machine_id INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE source_files ADD COLUMN machine_id INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE archive_chunks ADD COLUMN machine_id INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE events ADD COLUMN machine_id INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE telemetry_requests ADD COLUMN machine_id INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE telemetry_errors ADD COLUMN machine_id INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE telemetry_metric_points ADD COLUMN machine_id INTEGER NOT NULL DEFAULT 1;
        """
}
