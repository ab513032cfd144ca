import AgentLogSQLite
import Foundation
import GRDB

/// One schema migration and whether this database has it.
public struct MigrationState: Sendable, Equatable, Codable {
    /// The migration's name (`v1`, `v2-search`, …).
    public var name: String
    /// Whether the database has it.
    public var applied: Bool
}

extension Schema {
    /// GRDB's migrator over ``Schema/migrations``: the same SQL the hook applies to a new file.
    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            let sql = migration.sql
            migrator.registerMigration(migration.name) { db in try db.execute(sql: sql) }
        }
        return migrator
    }
}

extension AgentLogStore {
    /// Every migration this build knows, in order, and whether the database has it.
    public func migrations() throws(StoreError) -> [MigrationState] {
        let migrator = Schema.migrator
        let applied = try read { try migrator.appliedIdentifiers($0) }
        return migrator.migrations.map { MigrationState(name: $0, applied: applied.contains($0)) }
    }

    /// Applies pending migrations; refuses a database that a newer agentlog wrote; backs up an
    /// existing history before changing its schema.
    package func migrate(backingUp: Bool, apply: Bool = true) throws(StoreError) {
        let migrator = Schema.migrator
        let location = path ?? ":memory:"
        let applied: Set<String>
        do {
            applied = try writer.read { try migrator.appliedIdentifiers($0) }
        } catch {
            throw StoreError.cannotOpen(path: location, reason: Self.describe(error))
        }
        let unknown = applied.subtracting(migrator.migrations)
        if !unknown.isEmpty {
            throw StoreError.newerSchema(path: location, unknownMigrations: unknown.sorted())
        }
        let pending = migrator.migrations.filter { !applied.contains($0) }
        guard !pending.isEmpty, apply else { return }
        if backingUp, !applied.isEmpty, let path, try holdsHistory() {
            _ = try backup(to: "\(path).before-\(pending[0])-\(Self.now()).backup")
        }
        // Another process may be migrating the same file at the same moment (two commands on
        // a new database): each migration is one transaction, so a collision rolls back whole.
        // While the other process makes progress, try again; a failure of our own is reported.
        var appliedCount = applied.count
        var attempt = 0
        while true {
            do {
                try migrator.migrate(writer)
                return
            } catch {
                attempt += 1
                let now = (try? writer.read { try migrator.appliedIdentifiers($0) }) ?? []
                if migrator.migrations.allSatisfy(now.contains) { return }
                guard now.count > appliedCount || attempt == 1, attempt < 40 else {
                    throw StoreError.migrationFailed(path: location, reason: Self.describe(error))
                }
                appliedCount = max(appliedCount, now.count)
                usleep(25_000)
            }
        }
    }

    /// Whether the file holds anything worth a backup: a brand-new database that another process
    /// migrated half-way (several commands opening it at once) holds no history yet.
    package func holdsHistory() throws(StoreError) -> Bool {
        try read { db in
            for table in ["source_files", "sessions", "events", "projects", "runs", "settings"] where try db.tableExists(table) {
                if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table))") == true { return true }
            }
            return false
        }
    }

    /// Copies the whole database, consistently, to a new private file at `target`.
    @discardableResult
    public func backup(to target: String) throws(StoreError) -> String {
        if FileManager.default.fileExists(atPath: target) {
            throw StoreError.cannotOpen(path: target, reason: "a file is already there; choose another backup path")
        }
        let descriptor = Foundation.open(target, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError.cannotOpen(path: target, reason: String(cString: strerror(errno)).lowercased())
        }
        Foundation.close(descriptor)
        do {
            let destination = try DatabaseQueue(path: target)
            try writer.backup(to: destination)
            try destination.close()
        } catch {
            throw StoreError.database(path: target, reason: "backup failed: \(Self.describe(error))")
        }
        // SQLite synced the file's contents as the copy committed; the folder's entry for it
        // is made durable too, so a crash right after cannot lose the new file.
        Self.syncFolder(of: target)
        return target
    }
}

extension AgentLogStore {
    /// fsyncs the folder that holds `file`, so that a file just created there survives a crash.
    static func syncFolder(of file: String) {
        let folder = (file as NSString).deletingLastPathComponent
        let descriptor = Foundation.open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        Foundation.close(descriptor)
    }
}

extension AgentLogStore {
    /// Opens (creating) a database file with the migrations up to `last` only: a history as an
    /// older agentlog left it, for tests of upgrades.
    package static func open(at path: String, migratedUpTo last: String) throws -> AgentLogStore {
        try createPrivateFile(path)
        let pool = try DatabasePool(path: path, configuration: configuration())
        try Schema.migrator.migrate(pool, upTo: last)
        return AgentLogStore(writer: pool, path: path)
    }
}
