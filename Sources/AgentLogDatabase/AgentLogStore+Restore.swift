import AgentLogJSON
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
        let (backup, applied) = try Self.openCheckedBackup(source)
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

    /// Opens the agentlog database at `source` read-only, after checking it: a sound SQLite file
    /// (integrity check), an agentlog database (its migration ledger), no newer than this build.
    /// Returns it and the migrations it has.
    package static func openCheckedBackup(_ source: String) throws(StoreError) -> (DatabaseQueue, Set<String>) {
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
        return (backup, applied)
    }

    /// Makes a private copy of the agentlog database at `source` in `folder`, brought up to
    /// this build's schema, for an import to read (`source` itself is only read, through
    /// SQLite's backup API, so it may be in use). A copy of a database older than the machines
    /// migration gets a machine uuid derived from its contents, so importing the same file again
    /// names the same machine. Returns the copy's path; the caller removes it.
    package static func importCopy(of source: String, in folder: String) throws(StoreError) -> String {
        let (original, applied) = try openCheckedBackup(source)
        let copyPath = folder + "/.agentlog-import-\(now())-\(getpid()).db"
        do {
            let copy = try DatabaseQueue(path: copyPath)
            try original.backup(to: copy)
            try original.close()
            try AgentLogStore(writer: copy, path: copyPath).migrate(backingUp: false)
            if !applied.contains("v11-machines") {
                try copy.write { db in
                    let first = try Row.fetchOne(db, sql: "SELECT path, first_seen_at FROM source_files ORDER BY id LIMIT 1")
                    let seed = "\(first?[0] as String? ?? source)|\(first?[1] as Int64? ?? 0)|"
                        + "\(try Int64.fetchOne(db, sql: "SELECT MIN(created_at) FROM projects") ?? 0)"
                    let uuid = "legacy-" + String(FNV1a.hash(seed.utf8), radix: 16)
                    try db.execute(sql: "UPDATE machines SET uuid = ? WHERE id = 1", arguments: [uuid])
                }
            }
            try copy.close()
        } catch let error as StoreError {
            try? FileManager.default.removeItem(atPath: copyPath)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: copyPath)
            throw StoreError.database(path: source, reason: "it could not be copied for the import (\(describe(error)))")
        }
        return copyPath
    }
}
