import CSQLiteConfig
import GRDBSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A SQLite connection over the C API alone, for processes that must start and finish in a
/// few milliseconds (the hook executable): GRDB, like Foundation, costs more than that to load.
/// It is configured as every agentlog connection is (WAL, `synchronous=NORMAL`, foreign keys,
/// a busy timeout) and keeps the statements it prepared until it closes.
///
/// ```swift
/// let db = try SQLiteConnection(path: path, busyMilliseconds: 1_000, create: true)
/// try db.createSchemaIfNew()
/// let insert = try db.statement("INSERT INTO settings (category, user, value, updated_at) VALUES (?, '', '{}', 0)")
/// insert.bind(1, "ui")
/// try insert.run()
/// ```
public final class SQLiteConnection {
    /// The `sqlite3` handle.
    public let handle: OpaquePointer
    /// The database file.
    public let path: String
    private var statements: [String: OpaquePointer] = [:]

    /// Opens the database at `path` for writing, waiting at most `busyMilliseconds` for another
    /// process's lock. With `create`, a missing file is created (mode 0600: transcripts and
    /// payloads hold secrets, and SQLite gives the -wal and -shm files the same mode); without
    /// it, a missing file is an error.
    public init(path: String, busyMilliseconds: Int32, create: Bool = false) throws(SQLiteError) {
        if create {
            let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw SQLiteError(code: SQLITE_CANTOPEN, message: "cannot create \(path): \(Self.errnoText())")
            }
            close(descriptor)
        }
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { SQLiteError.message($0) } ?? "code \(code)"
            if let handle { sqlite3_close_v2(handle) }
            throw SQLiteError(code: code, message: "cannot open \(path): \(message)")
        }
        self.handle = handle
        self.path = path
        sqlite3_busy_timeout(handle, busyMilliseconds)
        do {
            for pragma in ConnectionSettings.pragmas { try execute(pragma) }
        } catch {
            sqlite3_close_v2(handle)
            throw error
        }
    }

    /// Leaves the write-ahead log as it is when this connection closes, even as the last one: a
    /// process that lives a few milliseconds (the statusline) should not spend them on a
    /// checkpoint and its fsyncs. The log is still checkpointed by every writer past
    /// ``ConnectionSettings/autoCheckpointPages`` and by the store's own policy.
    public func keepLogOnClose() {
        _ = agentlog_sqlite_no_checkpoint_on_close(handle)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return nothing.
    public func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) } ?? "code \(code)"
            sqlite3_free(message)
            throw SQLiteError(code: code, message: text, sql: String(sql.prefix(200)))
        }
    }

    /// The statement for `sql`, prepared on first use and kept (reset) for the next.
    public func statement(_ sql: String) throws(SQLiteError) -> RawStatement {
        if let cached = statements[sql] {
            sqlite3_reset(cached)
            return RawStatement(handle: cached, connection: handle)
        }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else {
            throw SQLiteError(code: sqlite3_errcode(handle), message: SQLiteError.message(handle), sql: String(sql.prefix(200)))
        }
        statements[sql] = statement
        return RawStatement(handle: statement, connection: handle)
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction, committed when it returns and rolled
    /// back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Rows the last statement changed.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last insert.
    public var lastInsertRowId: Int64 { sqlite3_last_insert_rowid(handle) }

    static func errnoText() -> String {
        guard let text = strerror(errno) else { return "error \(errno)" }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: strlen(text)), as: UTF8.self).lowercased()
    }
}
