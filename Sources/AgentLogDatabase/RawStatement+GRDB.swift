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
