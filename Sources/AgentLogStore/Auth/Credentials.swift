import AgentLogDatabase
import GRDB

/// A credential for the API and the dashboard, as stored: never the token itself.
public struct APIToken: Sendable, Equatable {
    /// What made it.
    public enum Kind: String, Sendable, CaseIterable {
        /// `agentlog auth token create`.
        case api
        /// A device let in by pairing.
        case device
        /// A browser's login session (expires).
        case login
    }

    /// Its row id.
    public var id: Int64
    /// The name it was given (`laptop`, the device's name).
    public var name: String
    /// The token's first characters, to tell tokens apart in a list.
    public var hint: String
    /// What made it.
    public var kind: Kind
    /// The user it acts for ('' for the machine's owner).
    public var user: String
    /// When it was made, ms since 1970.
    public var createdAt: Int64
    /// When it stops working, if it does.
    public var expiresAt: Int64?
    /// When it was last used (to the minute).
    public var lastUsedAt: Int64?
    /// When it was revoked, if it was.
    public var revokedAt: Int64?

    /// Whether it lets a request in at `time`.
    public func isValid(at time: Int64) -> Bool { revokedAt == nil && (expiresAt.map { time < $0 } ?? true) }
}

extension AgentLogStore {
    /// The prefix of every token agentlog makes (`agl_`), so that a leaked one is recognised.
    public static let tokenPrefix = "agl_"

    /// A new random token: the prefix and 40 characters of base-32 (200 bits from the system's
    /// secure generator).
    public static func randomToken() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var generator = SystemRandomNumberGenerator()
        return tokenPrefix + String((0..<40).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }

    /// Makes a token named `name`; returns it — the only time it is seen — with its record.
    public func createToken(name: String, kind: APIToken.Kind = .api, user: String = "", expiresAt: Int64? = nil,
                            at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> (token: String, record: APIToken) {
        let name = name.trimmingWhitespace
        guard !name.isEmpty, name.count <= 100 else {
            throw StoreError.invalidValue(what: "token name", reason: "give a name of 1 to 100 characters")
        }
        let token = Self.randomToken()
        let hint = String(token.prefix(Self.tokenHintLength))
        let id: Int64 = try await write { db in
            try db.execute(sql: """
                INSERT INTO api_tokens (name, hash, hint, kind, user, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [name, SHA256.hex(token), hint, kind.rawValue, user, time, expiresAt])
            return db.lastInsertedRowID
        }
        return (token, APIToken(id: id, name: name, hint: hint, kind: kind, user: user, createdAt: time, expiresAt: expiresAt))
    }

    /// Every token, newest first (revoked and expired ones too, marked).
    public func tokens() async throws(StoreError) -> [APIToken] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.tokenColumns) FROM api_tokens ORDER BY id DESC").map(Self.token)
        }
    }

    /// The token whose SHA-256 matches `token`, if it is valid now; marks it used (at most once
    /// a minute, so that a busy client does not write on every request).
    public func authenticate(token: String, at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> APIToken? {
        guard token.hasPrefix(Self.tokenPrefix), token.count < 200 else { return nil }
        let hash = SHA256.hex(token)
        let found = try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.tokenColumns) FROM api_tokens WHERE hash = ?", arguments: [hash]).map(Self.token)
        }
        guard let found, found.isValid(at: time) else { return nil }
        if (found.lastUsedAt ?? 0) < time - 60_000 {
            try await write { db in try db.execute(sql: "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", arguments: [time, found.id]) }
        }
        return found
    }

    /// Revokes the token with id `reference`, or whose hint or name is `reference` (when that
    /// names exactly one live token); returns the revoked token.
    public func revokeToken(_ reference: String, at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> APIToken {
        let live = try await tokens().filter { $0.revokedAt == nil }
        // The token itself works too: its hash is compared, so it is never looked for in clear.
        let hash = reference.hasPrefix(Self.tokenPrefix) && reference.count > Self.tokenHintLength ? SHA256.hex(reference) : nil
        let hashes: [Int64: String] = hash == nil ? [:] : try await read { db in
            try Row.fetchAll(db, sql: "SELECT id, hash FROM api_tokens WHERE revoked_at IS NULL").reduce(into: [:]) { $0[$1[0]] = $1[1] as String }
        }
        let matches = live.filter { String($0.id) == reference || $0.hint == reference || $0.name == reference
            || (reference.count >= 6 && reference.count <= Self.tokenHintLength && $0.hint.hasPrefix(reference)) || hashes[$0.id] == hash && hash != nil }
        guard let match = matches.first else { throw StoreError.notFound(what: "live token '\(reference)'") }
        guard matches.count == 1 else {
            throw StoreError.ambiguous(what: "Token '\(reference)'", candidates: matches.map { "\($0.id) \($0.name)" })
        }
        try await write { db in try db.execute(sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", arguments: [time, match.id]) }
        var revoked = match
        revoked.revokedAt = time
        return revoked
    }

    /// Whether any token could let a request in now (the server refuses to listen beyond
    /// loopback without one, unless pairing is on).
    public func hasValidTokens(at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> Bool {
        try await tokens().contains { $0.isValid(at: time) }
    }

    static let tokenHintLength = 10
    static let tokenColumns = "id, name, hint, kind, user, created_at, expires_at, last_used_at, revoked_at"

    static func token(_ row: Row) -> APIToken {
        APIToken(id: row[0], name: row[1], hint: row[2], kind: APIToken.Kind(rawValue: row[3]) ?? .api, user: row[4], createdAt: row[5],
                 expiresAt: row[6], lastUsedAt: row[7], revokedAt: row[8])
    }
}

extension String {
    /// The text without leading and trailing spaces and newlines.
    var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
