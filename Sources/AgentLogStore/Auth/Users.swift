import AgentLogDatabase
import GRDB

/// Someone who signs in to `agentlog serve` with a name and a password (from a browser on
/// another machine), as stored: the password only as the server's hash of it.
public struct ServerUser: Sendable, Equatable {
    /// The name they sign in with.
    public var name: String
    /// When the user was added, ms since 1970.
    public var createdAt: Int64
    /// Whether a password is set (a user without one cannot sign in).
    public var hasPassword: Bool
    /// Their login sessions that are valid now.
    public var activeLogins: Int
}

extension AgentLogStore {
    /// Checks a user name: 1 to 64 letters, digits, `.`, `_`, `-` or `@`.
    public static func checkUserName(_ name: String) throws(StoreError) {
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_@".unicodeScalars.contains(scalar))
        }
        guard !name.isEmpty, name.utf8.count <= 64, allowed else {
            throw StoreError.invalidValue(what: "user name '\(name.prefix(64))'",
                                          reason: "use 1 to 64 letters, digits, '.', '_', '-' or '@'")
        }
    }

    /// Adds the user `name` with the given password hash (made by the server's password hasher:
    /// the library never sees a password in clear).
    public func addUser(_ name: String, passwordHash: String, at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> ServerUser {
        try Self.checkUserName(name)
        let added: Bool = try await write { db in
            try db.execute(sql: "INSERT INTO users (name, created_at, password_hash) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                           arguments: [name, time, passwordHash])
            return db.changesCount == 1
        }
        guard added else {
            throw StoreError.invalidValue(what: "user '\(name)'", reason: "there is one already; `agentlog auth user passwd \(name)` sets a new password")
        }
        return ServerUser(name: name, createdAt: time, hasPassword: !passwordHash.isEmpty, activeLogins: 0)
    }

    /// Replaces the password hash of `name` and ends every login session of theirs.
    public func setPassword(ofUser name: String, passwordHash: String, at time: Int64 = AgentLogStore.now()) async throws(StoreError) {
        let found: Bool = try await write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ? WHERE name = ?", arguments: [passwordHash, name])
            guard db.changesCount == 1 else { return false }
            try Self.endLogins(of: name, db, at: time)
            return true
        }
        guard found else { throw StoreError.notFound(what: "user '\(name)'") }
    }

    /// Removes the user `name` and ends every login session of theirs.
    public func removeUser(_ name: String, at time: Int64 = AgentLogStore.now()) async throws(StoreError) {
        let found: Bool = try await write { db in
            try db.execute(sql: "DELETE FROM users WHERE name = ?", arguments: [name])
            guard db.changesCount == 1 else { return false }
            try Self.endLogins(of: name, db, at: time)
            return true
        }
        guard found else { throw StoreError.notFound(what: "user '\(name)'") }
    }

    /// Every user, by name, with how many login sessions each has open at `time`.
    public func users(at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> [ServerUser] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.name, u.created_at, u.password_hash != '',
                       (SELECT COUNT(*) FROM api_tokens t WHERE t.user = u.name AND t.kind = 'login' AND t.revoked_at IS NULL
                                                            AND (t.expires_at IS NULL OR t.expires_at > ?1))
                FROM users u ORDER BY u.name
                """, arguments: [time]).map { ServerUser(name: $0[0], createdAt: $0[1], hasPassword: $0[2], activeLogins: $0[3]) }
        }
    }

    /// The stored password hash of `name`; nil for an unknown user or one without a password.
    public func passwordHash(ofUser name: String) async throws(StoreError) -> String? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM users WHERE name = ? AND password_hash != ''", arguments: [name])
        }
    }

    /// Whether anyone can sign in with a password (auth is set up for a server beyond loopback).
    public func hasUsersWithPassword() async throws(StoreError) -> Bool {
        try await read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE password_hash != '')") ?? false }
    }

    /// Whether the user `name` exists (with or without a password).
    public func userExists(_ name: String) async throws(StoreError) -> Bool {
        try await read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE name = ?)", arguments: [name]) ?? false }
    }

    /// Deletes login sessions that expired or were revoked before `time` (each sign-in adds one);
    /// returns how many.
    @discardableResult
    public func pruneLogins(before time: Int64) async throws(StoreError) -> Int {
        try await write { db in
            try db.execute(sql: """
                DELETE FROM api_tokens WHERE kind = 'login' AND (expires_at < ?1 OR revoked_at < ?1)
                  AND id NOT IN (SELECT token_id FROM pairings WHERE token_id IS NOT NULL)
                """, arguments: [time])
            return db.changesCount
        }
    }

    /// Revokes every login session of `name`.
    private static func endLogins(of name: String, _ db: Database, at time: Int64) throws {
        try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE user = ? AND kind = 'login' AND revoked_at IS NULL",
                       arguments: [time, name])
    }
}
