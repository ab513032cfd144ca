import AgentLogSQLite
import Foundation
import GRDB

/// The one checkpoint policy of the project. Every connection checkpoints on its own after
/// ``ConnectionSettings/autoCheckpointPages`` WAL pages (SQLite's `wal_autocheckpoint`, set
/// for the store and the hook alike). A long writer — a sync, an app that appends for as long
/// as it runs — also starts a ``BackgroundCheckpoint``: a thread that copies the WAL into the
/// database from a connection of its own whenever it holds more than a threshold, so that no
/// commit waits for a checkpoint, while the writer's own checkpoints are put off to a backstop.
/// The thresholds of the background checkpoint, by kind of writer: the policy in one place.
package enum CheckpointPolicy {
    /// A sync: bulk transactions, one WAL's worth (16 MB) between checkpoints, the writer's own
    /// checkpoints put off to 8,192 pages. Only worth a thread when a sync brings more than that.
    package static let sync = (thresholdBytes: Int64(16 << 20), backstopPages: 8_192)
    /// An app through the library: small transactions for as long as it runs, checkpointed
    /// past 4 MB so that no append waits ~50 ms for one; the writer's own at 16,384 pages.
    package static let app = (thresholdBytes: Int64(4 << 20), backstopPages: 16_384)
}

extension AgentLogStore {
    /// Starts copying the WAL into the database from a thread of its own whenever it holds
    /// more than `thresholdBytes`; the writer's own checkpoints wait for `backstopPages`
    /// meanwhile. `nil` for an in-memory store. Stop it with ``BackgroundCheckpoint/stop(finalCheckpoint:)``.
    package func startBackgroundCheckpoint(thresholdBytes: Int64, backstopPages: Int) -> BackgroundCheckpoint? {
        guard let path, let checkpointer = try? WALCheckpointer(path: path) else { return nil }
        try? setAutomaticCheckpoint(pages: backstopPages)
        return BackgroundCheckpoint(checkpointer, thresholdBytes: thresholdBytes) { [self] in
            try? setAutomaticCheckpoint(pages: ConnectionSettings.autoCheckpointPages)
        }
    }

    /// Sets after how many WAL pages this store's writer checkpoints on its own.
    private func setAutomaticCheckpoint(pages: Int) throws(StoreError) {
        do {
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)") }
        } catch {
            throw StoreError.database(path: path ?? ":memory:", reason: Self.describe(error))
        }
    }
}

/// Copies the write-ahead log into the database file from a connection of its own.
final class WALCheckpointer: @unchecked Sendable {
    private let queue: DatabaseQueue
    private let walPath: String

    init(path: String) throws {
        var config = Configuration()
        config.busyMode = .timeout(AgentLogStore.busyTimeout)
        queue = try DatabaseQueue(path: path, configuration: config)
        walPath = path + "-wal"
    }

    /// Bytes in the write-ahead log file.
    var walBytes: Int64 {
        var info = stat()
        return stat(walPath, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// A passive checkpoint: copies what it can without waiting for the writer.
    func checkpoint() {
        _ = try? queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }
}

/// A thread that checkpoints the WAL whenever it holds more than its threshold (looking ten
/// times a second, or when nudged), until ``stop(finalCheckpoint:)`` — which also gives the
/// writer its own checkpoints back — or until the last copy of the store that owns it is gone.
package final class BackgroundCheckpoint: Sendable {
    private let state = State()
    private let checkpointer: WALCheckpointer
    private let restore: @Sendable () -> Void

    /// What the owner and the thread share.
    private final class State: @unchecked Sendable {
        let condition = NSCondition()
        var stopped = false
        var finished = false
    }

    init(_ checkpointer: WALCheckpointer, thresholdBytes: Int64, restore: @escaping @Sendable () -> Void) {
        self.checkpointer = checkpointer
        self.restore = restore
        let state = state
        Thread.detachNewThread {
            state.condition.lock()
            while !state.stopped {
                _ = state.condition.wait(until: Date(timeIntervalSinceNow: 0.1))
                if state.stopped { break }
                state.condition.unlock()
                if checkpointer.walBytes > thresholdBytes { checkpointer.checkpoint() }
                state.condition.lock()
            }
            state.finished = true
            state.condition.broadcast()
            state.condition.unlock()
        }
    }

    /// The last copy of the store is gone: the thread is told to end, nothing waits for it and
    /// nothing touches the database (this may run on any thread, GRDB's writer queue included).
    deinit {
        state.condition.lock()
        state.stopped = true
        state.condition.broadcast()
        state.condition.unlock()
    }

    /// Looks at the WAL now rather than at the next tenth of a second (a writer calls it after
    /// each commit).
    package func nudge() {
        state.condition.lock()
        state.condition.broadcast()
        state.condition.unlock()
    }

    /// Ends the thread, waiting (at most a few seconds) for a checkpoint in progress; with
    /// `finalCheckpoint`, copies what is left of the WAL, and gives the writer its own
    /// checkpoints back.
    package func stop(finalCheckpoint: Bool = false) {
        state.condition.lock()
        let first = !state.stopped
        state.stopped = true
        state.condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: 5)
        while !state.finished, state.condition.wait(until: deadline) {}
        state.condition.unlock()
        guard first else { return }
        if finalCheckpoint { checkpointer.checkpoint() }
        restore()
    }
}
