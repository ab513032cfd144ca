extension Schema {
    /// What `agentlog serve` keeps: API tokens (only their SHA-256), users, device pairings,
    /// workspaces, per-client dashboard layouts and the server's own log.
    ///
    /// Frozen: a migration's SQL never changes once released (a change is a new migration).
    public static let v5Server = """
        -- Credentials for the API and the dashboard. The token itself is shown once, when it is
        -- made; only its SHA-256 is kept. kind: api (agentlog auth token create), device (from a
        -- pairing), login (a browser's session, with an expiry).
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,          -- hex SHA-256 of the token
            hint TEXT NOT NULL,                 -- the token's first characters, to tell tokens apart
            kind TEXT NOT NULL,
            user TEXT NOT NULL DEFAULT '',
            created_at INTEGER NOT NULL,        -- ms since 1970
            expires_at INTEGER,
            last_used_at INTEGER,
            revoked_at INTEGER
        );

        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- A device asking to be let in: it shows user_code, the user approves it with
        -- `agentlog auth approve CODE`, and the device, polling with its device code, gets a token.
        CREATE TABLE pairings (
            id INTEGER PRIMARY KEY,
            device_hash TEXT NOT NULL UNIQUE,   -- hex SHA-256 of the device code
            user_code TEXT NOT NULL UNIQUE,
            device_name TEXT NOT NULL,
            address TEXT,                       -- where the request came from
            status TEXT NOT NULL,               -- pending | approved | denied | issued
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            decided_at INTEGER,
            token_id INTEGER REFERENCES api_tokens(id) ON DELETE SET NULL
        );

        -- A folder the user works in; its status is derived from runs and sessions under it.
        CREATE TABLE workspaces (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            path TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );

        -- A dashboard client's tiles (client id from the browser, tile name, JSON).
        CREATE TABLE layouts (
            client_id TEXT NOT NULL,
            tile TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (client_id, tile)
        ) WITHOUT ROWID;

        -- What the server did: pairings, refusals, syncs, errors (`agentlog logs`).
        CREATE TABLE app_log (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            level TEXT NOT NULL,                -- debug | info | warning | error
            component TEXT NOT NULL,
            message TEXT NOT NULL,
            data TEXT                           -- JSON
        );
        CREATE INDEX app_log_at ON app_log(at);
        """
}
