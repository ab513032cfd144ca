extension Schema {
    /// Claims an agent announces before it edits (MCP `claim_files`): a claim made by writing
    /// a file (the hook's `PostToolUse`) holds while its agent runs and wrote recently; an
    /// announced one holds until `expires_at`, until it is released, or until its agent stops.
    /// And an index for the newest edits.
    ///
    /// Frozen: a migration's SQL never changes once released (a change is a new migration).
    public static let v6Coordination = """
        -- Until when an announced claim holds, ms since 1970; NULL for a claim made by writing.
        -- Releasing a claim sets it to the moment of release.
        ALTER TABLE file_claims ADD COLUMN expires_at INTEGER;
        -- What the agent said it is about to do (claim_files' intent).
        ALTER TABLE file_claims ADD COLUMN intent TEXT;
        -- recent_edits: the newest changes first, without sorting every file touched.
        CREATE INDEX files_touched_time ON files_touched(timestamp);
        """
}
