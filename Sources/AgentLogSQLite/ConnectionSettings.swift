/// How every connection to an agentlog database is set up, by GRDB in the store or by
/// ``SQLiteConnection`` in the hook: one list, so that no process runs with other rules.
public enum ConnectionSettings {
    /// How long a connection waits for another process's lock, in milliseconds.
    public static let busyTimeoutMilliseconds: Int32 = 5_000

    /// WAL pages after which a committing writer copies the log into the database itself
    /// (SQLite's `wal_autocheckpoint`). Long writers (a sync, an app) also checkpoint from a
    /// thread of their own (the store's `BackgroundCheckpoint`) and raise this as a backstop.
    public static let autoCheckpointPages = 4096

    /// The page size of new database files made by the CLI and the hook: 16 kB pages suit
    /// bulk syncs of transcripts (fewer, shallower B-tree pages, fewer overflow pages for
    /// archive chunks).
    public static let syncPageSize = 16_384

    /// The page size of new database files an app makes through the library: 4 kB, since an
    /// app writes many small transactions and each writes every page it touches whole into the
    /// WAL (an append costs half as much as with 16 kB pages).
    public static let appPageSize = 4_096

    /// The pragmas every connection runs when it opens (foreign keys are on too: GRDB's
    /// configuration turns them on in the store, ``SQLiteConnection`` here).
    public static let pragmas = [
        "PRAGMA foreign_keys = ON",
        "PRAGMA synchronous = NORMAL",
        "PRAGMA wal_autocheckpoint = \(autoCheckpointPages)",
    ]
}
