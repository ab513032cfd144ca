@_exported import AgentLogDatabase
import AgentLogSQLite
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
    public static func open(path: String, pageSize: Int = ConnectionSettings.appPageSize) async throws(StoreError) -> AgentLogStore {
        let result = await Task.detached { () -> Result<AgentLogStore, StoreError> in
            do throws(StoreError) { return .success(try AgentLogStore.open(at: path, pageSize: pageSize)) } catch { return .failure(error) }
        }.value
        var store = try result.get()
        // An app appends small transactions for as long as it runs: the WAL is copied into the
        // database by a thread of its own, so that no append waits ~50 ms for a checkpoint.
        store.background = store.startBackgroundCheckpoint(thresholdBytes: CheckpointPolicy.app.thresholdBytes,
                                                           backstopPages: CheckpointPolicy.app.backstopPages)
        return store
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
