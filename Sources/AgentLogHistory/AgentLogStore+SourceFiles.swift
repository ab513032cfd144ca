import AgentLogDatabase
import AgentLogSQLite
import Foundation
import GRDB

/// What the store remembers of one source file, to read only what was appended since.
package struct SourceFileState: Sendable, Equatable {
    package var id: Int64
    package var path: String
    /// The folder the file was found under; export paths are relative to it.
    package var root: String
    package var agent: String
    package var kind: String
    package var device: Int64
    package var inode: Int64
    /// The size when the file was last read.
    package var size: Int64
    package var mtimeNs: Int64
    /// The end of the last complete line read.
    package var offset: Int64
    /// How many complete lines were read.
    package var lines: Int
    package var prefixHash: Int64?
    package var generation: Int
    package var missingSince: Int64?
}

/// How far a sync read a file, committed together with the records read from it.
package struct FilePosition: Sendable, Equatable {
    package var fileId: Int64
    package var device: Int64
    package var inode: Int64
    package var size: Int64
    package var mtimeNs: Int64
    /// The end of the last complete line read.
    package var offset: Int64
    package var lines: Int
    package var prefixHash: Int64?
    /// The file was replaced or shrank and was read again from the start: its earlier archived
    /// bytes are kept as an older generation.
    package var reset: Bool

    package init(fileId: Int64, device: Int64, inode: Int64, size: Int64, mtimeNs: Int64, offset: Int64,
                lines: Int, prefixHash: Int64?, reset: Bool) {
        self.fileId = fileId
        self.device = device
        self.inode = inode
        self.size = size
        self.mtimeNs = mtimeNs
        self.offset = offset
        self.lines = lines
        self.prefixHash = prefixHash
        self.reset = reset
    }
}

extension AgentLogStore {
    /// Every known source file, by path.
    package func sourceFiles() throws(StoreError) -> [String: SourceFileState] {
        try readStatements { try SourceFileState.all(in: $0) }
    }

    /// The state of the file at `path`, registering it first if it is new.
    package func registerSourceFile(path: String, root: String, agent: String, kind: String) throws(StoreError) -> SourceFileState {
        let now = Self.now()
        return try write { db in
            try db.execute(sql: """
                INSERT INTO source_files (path, root, agent, kind, first_seen_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (path) DO NOTHING
                """, arguments: [path, root, agent, kind, now])
            let row = try Row.fetchOne(db, sql: """
                SELECT id, path, root, agent, kind, device, inode, size, mtime_ns, offset, lines, prefix_hash,
                       generation, missing_since
                FROM source_files WHERE path = ?
                """, arguments: [path])!
            return Self.sourceFile(row)
        }
    }

    /// Registers new files in one transaction and returns the state of each, by path.
    package func registerSourceFiles(_ files: [(path: String, root: String, agent: String, kind: String)]) throws(StoreError) -> [String: SourceFileState] {
        guard !files.isEmpty else { return [:] }
        let now = Self.now()
        return try write { db in
            var states: [String: SourceFileState] = [:]
            for file in files {
                try db.cachedStatement(sql: """
                    INSERT INTO source_files (path, root, agent, kind, first_seen_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (path) DO NOTHING
                    """).execute(arguments: [file.path, file.root, file.agent, file.kind, now])
                let row = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT id, path, root, agent, kind, device, inode, size, mtime_ns, offset, lines, prefix_hash,
                           generation, missing_since
                    FROM source_files WHERE path = ?
                    """), arguments: [file.path])!
                states[file.path] = Self.sourceFile(row)
            }
            return states
        }
    }

    /// Records that files are no longer on disk (their archived bytes stay).
    package func markMissing(fileIds: [Int64]) throws(StoreError) {
        guard !fileIds.isEmpty else { return }
        let now = Self.now()
        try write { db in
            for id in fileIds {
                try db.execute(sql: "UPDATE source_files SET missing_since = ? WHERE id = ? AND missing_since IS NULL",
                               arguments: [now, id])
            }
        }
    }

    /// Decodes a row of `SELECT id, path, root, agent, kind, device, inode, size, mtime_ns, offset,
    /// lines, prefix_hash, generation, missing_since` (by position: a sync reads thousands).
    private static func sourceFile(_ row: Row) -> SourceFileState {
        SourceFileState(id: row[0], path: row[1], root: row[2], agent: row[3], kind: row[4],
                        device: row[5] ?? 0, inode: row[6] ?? 0, size: row[7], mtimeNs: row[8] ?? 0, offset: row[9],
                        lines: row[10], prefixHash: row[11], generation: row[12], missingSince: row[13])
    }

}

extension AgentLogStore {
    /// The session a file's lines belong to and the model its latest usage used: what a Codex
    /// rollout states once at its top, for a sync that resumes in the middle of the file.
    package func resumeContext(ofFile fileId: Int64) throws(StoreError) -> (sessionId: String, model: String?)? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT s.id, s.session_id FROM session_files sf JOIN sessions s ON s.id = sf.session_id
                WHERE sf.file_id = ? ORDER BY s.id LIMIT 1
                """, arguments: [fileId]) else { return nil }
            let model = try String.fetchOne(db, sql: """
                SELECT model FROM usage WHERE session_id = ? ORDER BY timestamp DESC, id DESC LIMIT 1
                """, arguments: [row[0] as Int64])
            return (row[1], model)
        }
    }
}
