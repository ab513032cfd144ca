import AgentLogDatabase
import AgentLogJSON
import Foundation
import GRDB

extension AgentLogStore {
    /// Stores `json` as the settings of `category` — the app's own with the default empty
    /// `user`, or one user's preferences — replacing what was there.
    ///
    /// ```swift
    /// try await store.setSetting(Theme(dark: true), category: "appearance", user: "ana")
    /// let theme = try await store.setting(Theme.self, category: "appearance", user: "ana")
    /// ```
    public func setSetting(json: String, category: String, user: String = "") async throws(StoreError) {
        guard JSONScanner.isDocument(json) else {
            throw StoreError.invalidValue(what: "setting \(category)", reason: "it is not JSON")
        }
        let now = Self.now()
        try await write { db in
            try db.execute(sql: """
                INSERT INTO settings (user, category, value, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (user, category) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """, arguments: [user, category, json, now])
        }
    }

    /// The JSON stored for `category` and `user`, if any.
    public func settingJSON(category: String, user: String = "") async throws(StoreError) -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT value FROM settings WHERE user = ? AND category = ?", arguments: [user, category])
        }
    }

    /// Stores a value as JSON (see ``setSetting(json:category:user:)``).
    public func setSetting<Value: Encodable>(_ value: Value, category: String, user: String = "") async throws(StoreError) {
        let data: Data
        do {
            data = try JSONEncoder().encode(value)
        } catch {
            throw StoreError.invalidValue(what: "setting \(category)", reason: "it cannot be encoded as JSON")
        }
        try await setSetting(json: String(decoding: data, as: UTF8.self), category: category, user: user)
    }

    /// The value stored for `category` and `user`, decoded, if any.
    public func setting<Value: Decodable>(_ type: Value.Type, category: String, user: String = "") async throws(StoreError) -> Value? {
        guard let json = try await settingJSON(category: category, user: user) else { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(json.utf8))
        } catch {
            throw StoreError.invalidValue(what: "setting \(category)", reason: "the stored JSON does not decode as \(type)")
        }
    }

    /// Every category stored for `user` (the app's own settings by default), with its JSON.
    public func settings(user: String = "") async throws(StoreError) -> [String: String] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT category, value FROM settings WHERE user = ?", arguments: [user])
                .reduce(into: [:]) { $0[$1[0] as String] = $1[1] as String }
        }
    }

    /// Removes the settings of `category` for `user`; returns whether there were any.
    @discardableResult
    public func removeSetting(category: String, user: String = "") async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM settings WHERE user = ? AND category = ?", arguments: [user, category])
            return db.changesCount > 0
        }
    }
}
