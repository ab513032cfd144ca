import AgentLogDatabase
import Dispatch
import HummingbirdBcrypt

/// The passwords of `agentlog serve`'s users: bcrypt (Hummingbird's), hashed and checked one at a
/// time on a queue of their own, never on Swift's cooperative threads nor on the thread pool the
/// queries run on (one check takes a quarter second by design). Only the hash is stored.
public enum Passwords {
    /// bcrypt's cost: 2^12 rounds, a quarter second on this kind of machine (OWASP's minimum is 10).
    public static let defaultCost: UInt8 = 12

    /// The lengths a password may have, in UTF-8 bytes: bcrypt reads at most 72 of them, so a
    /// longer one would be cut without a word.
    public static let allowedLengths = 8...72

    /// Refuses a password of the wrong length or with a zero byte (bcrypt would stop reading
    /// there), saying what is wrong.
    public static func check(_ password: String) throws(StoreError) {
        let bytes = password.utf8.count
        guard allowedLengths.contains(bytes) else {
            throw StoreError.invalidValue(what: "password", reason: "it has \(bytes) bytes; use \(allowedLengths.lowerBound) to "
                                          + "\(allowedLengths.upperBound) (bcrypt reads no more than \(allowedLengths.upperBound))")
        }
        guard !password.utf8.contains(0) else {
            throw StoreError.invalidValue(what: "password", reason: "it contains a zero byte, where bcrypt would stop reading")
        }
    }

    /// The hash to store for `password` (checked first).
    public static func hash(_ password: String, cost: UInt8 = defaultCost) async throws -> String {
        try check(password)
        return await run { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` is the one `hash` was made from. With no hash (an unknown user) it is
    /// checked against a stand-in hash, so that the answer takes as long as for a real user.
    public static func verify(_ password: String, hash: String?) async -> Bool {
        guard (try? check(password)) != nil else { return false }
        let matches = await run { Bcrypt.verify(password, hash: hash ?? unknownUserHash) }
        return matches && hash != nil
    }

    /// Runs `body` on ``queue``.
    private static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in queue.async { continuation.resume(returning: body()) } }
    }

    /// Where hashing runs: one at a time, so sign-ins never take more than one core.
    private static let queue = DispatchQueue(label: "agentlog.passwords")

    /// The stand-in hash of ``verify(_:hash:)`` (made on ``queue`` the first time): its result is
    /// never taken.
    private static let unknownUserHash = Bcrypt.hash("agentlog: no such user", cost: defaultCost)
}
