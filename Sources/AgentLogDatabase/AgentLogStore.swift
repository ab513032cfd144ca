import AgentLogSQLite
import Foundation
import GRDB

/// The agentlog database: one SQLite file in WAL mode that is the single source of truth.
///
/// This module owns the handle: opening (created with mode 0600), configuring, migrating,
/// backing up and checkpointing. What can be done with it comes from the modules that extend
/// it: `AgentLogHistory` (the synced transcript history: ingest, queries, search, reports) and
/// `AgentLogStore` (the app library: projects, runs, jobs, app sessions, events, settings).
/// Every write goes through ``write(_:)``, in a short `BEGIN IMMEDIATE` transaction; every read
/// is a query.
///
/// ```swift
/// let store = try AgentLogStore.open(at: "/tmp/agentlog.db")
/// let status = try store.status()
/// print(status.sessions)
/// ```
public struct AgentLogStore: Sendable {
    /// GRDB's connection pool (a file) or queue (in memory).
    package let writer: any DatabaseWriter
    /// The database file, or `nil` for an in-memory store.
    public let path: String?
    /// The WAL checkpoints of a store opened for an app (``open(path:)``), off the write path.
    package var background: BackgroundCheckpoint? = nil
    /// How many messages an app session keeps (at least 1): appending past it drops the oldest.
    /// `nil` keeps them all.
    public var messageCap: Int? = nil {
        didSet { if let cap = messageCap, cap < 1 { messageCap = 1 } }
    }

    /// The busy timeout of every connection: a writer waits this long for another process.
    public static let busyTimeout = TimeInterval(ConnectionSettings.busyTimeoutMilliseconds) / 1000

    /// The page size of new database files the CLI makes (``ConnectionSettings/syncPageSize``).
    public static let defaultPageSize = ConnectionSettings.syncPageSize

    /// Milliseconds since 1970, now.
    public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// A store over an open GRDB connection (for the modules that open one).
    package init(writer: any DatabaseWriter, path: String?) {
        self.writer = writer
        self.path = path
    }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date,
    /// backing the file up first when an existing history is migrated. With `migrate: false`
    /// the file must exist and is left as it is (for commands that only look). `pageSize`
    /// applies only when the file is created.
    public static func open(at path: String, migrate: Bool = true, pageSize: Int = defaultPageSize) throws(StoreError) -> AgentLogStore {
        if !migrate, !FileManager.default.fileExists(atPath: path) {
            throw StoreError.cannotOpen(path: path, reason: "there is no database there yet (agentlog sync creates it)")
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.cannotOpen(path: path, reason: "its folder cannot be created (\(error.localizedDescription))")
            }
        } else if !isFolder.boolValue {
            throw StoreError.cannotOpen(path: path, reason: "\(folder) is not a folder")
        }
        try createPrivateFile(path)
        // A new file opened by several processes at once: the one that turns it into WAL holds
        // a lock SQLite does not wait for; the others try again.
        var attempt = 0
        while true {
            do throws(StoreError) {
                let pool: DatabasePool
                do {
                    pool = try DatabasePool(path: path, configuration: configuration(pageSize: pageSize))
                } catch {
                    throw StoreError.cannotOpen(path: path, reason: describe(error))
                }
                let store = AgentLogStore(writer: pool, path: path)
                try store.migrate(backingUp: true, apply: migrate)
                return store
            } catch {
                attempt += 1
                guard case .cannotOpen(_, let reason) = error, reason.contains("locked"), attempt < 40 else { throw error }
                usleep(50_000)
            }
        }
    }

    /// A store that lives in memory only, for tests and throwaway work.
    public static func inMemory() throws(StoreError) -> AgentLogStore {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: configuration())
        } catch {
            throw StoreError.cannotOpen(path: ":memory:", reason: describe(error))
        }
        let store = AgentLogStore(writer: queue, path: nil)
        try store.migrate(backingUp: false)
        return store
    }

    /// GRDB's configuration of every connection: ``ConnectionSettings``, and a page size
    /// that only takes effect when the file is new.
    package static func configuration(pageSize: Int = defaultPageSize) -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA page_size = \(pageSize)")
            for pragma in ConnectionSettings.pragmas { try db.execute(sql: pragma) }
            // A 64 MB page cache keeps the indexes of a large sync in memory.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        return config
    }

    /// Creates the database file with mode 0600 before SQLite does (transcripts hold secrets);
    /// SQLite gives the -wal and -shm files the same mode.
    package static func createPrivateFile(_ path: String) throws(StoreError) {
        let descriptor = Foundation.open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw StoreError.cannotOpen(path: path, reason: reason.lowercased())
        }
        Foundation.close(descriptor)
    }

    /// One sentence about a database error (SQLite's message).
    package static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
        return "\(error)"
    }

    /// Closes the database. Later calls on this store (or its copies) fail.
    public func close() throws(StoreError) {
        background?.stop()
        do {
            try writer.close()
        } catch {
            throw StoreError.database(path: path ?? ":memory:", reason: Self.describe(error))
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction.
    ///
    /// BEGIN and COMMIT are statements prepared once per connection: parsed and tracked anew by
    /// GRDB's `inTransaction` they cost a third of a small write (an app's append). This one runs
    /// on the calling thread and holds it while it waits — for this process's other writes on
    /// GRDB's serial writer queue, or up to the busy timeout for another process's: for the
    /// synchronous callers (the sync's writer, the CLI). The library's `async` calls use the
    /// `async` overload, which suspends instead.
    package func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.writeWithoutTransaction { db in try Self.immediateTransaction(db, body) }
        } catch {
            throw storeError(error)
        }
    }

    /// Runs `body` on the writer connection outside any transaction: for what SQLite refuses
    /// inside one (connection pragmas, checkpoints, `ATTACH`).
    package func writeOutsideTransaction<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.writeWithoutTransaction(body)
        } catch {
            throw storeError(error)
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction without holding the caller's thread:
    /// the calling task is suspended while the transaction waits for and runs on GRDB's writer
    /// queue. The library's `async` calls write through this.
    package func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.writeWithoutTransaction { db in try Self.immediateTransaction(db, body) }
        } catch {
            throw storeError(error)
        }
    }

    /// Runs `body` on a read-only snapshot.
    package func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.read(body)
        } catch {
            throw storeError(error)
        }
    }

    /// Runs `body` on a read-only snapshot without holding the caller's thread.
    ///
    /// Through GRDB's callback `asyncRead`, not its `async` read: that one gives the reader back
    /// only once the calling task resumes on a cooperative thread, so with every cooperative
    /// thread blocked in a synchronous read waiting for a reader (two of them on a 2-core
    /// machine), nothing ever gives one back. This one gives it back on the reader's own queue.
    package func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                writer.asyncRead { database in
                    continuation.resume(with: Result { try body(database.get()) })
                }
            }
        } catch {
            throw storeError(error)
        }
    }

    /// `body` between `BEGIN IMMEDIATE` and `COMMIT`, statements GRDB keeps prepared for this
    /// connection; rolled back when it throws.
    private static func immediateTransaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
        do {
            let result = try body(db)
            try db.cachedStatement(sql: "COMMIT").execute()
            return result
        } catch {
            if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
            throw error
        }
    }

    /// `error` as a ``StoreError`` naming this database.
    private func storeError(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if error is CancellationError { return .cancelled }
        return StoreError.database(path: path ?? ":memory:", reason: Self.describe(error))
    }
}

