import Foundation
import GRDB
import GRDBSQLite

/// A prepared statement of the write path, bound and stepped with SQLite's C API directly.
///
/// A sync writes hundreds of thousands of rows; building a `StatementArguments` array of
/// existential values for each costs more than SQLite's own work for the row. The statement is
/// prepared (and kept alive) by GRDB's `Statement` in a ``StatementCache``; only binding and
/// stepping bypass it. Every parameter must be bound before each ``run()``.
struct RawStatement {
    let handle: OpaquePointer
    let connection: OpaquePointer
    let sql: StaticString

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int?) {
        bind(index, value.map(Int64.init))
    }

    func bind(_ index: Int32, _ value: Bool?) {
        bind(index, value.map { $0 ? Int64(1) : 0 })
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { utf8 in
            if let address = utf8.baseAddress, utf8.count > 0 {
                let text = UnsafeRawPointer(address).assumingMemoryBound(to: CChar.self)
                _ = sqlite3_bind_text(handle, index, text, Int32(utf8.count), Self.transient)
            } else {
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
        }
    }

    func bind(_ index: Int32, _ value: Data) {
        value.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), Self.transient)
        }
    }

    /// Steps the statement to its end and resets it; returns whether it changed a row (an
    /// `INSERT … DO NOTHING` that met its conflict changes none).
    @discardableResult
    func run() throws -> Bool {
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql.description)
        }
        return sqlite3_changes(connection) > 0
    }

    /// Rows the last ``run()`` changed.
    var changes: Int { Int(sqlite3_changes(connection)) }

    /// Steps once and returns the first column of the row as an integer (`RETURNING id`).
    func runReturningInt() throws -> Int64? {
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        switch code {
        case SQLITE_ROW: return sqlite3_column_type(handle, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, 0)
        case SQLITE_DONE: return nil
        default:
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql.description)
        }
    }
}

extension RawStatement {
    /// GRDB's cached statement for `sql` on this connection, bound and run through the C API
    /// (GRDB keeps it prepared between transactions).
    static func cached(_ db: Database, _ sql: StaticString) throws -> RawStatement {
        let statement = try db.cachedStatement(sql: sql.description)
        return RawStatement(handle: statement.sqliteStatement, connection: db.sqliteConnection!, sql: sql)
    }

    /// Steps once and reads the row with `read` (`RETURNING …`); `nil` when there is none.
    func runReturning<T>(_ read: (RawStatement) -> T) throws -> T? {
        let code = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        switch code {
        case SQLITE_ROW: return read(self)
        case SQLITE_DONE: return nil
        default:
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql.description)
        }
    }
}

// MARK: - Reading

extension RawStatement {
    /// Runs a query, binding its parameters with `bind`, and calls `row` for each result row,
    /// whose columns are read through SQLite's C API (``int64(_:)``, ``text(_:)``): for the
    /// queries that return thousands of rows at once, such as a whole session for `show`.
    static func forEachRow(_ db: Database, _ sql: StaticString, bind: (RawStatement) -> Void = { _ in },
                           row: (RawStatement) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql.description)
        try withExtendedLifetime(statement) {
            let raw = RawStatement(handle: statement.sqliteStatement, connection: db.sqliteConnection!, sql: sql)
            bind(raw)
            defer { sqlite3_reset(raw.handle) }
            while true {
                let code = sqlite3_step(raw.handle)
                if code == SQLITE_DONE { return }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(raw.connection)),
                                        sql: sql.description)
                }
                try row(raw)
            }
        }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64? { isNull(column) ? nil : sqlite3_column_int64(handle, column) }

    func int(_ column: Int32) -> Int? { isNull(column) ? nil : Int(sqlite3_column_int64(handle, column)) }

    /// 0 and NULL are false.
    func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }

    /// The column's text, or `previous` itself when the bytes are the same (the model or agent
    /// of thousands of rows in a row: one string instead of thousands of copies).
    func text(_ column: Int32, sameAs previous: inout String?) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let buffer = UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column)))
        if let previous, previous.utf8.elementsEqual(buffer) { return previous }
        previous = String(decoding: buffer, as: UTF8.self)
        return previous
    }

    func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }
}
