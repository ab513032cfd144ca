/// Where prepared statements come from: a connection of this layer (the hook, the statusline)
/// or one of the store's GRDB connections, so a query written against the C API
/// (``RawStatement``) runs on either. Statements are kept prepared by their source; callers bind
/// every parameter and reset them when done.
public protocol SQLiteStatements {
    /// The prepared statement for `sql`.
    func statement(_ sql: String) throws(SQLiteError) -> RawStatement
}

extension SQLiteConnection: SQLiteStatements {}
