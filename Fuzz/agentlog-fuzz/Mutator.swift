import AgentLogJSON

/// Mutations of seed inputs, the kind that real damage and hostile input make: flipped and
/// inserted bytes, cut-off and spliced inputs, invalid UTF-8, numbers out of range, deep
/// nesting, huge strings, types swapped.
struct Mutator {
    /// Seeded: a run is repeated exactly by its seed.
    var random: SplitMix64

    init(state: UInt64) { random = SplitMix64(state: state) }

    mutating func next() -> UInt64 { random.next() }

    mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }

    /// Tokens that parsers treat specially.
    static let dictionary: [[UInt8]] = [
        "1e308", "-1", "-0", "99999999999999999999999", "9223372036854775808", "NaN", "Infinity", "null", "true", "\"\"",
        "{}", "[]", "\"12\"", "0.5", "\u{FFFF}", "\\u0000", "\\ud800", "\"type\":\"assistant\"", "\"type\":\"user\"",
        "\"usage\":{\"input_tokens\":-5}", "\"message\":", "\"content\":[", "\"tool_use\"", "\"tool_result\"",
        "\"timestamp\":\"2026-13-45T99:99:99Z\"", "\"sessionId\":", "\"payload\":", "\"token_count\"", "\"hook_event_name\":",
        "\"tool_input\":", "\"cleanupPeriodDays\":", "\"models\":", "AND", "OR", "NOT", "NEAR(", "\"", "*", "(", ")", ":", "^",
        "-----BEGIN RSA PRIVATE KEY-----", "sk-ant-", "://u:p@h", "=",
    ].map { Array($0.utf8) }

    /// One input made from `seed` (and sometimes a second seed spliced in) by 1 to 8 mutations.
    mutating func mutate(_ seed: [UInt8], other: [UInt8]) -> [UInt8] {
        var bytes = seed
        for _ in 0..<(1 + below(8)) {
            switch below(12) {
            case 0 where !bytes.isEmpty:  // flip a bit
                let index = below(bytes.count)
                bytes[index] ^= UInt8(1 << below(8))
            case 1:  // insert random bytes
                let count = 1 + below(8)
                bytes.insert(contentsOf: (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }, at: below(bytes.count + 1))
            case 2 where !bytes.isEmpty:  // delete a range
                let start = below(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + below(64)))
            case 3:  // cut off
                bytes = Array(bytes.prefix(below(bytes.count + 1)))
            case 4 where !other.isEmpty:  // splice another seed in
                let from = below(other.count)
                let piece = other[from..<min(other.count, from + 1 + below(256))]
                bytes.insert(contentsOf: piece, at: below(bytes.count + 1))
            case 5:  // a dictionary token
                bytes.insert(contentsOf: Self.dictionary[below(Self.dictionary.count)], at: below(bytes.count + 1))
            case 6:  // invalid UTF-8
                bytes.insert(contentsOf: [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]][below(5)],
                             at: below(bytes.count + 1))
            case 7:  // deep nesting
                let depth = 1 + (below(4) == 0 ? below(3000) : below(64))
                bytes.insert(contentsOf: [UInt8](repeating: below(2) == 0 ? 0x5B : 0x7B, count: depth), at: below(bytes.count + 1))
            case 8 where below(8) == 0:  // a huge string, now and then
                bytes.insert(contentsOf: [0x22] + [UInt8](repeating: 0x61, count: 1 + below(100_000)) + [0x22], at: below(bytes.count + 1))
            case 9 where !bytes.isEmpty:  // duplicate a range
                let start = below(bytes.count)
                let piece = bytes[start..<min(bytes.count, start + 1 + below(128))]
                bytes.insert(contentsOf: piece, at: below(bytes.count + 1))
            case 10:  // a number made extreme
                if let digit = bytes.indices.filter({ bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }).randomElement(using: &self) {
                    bytes.replaceSubrange(digit...digit, with: Self.dictionary[below(5)])
                }
            default:  // a structural byte swapped
                if !bytes.isEmpty { bytes[below(bytes.count)] = [0x7B, 0x7D, 0x5B, 0x5D, 0x22, 0x2C, 0x3A, 0x5C, 0x0A][below(9)] }
            }
        }
        return bytes
    }
}

extension Mutator: RandomNumberGenerator {}
