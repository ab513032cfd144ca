import GRDBSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A prepared statement, bound, stepped and read through SQLite's C API: the one binding code
/// of the project, used by the hook's own connections and by the store's write fast path (on
/// statements GRDB prepared and keeps). It does not own the statement: GRDB does, or the
/// ``SQLiteConnection`` that prepared it.
public struct RawStatement {
    /// The `sqlite3_stmt`.
    public let handle: OpaquePointer
    /// The `sqlite3` connection it belongs to (for error messages and change counts).
    public let connection: OpaquePointer

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// A statement of `connection`.
    public init(handle: OpaquePointer, connection: OpaquePointer) {
        self.handle = handle
        self.connection = connection
    }

    // MARK: - Binding (parameters are 1-based; every one must be bound before each run)

    /// Binds an integer, or NULL.
    public func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds an integer, or NULL.
    public func bind(_ index: Int32, _ value: Int?) {
        bind(index, value.map(Int64.init))
    }

    /// Binds a floating-point number, or NULL.
    public func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds 1 or 0, or NULL.
    public func bind(_ index: Int32, _ value: Bool?) {
        bind(index, value.map { $0 ? Int64(1) : 0 })
    }

    /// Binds text, or NULL.
    public func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { utf8 in bindText(index, UnsafeRawBufferPointer(utf8)) }
    }

    /// Binds UTF-8 bytes as text.
    public func bind(_ index: Int32, utf8 bytes: [UInt8]) {
        bytes.withUnsafeBytes { bindText(index, $0) }
    }

    /// Binds bytes as a blob.
    public func bind(_ index: Int32, blob bytes: UnsafeRawBufferPointer) {
        _ = sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), Self.transient)
    }

    private func bindText(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
        let text = (bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self)
        _ = sqlite3_bind_text(handle, index, text, Int32(bytes.count), Self.transient)
    }

    /// Binds `values` to the parameters 1, 2, … in order.
    public func bind(_ values: [SQLiteValue]) {
        for (index, value) in values.enumerated() {
            switch value {
            case .int(let number): bind(Int32(index + 1), number)
            case .text(let text): bind(Int32(index + 1), text)
            }
        }
    }

    // MARK: - Stepping

    /// Steps once: true when a row is there to read. Call ``reset()`` when done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw error(code)
        }
    }

    /// Steps to the end and resets; returns whether it changed a row (an `INSERT … DO NOTHING`
    /// that met its conflict changes none).
    @discardableResult
    public func run() throws(SQLiteError) -> Bool {
        defer { sqlite3_reset(handle) }
        while try step() {}
        return sqlite3_changes(connection) > 0
    }

    /// Steps once and reads the row with `read` (`RETURNING …`), then resets; `nil` when there
    /// is no row.
    public func runReturning<T>(_ read: (RawStatement) -> T) throws(SQLiteError) -> T? {
        defer { sqlite3_reset(handle) }
        return try step() ? read(self) : nil
    }

    /// Steps once and returns the first column of the row as an integer (`RETURNING id`).
    public func runReturningInt() throws(SQLiteError) -> Int64? {
        try runReturning { $0.int64(0) } ?? nil
    }

    /// Calls `row` for each result row, then resets.
    public func forEachRow(_ row: (RawStatement) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while try step() { try row(self) }
    }

    /// Resets the statement so that it can run again (bindings stay).
    public func reset() { sqlite3_reset(handle) }

    /// Rows the last run changed.
    public var changes: Int { Int(sqlite3_changes(connection)) }

    private func error(_ code: Int32) -> SQLiteError {
        let sql = sqlite3_sql(handle).map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) }
        return SQLiteError(code: code, message: SQLiteError.message(connection), sql: sql)
    }

    // MARK: - Reading columns (0-based)

    /// Whether the column is NULL.
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column as an integer; `nil` for NULL.
    public func int64(_ column: Int32) -> Int64? { isNull(column) ? nil : sqlite3_column_int64(handle, column) }

    /// The column as an integer; `nil` for NULL.
    public func int(_ column: Int32) -> Int? { isNull(column) ? nil : Int(sqlite3_column_int64(handle, column)) }

    /// The column as a floating-point number; `nil` for NULL.
    public func double(_ column: Int32) -> Double? { isNull(column) ? nil : sqlite3_column_double(handle, column) }

    /// The column as a flag: 0 and NULL are false.
    public func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }

    /// The column's text; `nil` for NULL.
    public func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    /// The column's text, or `previous` itself when the bytes are the same (the model or agent
    /// of thousands of rows in a row: one string instead of thousands of copies).
    public func text(_ column: Int32, sameAs previous: inout String?) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let buffer = UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column)))
        if let previous, previous.utf8.elementsEqual(buffer) { return previous }
        previous = String(decoding: buffer, as: UTF8.self)
        return previous
    }

    /// The column's bytes (text or blob); `nil` for NULL.
    public func bytes(_ column: Int32) -> [UInt8]? {
        guard let pointer = sqlite3_column_blob(handle, column) else { return isNull(column) ? nil : [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column))))
    }
}

/// A value bound into a statement by ``RawStatement/bind(_:)-([SQLiteValue])``.
public enum SQLiteValue: Sendable, Equatable {
    /// An integer, or NULL.
    case int(Int64?)
    /// Text, or NULL.
    case text(String?)
}

/// An error SQLite reported, with its result code and the statement at fault.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite's (primary or extended) result code.
    public var code: Int32
    /// SQLite's message.
    public var message: String
    /// The statement's SQL, when a statement failed.
    public var sql: String?

    /// An error with SQLite's `code` and `message`.
    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (`SQLITE_BUSY` for `SQLITE_BUSY_SNAPSHOT`, …).
    public var primaryCode: Int32 { code & 0xFF }

    public var description: String { message }

    /// The connection's last error message.
    static func message(_ connection: OpaquePointer) -> String {
        guard let text = sqlite3_errmsg(connection) else { return "unknown SQLite error" }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: strlen(text)), as: UTF8.self)
    }
}
