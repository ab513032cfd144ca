extension JSONScanner {
    /// The largest count ``count(_:)`` accepts: a million million, far past any real request,
    /// and small enough that sums over a whole history stay exact in 64 bits.
    public static let maxCount = 1_000_000_000_000

    /// A non-negative integer count (a token count): a JSON integer literal from 0 to
    /// ``maxCount``. Anything else — a negative number, a fraction or exponent, a number out of
    /// range, a string such as `"12"`, `null` — is refused with the reason, never turned into 0.
    public func count(_ span: JSONSpan) -> Result<Int, CountError> {
        guard span.kind == .number else {
            let shown = span.kind == .string ? raw(span, maxBytes: 40) : "\(span.kind)"
            return .failure(CountError(value: shown, reason: "is not a number"))
        }
        var value = 0
        var i = span.start
        while i < span.end {
            let digit = base[i] &- UInt8(ascii: "0")
            guard digit < 10 else {
                let reason = base[span.start] == UInt8(ascii: "-") ? "is negative" : "is not a whole number"
                return .failure(CountError(value: raw(span, maxBytes: 40), reason: reason))
            }
            value = value * 10 + Int(digit)
            if value > Self.maxCount {
                return .failure(CountError(value: raw(span, maxBytes: 40), reason: "is out of range (over \(Self.maxCount))"))
            }
            i += 1
        }
        return .success(value)
    }
}

/// Why a value is not a count: what it was and what is wrong with it.
public struct CountError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The value as written (at most 40 bytes of it).
    public var value: String
    /// What is wrong: "is negative", "is not a whole number", …
    public var reason: String

    /// A count error for `value`.
    public init(value: String, reason: String) {
        self.value = value
        self.reason = reason
    }

    public var description: String { "\(value) \(reason)" }
}
