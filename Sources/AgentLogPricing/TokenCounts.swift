/// Token counts of one model response, in disjoint buckets that add up across agents.
///
/// `input` never includes cached tokens; `cacheCreation` is the total written to the cache, of
/// which `cacheCreation1h` were written with the one-hour lifetime (the rest used five minutes).
public struct TokenCounts: Sendable, Equatable, Hashable {
    /// Input tokens not read from or written to the cache.
    public var input: Int
    /// Tokens the model generated.
    public var output: Int
    /// Tokens written to the cache, with either lifetime.
    public var cacheCreation: Int
    /// The part of `cacheCreation` written with the one-hour lifetime.
    public var cacheCreation1h: Int
    /// Tokens read from the cache.
    public var cacheRead: Int

    /// Counts with the given buckets (zero where not given).
    public init(input: Int = 0, output: Int = 0, cacheCreation: Int = 0, cacheCreation1h: Int = 0, cacheRead: Int = 0) {
        self.input = input
        self.output = output
        self.cacheCreation = cacheCreation
        self.cacheCreation1h = cacheCreation1h
        self.cacheRead = cacheRead
    }

    /// Tokens written to the cache with the five-minute lifetime.
    public var cacheCreation5m: Int { max(0, cacheCreation - cacheCreation1h) }
    /// All four buckets added up.
    public var total: Int { input + output + cacheCreation + cacheRead }
    /// The prompt size that decides long-context pricing: input, cache writes and cache reads.
    public var promptTokens: Int { input + cacheCreation + cacheRead }

    /// The bucket-by-bucket sum of two counts.
    public static func + (lhs: TokenCounts, rhs: TokenCounts) -> TokenCounts {
        TokenCounts(input: lhs.input + rhs.input, output: lhs.output + rhs.output,
                    cacheCreation: lhs.cacheCreation + rhs.cacheCreation,
                    cacheCreation1h: lhs.cacheCreation1h + rhs.cacheCreation1h,
                    cacheRead: lhs.cacheRead + rhs.cacheRead)
    }

    /// Adds `rhs` to `lhs`, bucket by bucket.
    public static func += (lhs: inout TokenCounts, rhs: TokenCounts) { lhs = lhs + rhs }
}
