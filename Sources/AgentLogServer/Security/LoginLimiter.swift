/// Slows down password guessing: after ``maximumFailures`` failed sign-ins from one address
/// within ``window`` ms, that address is refused (429) until the oldest of them is older than the
/// window. Kept in memory: a restart forgets, as it forgets nothing else that matters here.
actor LoginLimiter {
    /// Failed sign-ins one address may make within ``window``.
    static let maximumFailures = 5
    /// The window, in ms (5 minutes).
    static let window: Int64 = 300_000
    /// Addresses remembered at most; past that the ones failing least recently are forgotten.
    static let maximumAddresses = 10_000

    private var failures: [String: [Int64]] = [:]

    /// How long, in ms, `address` must wait before it may try again; nil when it may now.
    func waitTime(for address: String, at time: Int64) -> Int64? {
        let recent = (failures[address] ?? []).filter { $0 > time - Self.window }
        failures[address] = recent.isEmpty ? nil : recent
        guard recent.count >= Self.maximumFailures, let oldest = recent.first else { return nil }
        return oldest + Self.window - time
    }

    /// Notes a failed sign-in from `address`.
    func failed(_ address: String, at time: Int64) {
        if failures[address] == nil, failures.count >= Self.maximumAddresses {
            let stalest = failures.min { ($0.value.last ?? 0) < ($1.value.last ?? 0) }?.key
            if let stalest { failures[stalest] = nil }
        }
        failures[address, default: []].append(time)
    }

    /// Forgets the failures of `address` (it signed in).
    func succeeded(_ address: String) {
        failures[address] = nil
    }
}
