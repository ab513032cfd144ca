import GRDBSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the hook handler, with the file or step at fault.
public struct HookError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A minimal SQLite connection over the C API, for the hook executable: it must start and
/// finish in a few milliseconds, and GRDB (like Foundation) costs more than that to load. The
/// schema is created and migrated by `AgentLogStore`; this only writes rows into it.
final class SQLiteConnection {
    let handle: OpaquePointer
    let path: String

    /// Opens an existing database for writing; waits at most `busyMilliseconds` for a lock.
    init(path: String, busyMilliseconds: Int32) throws(HookError) {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "code \(code)"
            if let handle { sqlite3_close_v2(handle) }
            throw HookError("cannot open \(path): \(message)")
        }
        self.handle = handle
        self.path = path
        sqlite3_busy_timeout(handle, busyMilliseconds)
        try execute("PRAGMA foreign_keys = ON")
        try execute("PRAGMA synchronous = NORMAL")
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String) throws(HookError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "code \(code)"
            sqlite3_free(message)
            throw HookError("\(path): \(text)")
        }
    }

    func prepare(_ sql: String) throws(HookError) -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw HookError("\(path): \(String(cString: sqlite3_errmsg(handle))) in \(sql.prefix(60))")
        }
        return SQLiteStatement(handle: statement, connection: self)
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction, committed when it returns.
    func transaction<T>(_ body: () throws(HookError) -> T) throws(HookError) -> T {
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

    /// Whether the migration named `name` has been applied (GRDB's `grdb_migrations` table).
    func hasMigration(_ name: String) -> Bool {
        guard let statement = try? prepare("SELECT 1 FROM grdb_migrations WHERE identifier = ?") else { return false }
        statement.bind(1, name)
        return (try? statement.step()) == true
    }

    var changes: Int { Int(sqlite3_changes(handle)) }
    var lastInsertRowId: Int64 { sqlite3_last_insert_rowid(handle) }
}

/// A prepared statement; finalized when released.
final class SQLiteStatement {
    let handle: OpaquePointer
    let connection: SQLiteConnection

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { utf8 in
            let text = UnsafeRawPointer(utf8.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
            _ = sqlite3_bind_text(handle, index, text, Int32(utf8.count), Self.transient)
        }
    }

    func bind(_ index: Int32, bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            let text = UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
            _ = sqlite3_bind_text(handle, index, text, Int32(buffer.count), Self.transient)
        }
    }

    /// Binds `values` to the parameters 1, 2, … in order.
    func bind(_ values: [HookValue]) {
        for (index, value) in values.enumerated() {
            switch value {
            case .int(let number): bind(Int32(index + 1), number)
            case .text(let text): bind(Int32(index + 1), text)
            }
        }
    }

    /// Steps once: true when a row is there to read.
    @discardableResult
    func step() throws(HookError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw HookError("\(connection.path): \(String(cString: sqlite3_errmsg(connection.handle)))")
        }
    }

    /// Steps to the end and resets, for statements that return nothing.
    func run() throws(HookError) {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    func reset() { sqlite3_reset(handle) }

    func int64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }
}
