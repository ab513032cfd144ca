/// Slows down password guessing. An attempt is counted before its password is checked, so
/// attempts sent side by side are counted as they arrive: an address with ``maximumFailures``
/// failures and attempts in flight within ``window`` ms is refused (429) until the oldest failure
/// is older than the window; and at most ``maximumInFlight`` checks run at once in all (each takes
/// a quarter second of a core by design). Kept in memory: a restart forgets.
actor LoginLimiter {
    /// Failed sign-ins one address may make within ``window``.
    static let maximumFailures = 5
    /// The window, in ms (5 minutes).
    static let window: Int64 = 300_000
    /// Password checks running at once, from every address.
    static let maximumInFlight = 4
    /// Addresses remembered at most; past that the ones failing least recently are forgotten.
    static let maximumAddresses = 10_000

    /// Why an attempt may not go on now.
    enum Refusal: Error {
        /// The address failed too often: it may try again in this many ms.
        case wait(Int64)
        /// Too many checks run at once.
        case busy
    }

    private var failures: [String: [Int64]] = [:]
    private var inFlight: [String: Int] = [:]
    private var totalInFlight = 0

    /// Counts an attempt from `address` as started, or refuses it; every started attempt must be
    /// ended with ``end(_:succeeded:at:)``.
    func begin(_ address: String, at time: Int64) throws(Refusal) {
        let recent = (failures[address] ?? []).filter { $0 > time - Self.window }
        failures[address] = recent.isEmpty ? nil : recent
        if recent.count + inFlight[address, default: 0] >= Self.maximumFailures {
            throw .wait(max(1_000, (recent.first ?? time) + Self.window - time))
        }
        guard totalInFlight < Self.maximumInFlight else { throw .busy }
        inFlight[address, default: 0] += 1
        totalInFlight += 1
    }

    /// Ends an attempt: a failure is remembered, a success forgets the address's failures.
    func end(_ address: String, succeeded: Bool, at time: Int64) {
        totalInFlight -= 1
        let left = inFlight[address, default: 1] - 1
        inFlight[address] = left > 0 ? left : nil
        guard !succeeded else {
            failures[address] = nil
            return
        }
        if failures[address] == nil, failures.count >= Self.maximumAddresses {
            let stalest = failures.min { ($0.value.last ?? 0) < ($1.value.last ?? 0) }?.key
            if let stalest { failures[stalest] = nil }
        }
        failures[address, default: []].append(time)
    }
}