/// What can go wrong with the database, each naming the file at fault.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be opened or created (missing folder, permissions, not a database).
    case cannotOpen(path: String, reason: String)
    /// The file was written by a newer agentlog: it has migrations this build does not know.
    case newerSchema(path: String, unknownMigrations: [String])
    /// A migration failed (the file is left as it was before that migration).
    case migrationFailed(path: String, reason: String)
    /// SQLite refused a read or write.
    case database(path: String, reason: String)
    /// What was asked for is not there (a session, a run, a project).
    case notFound(what: String)
    /// A value given to the library that cannot be stored as it is.
    case invalidValue(what: String, reason: String)
    /// A prefix or name that matches several things.
    case ambiguous(what: String, candidates: [String])
    /// The task that waited for the database was cancelled (the library's async calls).
    case cancelled

    /// The error as one sentence.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "Cannot open the database \(path): \(reason)."
        case .newerSchema(let path, let unknown):
            return "The database \(path) was written by a newer version of agentlog (schema \(unknown.joined(separator: ", "))); upgrade agentlog to use it."
        case .migrationFailed(let path, let reason):
            return "Cannot upgrade the database \(path): \(reason)."
        case .database(let path, let reason):
            return "Database error in \(path): \(reason)."
        case .notFound(let what):
            return "No \(what) found."
        case .invalidValue(let what, let reason):
            return "Invalid \(what): \(reason)."
        case .cancelled:
            return "The database call was cancelled."
        case .ambiguous(let what, let candidates):
            return "\(what) is ambiguous; it matches \(candidates.prefix(10).joined(separator: ", "))\(candidates.count > 10 ? ", …" : "")."
        }
    }
}

extension AgentLogStore {
    /// Runs raw SQL in a write transaction. For tests that must fake an unusual database (a
    /// schema from the future); not for application code.
    package func executeForTesting(_ sql: String) throws(StoreError) {
        try write { try $0.execute(sql: sql) }
    }
}

extension AgentLogStore {
    /// Runs `body` while this store holds the database's write lock (an open `BEGIN IMMEDIATE`
    /// transaction, rolled back afterwards): how tests show what other writers do when the
    /// database is busy.
    package func holdingWriteLock<T>(_ body: () throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            defer { try? db.execute(sql: "ROLLBACK") }
            return try body()
        }
    }
}

extension AgentLogStore {
    /// Rebuilds the database file without its free pages (`VACUUM`); returns its size before
    /// and after, in bytes. Other processes wait for it (or give up after the busy timeout).
    public func vacuum() throws(StoreError) -> (before: Int64, after: Int64) {
        func size() -> Int64 {
            guard let path, let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return 0 }
            return (attributes[.size] as? NSNumber)?.int64Value ?? 0
        }
        let before = size()
        do {
            try writer.vacuum()
            try writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        } catch {
            throw storeError(error)
        }
        return (before, size())
    }
}
