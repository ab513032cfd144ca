import AgentLogSQLite
import GRDB

/// Prepared statements of one write transaction, found by the identity of their SQL literal
/// rather than by hashing the SQL text for every row.
package final class StatementCache {
    private let db: Database
    private var statements: [UInt: Statement] = [:]
    private var multiRowStatements: [MultiRowKey: Statement] = [:]

    /// The statements of `db`'s current transaction.
    package init(_ db: Database) { self.db = db }

    /// The statement for `sql`, to be bound and run through SQLite's C API (see ``RawStatement``).
    package func raw(_ sql: StaticString) throws -> RawStatement {
        let statement = try get(sql)
        return RawStatement(handle: statement.sqliteStatement, connection: db.sqliteConnection!)
    }

    /// The statement for SQL that is not a literal (one of ``SharedStatements``), found by its
    /// text in GRDB's statement cache.
    package func raw(shared sql: String) throws -> RawStatement {
        RawStatement(handle: try db.cachedStatement(sql: sql).sqliteStatement, connection: db.sqliteConnection!)
    }

    /// A raw statement for SQL built at run time for `rows` rows, found by `name` and `rows`.
    package func multiRow(_ name: StaticString, rows: Int, sql: (Int) -> String) throws -> RawStatement {
        let key = MultiRowKey(name: UInt(bitPattern: name.utf8Start), rows: rows)
        let statement: Statement
        if let cached = multiRowStatements[key] {
            statement = cached
        } else {
            statement = try db.makeStatement(sql: sql(rows))
            multiRowStatements[key] = statement
        }
        return RawStatement(handle: statement.sqliteStatement, connection: db.sqliteConnection!)
    }

    private struct MultiRowKey: Hashable {
        var name: UInt
        var rows: Int
    }

    /// GRDB's statement for `sql`, prepared once per transaction.
    package func get(_ sql: StaticString) throws -> Statement {
        let key = UInt(bitPattern: sql.utf8Start)
        if let statement = statements[key] { return statement }
        let statement = try db.makeStatement(sql: sql.description)
        statements[key] = statement
        return statement
    }
}
