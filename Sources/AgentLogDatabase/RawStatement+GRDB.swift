import AgentLogSQLite
import Foundation
import GRDB

extension RawStatement {
    /// GRDB's cached statement for `sql` on this connection, to be bound and run through
    /// SQLite's C API (GRDB keeps it prepared between transactions). A sync writes hundreds of
    /// thousands of rows; building GRDB's `StatementArguments` of existential values for each
    /// costs more than SQLite's own work for the row.
    package static func cached(_ db: Database, _ sql: String) throws -> RawStatement {
        let statement = try db.cachedStatement(sql: sql)
        return RawStatement(handle: statement.sqliteStatement, connection: db.sqliteConnection!)
    }

    /// Runs a query, binding its parameters with `bind`, and calls `row` for each result row,
    /// read through the C API (``int64(_:)``, ``text(_:)``): for queries that return thousands
    /// of rows at once, such as a whole session for `show`.
    package static func forEachRow(_ db: Database, _ sql: String, bind: (RawStatement) -> Void = { _ in },
                                   row: (RawStatement) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        try withExtendedLifetime(statement) {
            let raw = RawStatement(handle: statement.sqliteStatement, connection: db.sqliteConnection!)
            bind(raw)
            try raw.forEachRow(row)
        }
    }

    /// Binds bytes as a blob.
    package func bind(_ index: Int32, _ value: Data) {
        value.withUnsafeBytes { bind(index, blob: $0) }
    }
}

/// One of the store's GRDB connections as a source of C-API statements, for the queries written
/// once against ``SQLiteStatements`` (the spend and budgets of `AgentLogSpend`).
struct GRDBStatements: SQLiteStatements {
    let db: Database

    func statement(_ sql: String) throws(SQLiteError) -> RawStatement {
        do {
            let statement = try RawStatement.cached(db, sql)
            statement.reset()  // as the SQLite layer's own connection hands them out
            return statement
        } catch let error as DatabaseError {
            throw SQLiteError(code: error.extendedResultCode.rawValue, message: error.message ?? "\(error)", sql: String(sql.prefix(200)))
        } catch {
            throw SQLiteError(code: 1, message: "\(error)", sql: String(sql.prefix(200)))
        }
    }
}

extension AgentLogStore {
    /// Runs `body` on a read-only snapshot, with the connection as a source of C-API statements
    /// (``SQLiteStatements``): how the server asks `AgentLogSpend` what the statusline asks.
    public func readStatements<T>(_ body: (any SQLiteStatements) throws -> T) throws(StoreError) -> T {
        try read { db in try body(GRDBStatements(db: db)) }
    }
}
