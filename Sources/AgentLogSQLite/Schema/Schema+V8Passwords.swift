extension Schema {
    /// A password for each user of `agentlog serve` (`agentlog auth user add`), so a browser on
    /// another machine can sign in: its bcrypt hash (cost, salt and key in one string), never
    /// the password. A sign-in is an `api_tokens` row of kind `login` with an expiry.
    ///
    /// Frozen: a migration's SQL never changes once released (a change is a new migration).
    public static let v8Passwords = """
        -- bcrypt's '$2b$COST$SALTKEY' (60 characters); '' for no password.
        ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
        """
}
