import AgentLogDatabase
import AgentLogIngest
import Foundation
import GRDB

/// Raw bytes of a source file, to be archived (compressed) exactly as read.
package struct RawChunk: Sendable {
    /// Where the bytes start in the file.
    package var offset: Int64
    package var bytes: [UInt8]

    package init(offset: Int64, bytes: [UInt8]) {
        self.offset = offset
        self.bytes = bytes
    }
}

/// What one write added to the store.
package struct IngestCounts: Sendable, Equatable {
    package var newSessions = 0
    package var newMessages = 0
    package var newUsage = 0
    package var newToolCalls = 0
    package var newSubagents = 0
    package var rejectedLines = 0

    package init() {}

    /// Rows that did not exist before.
    package var newRecords: Int { newSessions + newMessages + newUsage + newToolCalls + newSubagents }

    package static func += (lhs: inout IngestCounts, rhs: IngestCounts) {
        lhs.newSessions += rhs.newSessions
        lhs.newMessages += rhs.newMessages
        lhs.newUsage += rhs.newUsage
        lhs.newToolCalls += rhs.newToolCalls
        lhs.newSubagents += rhs.newSubagents
        lhs.rejectedLines += rhs.rejectedLines
    }
}

/// A batch made ready for the store: records, file position and the raw bytes already
/// compressed, so that the write transaction only writes. Preparing is pure work and can run on
/// another thread than the writer.
package struct IngestItem: Sendable {
    package var batch: RecordBatch
    package var position: FilePosition
    /// Other source files (a subagent's meta.json) to list with the batch's sessions for export.
    package var relatedFiles: [Int64]
    var codec: ArchiveCodec
    var chunks: [(offset: Int64, length: Int, data: Data)]
    var tail: Data?
    var tailLength: Int
    /// The secrets ``redactSecrets()`` masked in the batch, for the `redactions` table.
    package var secrets: [MaskedSecret] = []

    /// Compresses `chunks` and `tail` (the bytes after the last complete line) for the archive.
    package init(batch: RecordBatch, position: FilePosition, chunks: [RawChunk], tail: [UInt8],
                relatedFiles: [Int64] = []) throws(StoreError) {
        self.batch = batch
        self.position = position
        self.relatedFiles = relatedFiles
        let codec = ArchiveCodec.preferred
        self.codec = codec
        self.chunks = []
        tailLength = tail.count
        do {
            for chunk in chunks where !chunk.bytes.isEmpty {
                let data = try chunk.bytes.withUnsafeBytes { try codec.compress($0) }
                self.chunks.append((chunk.offset, chunk.bytes.count, Data(data)))
            }
            self.tail = tail.isEmpty ? nil : Data(try tail.withUnsafeBytes { try codec.compress($0) })
        } catch {
            throw StoreError.database(path: "the archive", reason: "compression failed (\(error))")
        }
    }

    /// Raw bytes this item archives.
    package var rawBytes: Int { chunks.reduce(0) { $0 + $1.length } + tailLength }
}

extension AgentLogStore {
    /// Writes one batch of records, the raw bytes they came from and the new file position, in
    /// one transaction: either all of it lands or none. Every write is idempotent by natural
    /// key, so reading the same lines again never duplicates anything.
    package func ingest(_ batch: RecordBatch, position: FilePosition, chunks: [RawChunk], tail: [UInt8],
                       relatedFiles: [Int64] = []) throws(StoreError) -> IngestCounts {
        try ingest([IngestItem(batch: batch, position: position, chunks: chunks, tail: tail, relatedFiles: relatedFiles)])
    }

    /// Writes several prepared items in one transaction (fewer, larger transactions write each
    /// index page to the WAL once instead of once per file).
    package func ingest(_ items: [IngestItem]) throws(StoreError) -> IngestCounts {
        var remaining = items[...]
        return try ingest(next: { remaining.popFirst() })
    }

    /// Writes the items `next` hands out, until it returns `nil`, in one transaction: a caller
    /// that prepares items on other threads can start writing the first while the rest are
    /// still being read.
    package func ingest(next: () throws -> IngestItem?) throws(StoreError) -> IngestCounts {
        let now = Self.now()
        return try write { db in
            var counts = IngestCounts()
            let statements = StatementCache(db)
            let rollup = RollupDelta()
            while let item = try next() {
                let position = item.position
                var writer = BatchWriter(db: db, statements: statements, rollup: rollup, agent: item.batch.agent.rawValue,
                                         fileId: position.fileId, now: now)
                let generation = try writer.updatePosition(position, codec: item.codec, tail: item.tail, tailLength: item.tailLength)
                for chunk in item.chunks {
                    try statements.get("""
                        INSERT OR REPLACE INTO archive_chunks (file_id, generation, offset, raw_length, codec, data)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """).execute(arguments: [position.fileId, generation, chunk.offset, chunk.length, item.codec.rawValue, chunk.data])
                }
                try writer.write(item.batch, relatedFiles: item.relatedFiles)
                if !item.secrets.isEmpty { try Self.recordRedactions(item.secrets, at: now, db) }
                counts += writer.counts
            }
            try rollup.flush(statements, db)
            return counts
        }
    }

    /// Settles what can only be known once every file is read: a `summary` line names its
    /// session through a leaf message that may live in another file. Only summaries not yet
    /// placed are looked up, so this costs nothing on a sync that brought none.
    package func resolveSummaries() throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                UPDATE summaries SET session_id = (SELECT m.session_id FROM messages m WHERE m.uuid = summaries.leaf_uuid
                                                   ORDER BY m.timestamp DESC LIMIT 1)
                WHERE session_id IS NULL AND EXISTS (SELECT 1 FROM messages m WHERE m.uuid = summaries.leaf_uuid)
                """)
            guard db.changesCount > 0 else { return }
            try db.execute(sql: """
                UPDATE sessions SET summary = (
                    SELECT su.summary FROM summaries su JOIN messages m ON m.uuid = su.leaf_uuid AND m.session_id = su.session_id
                    WHERE su.session_id = sessions.id ORDER BY m.timestamp DESC LIMIT 1)
                WHERE id IN (SELECT session_id FROM summaries WHERE session_id IS NOT NULL)
                """)
        }
    }
}
