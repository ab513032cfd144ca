import AgentLogDatabase
import AgentLogIngest
import AgentLogJSON

/// `agentlog.tokens.v1`: the API tokens (never the tokens themselves).
public struct TokenList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.tokens.v1"
    /// The tokens, newest first.
    public var rows: [APIToken]
    /// When the list was read, to tell expired tokens.
    public var now: Int64

    /// A list of `rows` as of `now`.
    public init(rows: [APIToken], now: Int64 = AgentLogStore.now()) {
        self.rows = rows
        self.now = now
    }

    /// The document: each token's id, name, hint, kind, user, times and state.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([("rows", .array(rows.map { token in
            .object([
                ("id", .int(token.id)), ("name", .string(token.name)), ("hint", .string(token.hint)), ("kind", .string(token.kind.rawValue)),
                ("user", .string(token.user)), ("createdAt", .time(token.createdAt)), ("expiresAt", .time(token.expiresAt)),
                ("lastUsedAt", .time(token.lastUsedAt)), ("revokedAt", .time(token.revokedAt)),
                ("valid", .bool(token.isValid(at: now))),
            ])
        }))]).encode(to: encoder)
    }
}

/// `agentlog.token.v1`: a token just made — the only document that holds the token itself.
public struct NewToken: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.token.v1"
    /// The token (shown once).
    public var token: String
    /// Its record.
    public var record: APIToken

    /// The answer for a token just made.
    public init(token: String, record: APIToken) {
        self.token = token
        self.record = record
    }

    /// The document: the token, its id, name, hint and expiry.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("token", .string(token)), ("id", .int(record.id)), ("name", .string(record.name)), ("hint", .string(record.hint)),
            ("kind", .string(record.kind.rawValue)), ("expiresAt", .time(record.expiresAt)),
        ]).encode(to: encoder)
    }
}

/// `agentlog.pairings.v1`: device pairing requests.
public struct PairingList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.pairings.v1"
    /// The requests, newest first.
    public var rows: [Pairing]

    /// A list of `rows`.
    public init(rows: [Pairing]) { self.rows = rows }

    /// The document: each request's code, device, address, status and times.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([("rows", .array(rows.map(\.json)))]).encode(to: encoder)
    }
}

extension Pairing {
    /// The request as JSON.
    public var json: JSONOutput {
        .object([
            ("id", .int(id)), ("userCode", .string(userCode)), ("device", .string(deviceName)), ("address", .optional(address)),
            ("status", .string(status.rawValue)), ("createdAt", .time(createdAt)), ("expiresAt", .time(expiresAt)),
        ])
    }
}

/// `agentlog.logs.v1`: lines of the application log, oldest first.
public struct LogList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.logs.v1"
    /// The lines.
    public var rows: [AppLogEntry]

    /// A list of `rows`.
    public init(rows: [AppLogEntry]) { self.rows = rows }

    /// The document: each line's id, time, level, component, message and data (as JSON).
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([("rows", .array(rows.map { entry in
            .object([
                ("id", .int(entry.id)), ("at", .time(entry.at)), ("level", .string(entry.level.rawValue)),
                ("component", .string(entry.component)), ("message", .string(entry.message)), ("data", entry.data.map { .raw($0) } ?? .null),
            ])
        }))]).encode(to: encoder)
    }
}
