import Foundation
import GRDB

extension AgentLogStore {
    /// Opens (creating if needed) the database at `path`, off the caller's thread: the entry
    /// point of the embeddable library.
    ///
    /// ```swift
    /// let store = try await AgentLogStore.open(path: "/path/to/agentlog.db")
    /// defer { try? store.close() }
    /// let project = try await store.upsertProject(directory: "/work/app")
    /// ```
    public static func open(path: String) async throws(StoreError) -> AgentLogStore {
        let result = await Task.detached { () -> Result<AgentLogStore, StoreError> in
            do throws(StoreError) { return .success(try AgentLogStore.open(at: path)) } catch { return .failure(error) }
        }.value
        return try result.get()
    }

    /// Closes the database. Later calls on this store (or its copies) fail.
    public func close() throws(StoreError) {
        do {
            try writer.close()
        } catch {
            throw StoreError.database(path: path ?? ":memory:", reason: Self.describe(error))
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction without blocking the caller's thread.
    func writeAsync<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(path: path ?? ":memory:", reason: Self.describe(error))
        }
    }

    /// Runs `body` on a read-only snapshot without blocking the caller's thread.
    func readAsync<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await writer.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(path: path ?? ":memory:", reason: Self.describe(error))
        }
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
