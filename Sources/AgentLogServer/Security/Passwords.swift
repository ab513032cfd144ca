import AgentLogDatabase
import HummingbirdBcrypt
import NIOPosix

/// The passwords of `agentlog serve`'s users: bcrypt (Hummingbird's), hashed and checked on
/// NIO's thread pool, never on Swift's cooperative threads (one check takes a quarter second by
/// design). Only the hash is stored.
public enum Passwords {
    /// bcrypt's cost: 2^12 rounds, a quarter second on this kind of machine (OWASP's minimum is 10).
    public static let defaultCost: UInt8 = 12

    /// The lengths a password may have, in UTF-8 bytes: bcrypt reads at most 72 of them, so a
    /// longer one would be cut without a word.
    public static let allowedLengths = 8...72

    /// Refuses a password of the wrong length, saying which length it needs.
    public static func check(_ password: String) throws(StoreError) {
        guard allowedLengths.contains(password.utf8.count) else {
            throw StoreError.invalidValue(what: "password", reason: "use \(allowedLengths.lowerBound) to \(allowedLengths.upperBound) bytes (bcrypt reads no more)")
        }
    }

    /// The hash to store for `password` (checked first).
    public static func hash(_ password: String, cost: UInt8 = defaultCost) async throws -> String {
        try check(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` is the one `hash` was made from. With no hash (an unknown user) it is
    /// checked against a stand-in hash, so that the answer takes as long as for a real user.
    public static func verify(_ password: String, hash: String?) async throws -> Bool {
        guard allowedLengths.contains(password.utf8.count) else { return false }
        let stored = hash ?? unknownUserHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: stored) }
        return matches && hash != nil
    }

    /// The stand-in hash of ``verify(_:hash:)``: its result is never taken.
    private static let unknownUserHash = Bcrypt.hash("agentlog: no such user", cost: defaultCost)
}
