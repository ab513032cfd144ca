import Foundation

/// Model prices: the built-in list prices, optionally overridden by the user's own file.
/// agentlog never fetches prices from the network.
///
/// ```swift
/// let table = PriceTable.builtIn
/// let price = table.price(for: "claude-sonnet-4-5-20250929")   // $3 in, $15 out …
/// ```
public struct PriceTable: Sendable, Equatable {
    /// Prices by model name.
    public private(set) var models: [String: ModelPrice]

    /// A table of exactly these models, keyed by the name the agents report.
    public init(models: [String: ModelPrice]) { self.models = models }

    /// The prices of `model`: an exact match first, then without a provider prefix
    /// (`anthropic/…`), then without a date suffix (`…-20250929`); `nil` for unknown models.
    public func price(for model: String) -> ModelPrice? {
        if let price = models[model] { return price }
        var name = model
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        if let price = models[name] { return price }
        if let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].count == 8,
           name[name.index(after: dash)...].allSatisfy(\.isNumber) {
            let undated = String(name[..<dash])
            if let price = models[undated] { return price }
        }
        return nil
    }

    /// Whether a model's usage costs nothing by definition (client-written error replies).
    public static func isFree(_ model: String) -> Bool { model == "<synthetic>" }

    /// The thresholds (prompt tokens) at which some model switches to long-context rates.
    public var longContextThresholds: [Int] {
        Array(Set(models.values.compactMap { $0.longContext?.threshold })).sorted()
    }

    /// This table with the models of `overrides` added or replaced.
    public func merging(_ overrides: [String: ModelPrice]) -> PriceTable {
        PriceTable(models: models.merging(overrides) { _, new in new })
    }
}

// MARK: - Override file

extension PriceTable {
    /// The format of a user's price file: US dollars per million tokens, as price lists print them.
    ///
    /// ```json
    /// {
    ///   "models": {
    ///     "my-proxy-model": { "input": 3.0, "output": 15.0, "cacheWrite5m": 3.75,
    ///                         "cacheWrite1h": 6.0, "cacheRead": 0.3,
    ///                         "longContext": { "threshold": 200000, "input": 6.0, "output": 22.5,
    ///                                          "cacheWrite5m": 7.5, "cacheWrite1h": 12.0, "cacheRead": 0.6 } }
    ///   }
    /// }
    /// ```
    /// Missing cache prices follow Anthropic's multipliers of the input price: 1.25× for
    /// five-minute writes, 2× for one-hour writes, 0.1× for reads (OpenAI and Google models bill
    /// cached input at 0.1× and report no writes, so the same defaults fit them).
    public struct OverrideFile: Codable, Sendable {
        /// One model's prices, US dollars per million tokens.
        public struct Entry: Codable, Sendable {
            /// Input tokens, USD per million.
            public var input: Double
            /// Output tokens, USD per million.
            public var output: Double
            /// Five-minute cache writes, USD per million; 1.25 × `input` when missing.
            public var cacheWrite5m: Double?
            /// One-hour cache writes, USD per million; 2 × `input` when missing.
            public var cacheWrite1h: Double?
            /// Cache reads, USD per million; 0.1 × `input` when missing.
            public var cacheRead: Double?
            /// Rates for requests whose prompt is over a threshold, where the model has them.
            public var longContext: LongEntry?
        }

        /// A model's long-context rates, US dollars per million tokens.
        public struct LongEntry: Codable, Sendable {
            /// The prompt size, in tokens, over which these rates apply.
            public var threshold: Int
            /// Input tokens, USD per million.
            public var input: Double
            /// Output tokens, USD per million.
            public var output: Double
            /// Five-minute cache writes, USD per million; 1.25 × `input` when missing.
            public var cacheWrite5m: Double?
            /// One-hour cache writes, USD per million; 2 × `input` when missing.
            public var cacheWrite1h: Double?
            /// Cache reads, USD per million; 0.1 × `input` when missing.
            public var cacheRead: Double?
        }

        /// The prices by model name.
        public var models: [String: Entry]
    }

    /// An error in the user's price file, naming the file.
    public struct OverrideError: Error, CustomStringConvertible, Sendable {
        /// The price file's path.
        public var path: String
        /// What is wrong with the file, as the end of a sentence (`cannot be read`).
        public var reason: String
        public var description: String { "The price file \(path) \(reason)." }
    }

    /// The built-in table with the prices in the JSON file at `path` added or replaced.
    public static func loading(overridesAt path: String) throws -> PriceTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OverrideError(path: path, reason: "cannot be read")
        }
        let file: OverrideFile
        do {
            file = try JSONDecoder().decode(OverrideFile.self, from: data)
        } catch {
            throw OverrideError(path: path, reason: "is not valid: expected {\"models\": {\"NAME\": {\"input\": USD per MTok, \"output\": …}}} (\(error))")
        }
        var overrides: [String: ModelPrice] = [:]
        for (name, entry) in file.models {
            let long = entry.longContext.map {
                LongContextPrice.usd(over: $0.threshold, $0.input, $0.output, write5m: $0.cacheWrite5m ?? $0.input * 1.25,
                                     write1h: $0.cacheWrite1h ?? $0.input * 2, read: $0.cacheRead ?? $0.input * 0.1)
            }
            overrides[name] = .usd(entry.input, entry.output, write5m: entry.cacheWrite5m ?? entry.input * 1.25,
                                   write1h: entry.cacheWrite1h ?? entry.input * 2, read: entry.cacheRead ?? entry.input * 0.1,
                                   long: long)
        }
        return builtIn.merging(overrides)
    }
}
