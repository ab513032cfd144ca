import GRDBSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SQLiteStatements {
    /// The migrations this database has (none for a new, empty file).
    public func appliedMigrations() throws(SQLiteError) -> Set<String> {
        let exists = try statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '\(Schema.ledgerTable)'")
        guard try exists.step() else { return [] }
        exists.reset()
        var names: Set<String> = []
        let applied = try statement("SELECT identifier FROM \(Schema.ledgerTable)")
        defer { applied.reset() }
        while try applied.step() { if let name = applied.text(0) { names.insert(name) } }
        return names
    }
}

extension SQLiteConnection {
    /// Makes a brand-new, empty database file an agentlog store: WAL mode, ``ConnectionSettings/syncPageSize``
    /// pages, every migration and its ledger row, in one transaction. A file that already holds
    /// tables is left alone (`false`): the store migrates existing histories itself, backing
    /// them up first. Safe against other processes doing the same at the same moment: SQLite
    /// answers "database is locked" at once, without waiting, to a connection that switches a
    /// new file to WAL while another does, so a busy attempt is tried again every 5 ms for up
    /// to `waitMilliseconds` (by then the other process has usually made the schema).
    @discardableResult
    public func createSchemaIfNew(waitMilliseconds: Int32 = ConnectionSettings.busyTimeoutMilliseconds) throws(SQLiteError) -> Bool {
        // The wait is measured on the clock: an attempt may itself wait in the busy handler.
        func milliseconds() -> Int64 {
            var spec = timespec()
            clock_gettime(CLOCK_MONOTONIC, &spec)
            return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
        }
        let deadline = milliseconds() + Int64(waitMilliseconds)
        while true {
            do {
                return try createSchemaOnce()
            } catch where error.code & 0xFF == SQLITE_BUSY && milliseconds() < deadline {
                sqlite3_sleep(5)
            }
        }
    }

    private func createSchemaOnce() throws(SQLiteError) -> Bool {
        guard try isEmpty() else { return false }
        try execute("PRAGMA page_size = \(ConnectionSettings.syncPageSize)")
        try execute("PRAGMA journal_mode = WAL")
        do {
            return try transaction {
                // Another process may have created it since the look above.
                guard try isEmpty() else { return false }
                try execute(Schema.createLedger)
                for migration in Schema.migrations {
                    try execute(migration.sql)
                    let record = try statement("INSERT INTO \(Schema.ledgerTable) (identifier) VALUES (?)")
                    record.bind(1, migration.name)
                    try record.run()
                }
                return true
            }
        } catch let error as SQLiteError {
            throw error
        } catch {
            throw SQLiteError(code: SQLITE_ERROR, message: "\(error)")
        }
    }

    /// Whether the database has no tables at all.
    private func isEmpty() throws(SQLiteError) -> Bool {
        let any = try statement("SELECT 1 FROM sqlite_master LIMIT 1")
        defer { any.reset() }
        return try !any.step()
    }
}
