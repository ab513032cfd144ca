import Foundation
import GRDB

extension AgentLogStore {
    /// Opens (creating if needed) the database at `path`, off the caller's thread: the entry
    /// point of the embeddable library.
    ///
    /// A new file gets `pageSize` pages: 4 kB by default, since an app writes many small
    /// transactions and each writes every page it touches whole into the WAL (an append costs
    /// half as much as with the 16 kB pages the CLI creates for bulk syncs). An existing file
    /// keeps its page size. The WAL is checkpointed by a thread of its own until ``close()``.
    ///
    /// ```swift
    /// let store = try await AgentLogStore.open(path: "/path/to/agentlog.db")
    /// defer { try? store.close() }
    /// let project = try await store.upsertProject(directory: "/work/app")
    /// ```
    public static func open(path: String, pageSize: Int = 4096) async throws(StoreError) -> AgentLogStore {
        let result = await Task.detached { () -> Result<AgentLogStore, StoreError> in
            do throws(StoreError) { return .success(try AgentLogStore.open(at: path, pageSize: pageSize)) } catch { return .failure(error) }
        }.value
        var store = try result.get()
        // An app appends small transactions for as long as it runs: the WAL is copied into the
        // database by a thread of its own, so that no append waits ~50 ms for a checkpoint.
        if let checkpointer = store.makeCheckpointer() {
            try store.setAutomaticCheckpoint(pages: 16_384)  // a backstop
            store.background = BackgroundCheckpoint(checkpointer)
        }
        return store
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

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction, for the async library calls.
    ///
    /// It runs on the calling task's thread, without a hop to another thread: here a hop to
    /// GRDB's writer queue and back costs about 70 µs, several times the SQLite work of a typical
    /// call (an append is ~20 µs). While it waits — for this process's other writes on GRDB's
    /// serial writer queue, or up to the 5 s busy timeout for another process's — it holds its
    /// thread; it never waits for a task to run, so it cannot deadlock the task pool.
    func writeAsync<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        try writeInline(body)
    }

    /// One `BEGIN IMMEDIATE` transaction on the calling thread.
    private func writeInline<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                // Prepared once per connection: BEGIN and COMMIT cost a third of a small append
                // when GRDB parses and tracks them anew each time.
                try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
                do {
                    let result = try body(db)
                    try db.cachedStatement(sql: "COMMIT").execute()
                    return result
                } catch {
                    if !db.isInsideTransaction { throw error }
                    try? db.execute(sql: "ROLLBACK")
                    throw error
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(path: path ?? ":memory:", reason: Self.describe(error))
        }
    }

    /// Runs `body` on a read-only snapshot, for the async library calls (on the calling task's
    /// thread, as ``writeAsync(_:)`` does).
    func readAsync<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        try read(body)
    }

    /// Encodes a list of strings as a JSON array.
    static func jsonArray(_ values: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(values), as: UTF8.self)) ?? "[]"
    }

    /// Decodes a JSON array of strings (empty when it is not one).
    static func stringArray(_ json: String?) -> [String] {
        guard let json, let values = try? JSONDecoder().decode([String].self, from: Data(json.utf8)) else { return [] }
        return values
    }
}

/// A thread that copies the WAL into the database file whenever it holds more than
/// ``thresholdBytes``, from a connection of its own (a passive checkpoint never blocks writers).
/// It ends with ``stop()`` (``AgentLogStore/close()``), or when the last copy of the store that
/// owns it is gone.
final class BackgroundCheckpoint: Sendable {
    static let thresholdBytes: Int64 = 4 << 20
    private let state = State()

    /// What the owner and the thread share.
    private final class State: @unchecked Sendable {
        let condition = NSCondition()
        var stopped = false
        var finished = false
    }

    init(_ checkpointer: WALCheckpointer) {
        let state = state
        Thread.detachNewThread {
            state.condition.lock()
            while !state.stopped {
                _ = state.condition.wait(until: Date(timeIntervalSinceNow: 0.1))
                if state.stopped { break }
                state.condition.unlock()
                if checkpointer.walBytes > Self.thresholdBytes { checkpointer.checkpoint() }
                state.condition.lock()
            }
            state.finished = true
            state.condition.broadcast()
            state.condition.unlock()
        }
    }

    deinit { stop() }

    /// Ends the thread, waiting (at most a few seconds) for a checkpoint in progress to finish.
    func stop() {
        state.condition.lock()
        state.stopped = true
        state.condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: 5)
        while !state.finished, state.condition.wait(until: deadline) {}
        state.condition.unlock()
    }
}
