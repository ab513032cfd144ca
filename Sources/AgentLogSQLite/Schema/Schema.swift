/// The versioned schema of an agentlog database, as SQL: the one description of it that the
/// store (through GRDB's migrator) and the hook executable (through ``SQLiteConnection``) both
/// apply. Migrations are only ever appended; a database that has one this build does not know
/// is refused.
public enum Schema {
    /// One migration: its name, as recorded in the ledger, and its SQL.
    public struct Migration: Sendable, Equatable {
        /// The name the ledger records (`v1`, `v2-search`, …).
        public let name: String
        /// The statements that make it, run in one transaction.
        public let sql: String
    }

    /// Every migration, in order.
    public static let migrations: [Migration] = [
        Migration(name: "v1", sql: v1),
        Migration(name: "v2-search", sql: v2Search),
        Migration(name: "v3-hooks", sql: v3Hooks),
        Migration(name: "v4-library", sql: v4Library),
        Migration(name: "v5-server", sql: v5Server),
        Migration(name: "v6-coordination", sql: v6Coordination),
        Migration(name: "v7-session-rollup", sql: v7SessionRollup),
        Migration(name: "v8-passwords", sql: v8Passwords),
        Migration(name: "v9-limits", sql: v9Limits),
        Migration(name: "v10-telemetry", sql: v10Telemetry),
        Migration(name: "v11-machines", sql: v11Machines),
        Migration(name: "v12-redaction", sql: v12Redaction),
    ]

    /// The table that records which migrations a database has: GRDB's `DatabaseMigrator`
    /// keeps it (one row per applied migration name), and the hook reads and writes it the
    /// same way, so either can create a database the other opens.
    public static let ledgerTable = "grdb_migrations"

    /// The SQL that creates ``ledgerTable``, as GRDB's migrator does.
    public static let createLedger = "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)"

    /// The prompt sizes (input + cache writes + cache reads) past which a request is in the
    /// next long-context tier: `usage_rollup.tier` (and `session_usage_rollup.tier`) is how
    /// many of them a request is over (200K is Anthropic's long-context line, 272K OpenAI's). Frozen with ``v1`` and
    /// ``v7SessionRollup``, whose delete triggers compute the same tier.
    public static let longContextThresholds = [200_000, 272_000]
}
