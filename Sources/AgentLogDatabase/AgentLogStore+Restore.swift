import AgentLogSQLite
import Foundation
import GRDB

extension AgentLogStore {
    /// Replaces this database's contents with the backup at `source`, after checking it: it must
    /// be a sound SQLite file (integrity check), an agentlog database (its migration ledger), and
    /// no newer than this build. The current contents are first copied to `aside` (a new file),
    /// then the backup is copied in through SQLite's backup API, so other processes with the file
    /// open (the hook, a server) see one write rather than a file swapped under them; an older
    /// backup is then migrated. Returns the migrations the backup had.
    public func restore(from source: String, aside: String) throws(StoreError) -> [String] {
        guard FileManager.default.fileExists(atPath: source) else { throw StoreError.cannotOpen(path: source, reason: "no such file") }
        var configuration = Configuration()
        configuration.readonly = true
        let backup: DatabaseQueue
        let applied: Set<String>
        do {
            backup = try DatabaseQueue(path: source, configuration: configuration)
            applied = try backup.read { db throws -> Set<String> in
                let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                if let first = problems.first {
                    throw StoreError.cannotOpen(path: source, reason: "it fails SQLite's integrity check (\(problems.count) problems, first: \(first.prefix(120)))")
                }
                guard try db.tableExists(Schema.ledgerTable) else {
                    throw StoreError.cannotOpen(path: source, reason: "it is an SQLite file but not an agentlog database (no migration ledger)")
                }
                return try Set(String.fetchAll(db, sql: "SELECT identifier FROM \(Schema.ledgerTable)"))
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.cannotOpen(path: source, reason: "it is not a readable database (\(Self.describe(error)))")
        }
        let known = Set(Schema.migrations.map(\.name))
        let unknown = applied.subtracting(known)
        guard unknown.isEmpty else { throw StoreError.newerSchema(path: source, unknownMigrations: unknown.sorted()) }
        guard applied.contains(Schema.migrations[0].name) else {
            throw StoreError.cannotOpen(path: source, reason: "its migration ledger is empty: not an agentlog database")
        }
        _ = try self.backup(to: aside)
        do {
            try backup.backup(to: writer)
            try backup.close()
        } catch {
            throw StoreError.database(path: path ?? ":memory:", reason: "restoring \(source) failed (\(Self.describe(error))); the previous contents are in \(aside)")
        }
        try migrate(backingUp: false)
        return Schema.migrations.map(\.name).filter(applied.contains)
    }
}
