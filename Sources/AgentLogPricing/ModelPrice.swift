/// List prices of one model, in micro-dollars per million tokens (so $3.00/MTok is 3_000_000),
/// which keeps every figure an exact integer.
public struct ModelPrice: Sendable, Equatable, Codable {
    /// Input tokens that are neither cache writes nor cache reads, micro-dollars per million.
    public var input: Int64
    /// Output tokens, micro-dollars per million.
    public var output: Int64
    /// Cache writes with the five-minute lifetime (Anthropic); 0 where writes are free.
    public var cacheWrite5m: Int64
    /// Cache writes with the one-hour lifetime (Anthropic).
    public var cacheWrite1h: Int64
    /// Cache reads, micro-dollars per million.
    public var cacheRead: Int64
    /// Rates for a whole request whose prompt is over a threshold, where the model has them.
    public var longContext: LongContextPrice?

    /// Prices already in micro-dollars per million tokens; `usd` takes dollars.
    public init(input: Int64, output: Int64, cacheWrite5m: Int64, cacheWrite1h: Int64, cacheRead: Int64,
                longContext: LongContextPrice? = nil) {
        self.input = input
        self.output = output
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.cacheRead = cacheRead
        self.longContext = longContext
    }

    /// Prices given in US dollars per million tokens, as price lists print them.
    public static func usd(_ input: Double, _ output: Double, write5m: Double, write1h: Double, read: Double,
                           long: LongContextPrice? = nil) -> ModelPrice {
        ModelPrice(input: micros(input), output: micros(output), cacheWrite5m: micros(write5m),
                   cacheWrite1h: micros(write1h), cacheRead: micros(read), longContext: long)
    }

    /// The cost of one request, or of many requests that share one long-context tier, in
    /// pico-dollars (10⁻¹² USD): exact, so sums never drift.
    public func costPicoUSD(_ tokens: TokenCounts, overThreshold: Bool) -> Int64 {
        let rates: (Int64, Int64, Int64, Int64, Int64)
        if overThreshold, let long = longContext {
            rates = (long.input, long.output, long.cacheWrite5m, long.cacheWrite1h, long.cacheRead)
        } else {
            rates = (input, output, cacheWrite5m, cacheWrite1h, cacheRead)
        }
        // Held at Int64's bounds rather than trapping: a history with absurd counts must not stop
        // a report, the statusline or the hook.
        var total: Int64 = 0
        for (count, rate) in [(tokens.input, rates.0), (tokens.output, rates.1), (tokens.cacheCreation5m, rates.2),
                              (tokens.cacheCreation1h, rates.3), (tokens.cacheRead, rates.4)] {
            let (product, overflow) = Int64(count).multipliedReportingOverflow(by: rate)
            total = Money.saturatingSum(total, overflow ? ((count < 0) != (rate < 0) ? .min : .max) : product)
        }
        return total
    }
}

/// Long-context rates: when a request's prompt (input + cache writes + cache reads) is over
/// `threshold` tokens, the whole request is billed at these rates.
public struct LongContextPrice: Sendable, Equatable, Codable {
    /// The prompt size, in tokens, over which these rates apply.
    public var threshold: Int
    /// Input tokens, micro-dollars per million.
    public var input: Int64
    /// Output tokens, micro-dollars per million.
    public var output: Int64
    /// Cache writes with the five-minute lifetime, micro-dollars per million.
    public var cacheWrite5m: Int64
    /// Cache writes with the one-hour lifetime, micro-dollars per million.
    public var cacheWrite1h: Int64
    /// Cache reads, micro-dollars per million.
    public var cacheRead: Int64

    /// Rates already in micro-dollars per million tokens, for prompts over `threshold` tokens.
    public init(threshold: Int, input: Int64, output: Int64, cacheWrite5m: Int64, cacheWrite1h: Int64, cacheRead: Int64) {
        self.threshold = threshold
        self.input = input
        self.output = output
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.cacheRead = cacheRead
    }

    /// Rates given in US dollars per million tokens.
    public static func usd(over threshold: Int, _ input: Double, _ output: Double, write5m: Double, write1h: Double,
                           read: Double) -> LongContextPrice {
        LongContextPrice(threshold: threshold, input: micros(input), output: micros(output),
                         cacheWrite5m: micros(write5m), cacheWrite1h: micros(write1h), cacheRead: micros(read))
    }
}

/// Dollars per million tokens to micro-dollars per million tokens, rounded to the nearest.
func micros(_ dollars: Double) -> Int64 { Int64((dollars * 1_000_000).rounded()) }

/// Money amounts as integers.
public enum Money {
    /// Pico-dollars to micro-dollars, rounded half away from zero.
    public static func micros(fromPico pico: Int64) -> Int64 {
        let whole = pico / 1_000_000, rest = pico % 1_000_000
        return whole + (rest >= 500_000 ? 1 : rest <= -500_000 ? -1 : 0)
    }

    /// `a + b`, held at Int64's bounds instead of overflowing.
    public static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// `12.345678` for 12_345_678 micro-dollars (six decimals, no rounding).
    public static func decimalString(micros: Int64) -> String {
        let sign = micros < 0 ? "-" : ""
        let value = micros.magnitude
        let fraction = String(value % 1_000_000)
        return "\(sign)\(value / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }

    /// `$12.35` for display: dollars with two decimals, rounded.
    public static func dollars(micros: Int64) -> String {
        let rest = micros % 10_000
        let cents = micros / 10_000 + (rest >= 5_000 ? 1 : rest <= -5_000 ? -1 : 0)
        let sign = cents < 0 ? "-" : ""
        let value = cents.magnitude
        let fraction = value % 100
        return "\(sign)$\(groupThousands(Int64(value / 100))).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `1,234,567` for 1234567.
    public static func groupThousands(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }
}
