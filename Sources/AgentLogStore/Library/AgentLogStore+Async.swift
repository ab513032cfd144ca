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

    /// `columns` (`"a, b"`) with each one qualified by a table alias (`"p.a, p.b"`).
    static func qualified(_ columns: String, by alias: String) -> String {
        columns.split(separator: ",").map { alias + "." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
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
