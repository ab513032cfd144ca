import AgentLogSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SourceFileState {
    /// Every known source file, by path, read through `statements`: one of the store's GRDB
    /// connections (``AgentLogStore/sourceFiles()``) or a connection of the SQLite layer
    /// (``lookWithoutStore(databasePath:)``). Read on every sync, nothing changed or not: the
    /// rows go through SQLite's C API, the root, agent and kind shared between rows.
    package static func all(in statements: any SQLiteStatements) throws -> [String: SourceFileState] {
        let count = try statements.statement("SELECT MAX(id) FROM source_files")
        let capacity = try count.step() ? count.int(0) ?? 0 : 0
        count.reset()
        var files: [String: SourceFileState] = Dictionary(minimumCapacity: capacity)
        var root: String?, agent: String?, kind: String?
        try statements.statement("""
            SELECT id, path, root, agent, kind, device, inode, size, mtime_ns, offset, lines, prefix_hash,
                   generation, missing_since
            FROM source_files
            """).forEachRow { row in
            let state = SourceFileState(
                id: row.int64(0) ?? 0, path: row.text(1) ?? "", root: row.text(2, sameAs: &root) ?? "",
                agent: row.text(3, sameAs: &agent) ?? "", kind: row.text(4, sameAs: &kind) ?? "",
                device: row.int64(5) ?? 0, inode: row.int64(6) ?? 0, size: row.int64(7) ?? 0, mtimeNs: row.int64(8) ?? 0,
                offset: row.int64(9) ?? 0, lines: row.int(10) ?? 0, prefixHash: row.int64(11), generation: row.int(12) ?? 0,
                missingSince: row.int64(13))
            files[state.path] = state
        }
        return files
    }

    /// What the database at `databasePath` knows of its source files, read through a
    /// short-lived connection of the SQLite layer, without opening the store: a sync with
    /// nothing to do needs no more (GRDB's pool and its set-up cost more than the rest of it).
    /// `nil` when there is nothing to look at yet or the look cannot answer — no file, a
    /// schema that is not this build's (the store migrates or refuses it), an unreadable file —
    /// so that the caller opens the store and gets its answer, or its error, from there.
    /// A file this user may not write is not looked at either: reading a WAL database makes its
    /// `-wal` and `-shm` files when they are missing, with the database file's mode, and a
    /// read-only mode there would keep the database read-only after its owner made it writable.
    package static func lookWithoutStore(databasePath: String) -> [String: SourceFileState]? {
        guard access(databasePath, R_OK | W_OK) == 0,
              let db = try? SQLiteConnection(path: databasePath, busyMilliseconds: 1_000) else { return nil }
        // A look ends without a checkpoint: it wrote nothing.
        db.keepLogOnClose()
        guard let applied = try? db.appliedMigrations(), applied == Set(Schema.migrations.map(\.name)) else { return nil }
        return try? all(in: db)
    }
}
