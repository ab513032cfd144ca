import Foundation
import GRDB

/// Copies the write-ahead log into the database file from a connection of its own, so that a
/// long sync does not stop writing every 64 MB to do it.
public final class WALCheckpointer: @unchecked Sendable {
    private let queue: DatabaseQueue
    private let walPath: String

    init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(AgentLogStore.busyTimeout)
        queue = try DatabaseQueue(path: path, configuration: config)
        walPath = path + "-wal"
    }

    /// Bytes in the write-ahead log file.
    public var walBytes: Int64 {
        var info = stat()
        return stat(walPath, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// A passive checkpoint: copies what it can without waiting for the writer.
    public func checkpoint() {
        _ = try? queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }
}

extension AgentLogStore {
    /// Pages after which a writer checkpoints on its own (SQLite's wal_autocheckpoint).
    public static let autoCheckpointPages = 4096

    /// Sets after how many WAL pages the writer checkpoints on its own: fewer while a
    /// ``WALCheckpointer`` does most of the copying, ``autoCheckpointPages`` otherwise.
    public func setAutomaticCheckpoint(pages: Int = autoCheckpointPages) throws(StoreError) {
        do {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)")
            }
        } catch {
            throw StoreError.database(path: path ?? ":memory:", reason: Self.describe(error))
        }
    }

    /// A checkpointer on a connection of its own; `nil` for an in-memory store.
    public func makeCheckpointer() -> WALCheckpointer? {
        guard let path else { return nil }
        return try? WALCheckpointer(path: path)
    }
}
