import AgentLogDatabase
import Foundation
import GRDB

/// A source file whose raw bytes the archive holds.
public struct ArchivedFile: Sendable, Equatable {
    /// The file's row id in `source_files`.
    public var fileId: Int64
    /// Where the file was when it was read.
    public var path: String
    /// The folder it was found under.
    public var root: String
    /// The latest generation (a file that was replaced or shrank has older ones too).
    public var generation: Int
    /// Bytes archived for that generation, including a partial last line.
    public var size: Int64
    /// When the file was found gone from disk, if it was.
    public var missingSince: Int64?

    /// The path relative to its root, as `agentlog export --raw` recreates it.
    public var relativePath: String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : (path as NSString).lastPathComponent
    }
}

extension AgentLogStore {
    /// The files that hold a session's lines (and its subagents' meta files).
    public func archivedFiles(of session: SessionReference) throws(StoreError) -> [ArchivedFile] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.id, f.path, f.root, f.generation, f.offset + f.tail_length AS size, f.missing_since
                FROM session_files sf JOIN source_files f ON f.id = sf.file_id
                WHERE sf.session_id = ? ORDER BY f.path
                """, arguments: [session.rowId]).map {
                ArchivedFile(fileId: $0[0], path: $0[1], root: $0[2], generation: $0[3], size: $0[4], missingSince: $0[5])
            }
        }
    }

    /// Writes the archived bytes of a file's latest generation, in order, to `sink`, one chunk
    /// at a time (a 1 GB transcript never sits in memory whole).
    public func restore(_ file: ArchivedFile, into sink: ([UInt8]) throws -> Void) throws(StoreError) {
        do {
            try writer.read { db in
                var expected: Int64 = 0
                let chunks = try Row.fetchCursor(db, sql: """
                    SELECT offset, raw_length, codec, data FROM archive_chunks
                    WHERE file_id = ? AND generation = ? ORDER BY offset
                    """, arguments: [file.fileId, file.generation])
                while let row = try chunks.next() {
                    let offset: Int64 = row[0]
                    guard offset == expected else {
                        throw ArchiveError(reason: "\(file.path) has a gap in its archive at byte \(expected)")
                    }
                    try sink(try Self.decode(codec: row[2], data: row[3], rawLength: row[1], file: file))
                    expected = offset + Int64(row[1] as Int)
                }
                let tail = try Row.fetchOne(db, sql: "SELECT tail, tail_codec, tail_length FROM source_files WHERE id = ?",
                                            arguments: [file.fileId])
                if let tail, let data = tail[0] as Data?, let codec = tail[1] as String? {
                    try sink(try Self.decode(codec: codec, data: data, rawLength: tail[2], file: file))
                }
            }
        } catch let error as ArchiveError {
            throw StoreError.database(path: path ?? ":memory:", reason: error.reason)
        } catch {
            throw StoreError.database(path: path ?? ":memory:", reason: Self.describe(error))
        }
    }

    private static func decode(codec name: String, data: Data, rawLength: Int, file: ArchivedFile) throws -> [UInt8] {
        guard let codec = ArchiveCodec(rawValue: name) else {
            throw ArchiveError(reason: "\(file.path) was archived with an unknown codec '\(name)'")
        }
        return try codec.decompress([UInt8](data), rawLength: rawLength)
    }
}

extension AgentLogStore {
    /// Decompresses up to `sample` archive chunks drawn at random (every one when there are
    /// fewer) and checks each gives back exactly the bytes it says it holds: how many were
    /// checked, and one line per chunk that does not.
    public func archiveProblems(sample: Int = 200) throws(StoreError) -> (checked: Int, problems: [String]) {
        try read { db in
            // The sample is drawn on ids alone, so only the chosen chunks' data is read.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT c.id, c.offset, c.raw_length, c.codec, c.data, f.path FROM archive_chunks c JOIN source_files f ON f.id = c.file_id
                WHERE c.id IN (SELECT id FROM archive_chunks ORDER BY random() LIMIT ?)
                """, arguments: [max(0, sample)])
            var checked = 0
            var problems: [String] = []
            while let row = try rows.next() {
                checked += 1
                let path: String = row[5], offset: Int64 = row[1], rawLength: Int = row[2], name: String = row[3]
                guard let codec = ArchiveCodec(rawValue: name) else {
                    problems.append("\(path): the chunk at byte \(offset) has an unknown codec '\(name)'")
                    continue
                }
                do {
                    let bytes = try codec.decompress([UInt8](row[4] as Data), rawLength: rawLength)
                    if bytes.count != rawLength {
                        problems.append("\(path): the chunk at byte \(offset) holds \(bytes.count) bytes, not \(rawLength)")
                    }
                } catch {
                    problems.append("\(path): the chunk at byte \(offset) cannot be decompressed: \(error)")
                }
            }
            return (checked, problems)
        }
    }
}
