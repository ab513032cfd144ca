import AgentLogDatabase
import GRDB

extension Unicode.GeneralCategory {
    /// Control and format characters (newlines, escapes, direction overrides).
    var isControlOrFormat: Bool { self == .control || self == .format || self == .lineSeparator || self == .paragraphSeparator }
}

/// A device's request to be let in, as `agentlog auth pairings` lists it.
public struct Pairing: Sendable, Equatable {
    /// Where a request stands.
    public enum Status: String, Sendable {
        case pending, approved, denied, issued, expired
    }

    /// Its row id.
    public var id: Int64
    /// The short code the device shows and the user types (`WDJB-MJHT`).
    public var userCode: String
    /// The name the device gave.
    public var deviceName: String
    /// Where the request came from.
    public var address: String?
    /// Where it stands (`expired` when it was still pending at its expiry).
    public var status: Status
    /// When it was made and when it expires, ms since 1970.
    public var createdAt: Int64
    /// When it expires.
    public var expiresAt: Int64
}

/// What a device polling with its device code gets.
public enum PairingOutcome: Sendable, Equatable {
    /// Not decided yet: ask again in a few seconds.
    case pending
    /// The user refused it.
    case denied
    /// Nobody decided in time.
    case expired
    /// No such device code (or its token was already handed out).
    case unknown
    /// Approved: the device's token, handed out this once.
    case approved(token: String, record: APIToken)
}

extension AgentLogStore {
    /// How long a pairing request waits for a decision.
    public static let pairingLifetime: Int64 = 10 * 60 * 1000
    /// At most this many requests wait at once (a flood of requests is refused).
    public static let pendingPairingLimit = 20

    /// Starts a pairing for `device`: returns the device code it polls with (secret) and the
    /// user code to show.
    public func startPairing(device: String, address: String?, at time: Int64 = AgentLogStore.now())
        async throws(StoreError) -> (deviceCode: String, pairing: Pairing) {
        // The name is shown in the operator's terminal: no control characters (no forged lines,
        // no escape sequences).
        let name = String(String(device.unicodeScalars.filter { !$0.properties.generalCategory.isControlOrFormat }).trimmingWhitespace.prefix(80))
        guard !name.isEmpty else { throw StoreError.invalidValue(what: "device", reason: "give the device a name") }
        let deviceCode = String(Self.randomToken().dropFirst(Self.tokenPrefix.count))
        let userCode = Self.randomUserCode()
        let id: Int64 = try await write { db in
            let waiting = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pairings WHERE status = 'pending' AND expires_at > ?", arguments: [time]) ?? 0
            guard waiting < Self.pendingPairingLimit else {
                throw StoreError.invalidValue(what: "pairing", reason: "\(waiting) requests already wait for a decision; approve or deny them first")
            }
            try db.execute(sql: """
                INSERT INTO pairings (device_hash, user_code, device_name, address, status, created_at, expires_at)
                VALUES (?, ?, ?, ?, 'pending', ?, ?)
                """, arguments: [SHA256.hex(deviceCode), userCode, name, address, time, time + Self.pairingLifetime])
            return db.lastInsertedRowID
        }
        return (deviceCode, Pairing(id: id, userCode: userCode, deviceName: name, address: address, status: .pending, createdAt: time,
                                    expiresAt: time + Self.pairingLifetime))
    }

    /// Approves or denies the pending request whose user code is `code` (any case, with or
    /// without its dash).
    public func decidePairing(code: String, approve: Bool, at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> Pairing {
        let normalized = Self.normalizedUserCode(code)
        guard let pairing = try await pairings(at: time).first(where: { Self.normalizedUserCode($0.userCode) == normalized }) else {
            throw StoreError.notFound(what: "pairing request with code '\(code)'")
        }
        guard pairing.status == .pending else {
            throw StoreError.invalidValue(what: "pairing \(pairing.userCode)", reason: "it is \(pairing.status.rawValue), not waiting for a decision")
        }
        let changed = try await write { db in
            try db.execute(sql: "UPDATE pairings SET status = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
                           arguments: [approve ? "approved" : "denied", time, pairing.id])
            return db.changesCount
        }
        guard changed == 1 else {
            throw StoreError.invalidValue(what: "pairing \(pairing.userCode)", reason: "it was decided meanwhile")
        }
        var decided = pairing
        decided.status = approve ? .approved : .denied
        return decided
    }

    /// What the device polling with `deviceCode` gets: on the first poll after approval, its
    /// token (a `device` token named after it), once.
    public func claimPairing(deviceCode: String, at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> PairingOutcome {
        let hash = SHA256.hex(deviceCode)
        let found: (id: Int64, status: String, expiresAt: Int64, name: String)? = try await read { db in
            try Row.fetchOne(db, sql: "SELECT id, status, expires_at, device_name FROM pairings WHERE device_hash = ?", arguments: [hash])
                .map { (id: $0[0], status: $0[1], expiresAt: $0[2], name: $0[3]) }
        }
        guard let (id, status, expiresAt, name) = found else { return .unknown }
        switch status {
        case "denied": return .denied
        case "issued": return .unknown
        case "pending": return time >= expiresAt ? .expired : .pending
        default: if time >= expiresAt { return .expired }  // approved, but not claimed in time
        }
        // Approved: make the token and mark the request issued in one step, so that two polls
        // cannot both get one.
        let token = Self.randomToken()
        let record: APIToken? = try await write { db in
            try db.execute(sql: """
                INSERT INTO api_tokens (name, hash, hint, kind, user, created_at) VALUES (?, ?, ?, 'device', '', ?)
                """, arguments: [name, SHA256.hex(token), String(token.prefix(Self.tokenHintLength)), time])
            let tokenId = db.lastInsertedRowID
            try db.execute(sql: "UPDATE pairings SET status = 'issued', token_id = ? WHERE id = ? AND status = 'approved'",
                           arguments: [tokenId, id])
            guard db.changesCount == 1 else {
                try db.execute(sql: "DELETE FROM api_tokens WHERE id = ?", arguments: [tokenId])
                return nil
            }
            return APIToken(id: tokenId, name: name, hint: String(token.prefix(Self.tokenHintLength)), kind: .device, user: "", createdAt: time)
        }
        guard let record else { return .unknown }
        return .approved(token: token, record: record)
    }

    /// Pairing requests, newest first; pending ones past their time show as `expired`.
    public func pairings(at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> [Pairing] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT id, user_code, device_name, address, status, created_at, expires_at FROM pairings ORDER BY id DESC LIMIT 200")
                .map { row in
                    var status = Pairing.Status(rawValue: row[4]) ?? .pending
                    if status == .pending, time >= row[6] as Int64 { status = .expired }
                    return Pairing(id: row[0], userCode: row[1], deviceName: row[2], address: row[3], status: status, createdAt: row[5], expiresAt: row[6])
                }
        }
    }

    /// Eight letters in two groups (`WDJB-MJHT`), from consonants that no one misreads.
    static func randomUserCode() -> String {
        let alphabet = Array("BCDFGHJKLMNPQRSTVWXZ")
        var generator = SystemRandomNumberGenerator()
        let letters = (0..<8).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] }
        return String(letters[0..<4]) + "-" + String(letters[4..<8])
    }

    /// How many requests wait for a decision now.
    public func pendingPairings(at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> Int {
        try await pairings(at: time).filter { $0.status == .pending }.count
    }

    static func normalizedUserCode(_ code: String) -> String {
        String(code.uppercased().filter { $0.isLetter || $0.isNumber })
    }
}
