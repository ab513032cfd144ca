import AgentLogJSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// The exact cost, in pico-dollars, of usage of `model` in long-context tier `tier` (how many
    /// of `thresholds` the prompts were over: 0 below all of them); `nil` when the model has no price.
    public func costPico(model: String, tier: Int, tokens: TokenCounts, thresholds: [Int]) -> Int64? {
        if Self.isFree(model) { return 0 }
        guard let price = price(for: model) else { return nil }
        var over = false
        if let long = price.longContext, let index = thresholds.firstIndex(of: long.threshold) {
            over = tier > index
        }
        return price.costPicoUSD(tokens, overThreshold: over)
    }

    /// This table with the models of `overrides` added or replaced.
    public func merging(_ overrides: [String: ModelPrice]) -> PriceTable {
        PriceTable(models: models.merging(overrides) { _, new in new })
    }
}

// MARK: - Override file

extension PriceTable {
    /// An error in the user's price file, naming the file.
    public struct OverrideError: Error, CustomStringConvertible, Sendable {
        /// The price file's path.
        public var path: String
        /// What is wrong with the file, as the end of a sentence (`cannot be read`).
        public var reason: String
        public var description: String { "The price file \(path) \(reason)." }
    }

    /// The built-in table with the prices in the JSON file at `path` added or replaced.
    ///
    /// The file gives US dollars per million tokens, as price lists print them:
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
    /// cached input at 0.1× and report no writes, so the same defaults fit them). Read without
    /// Foundation, so the statusline prices usage exactly as the reports do.
    public static func loading(overridesAt path: String) throws(OverrideError) -> PriceTable {
        guard let bytes = FileBytes.contents(ofFile: path) else { throw OverrideError(path: path, reason: "cannot be read") }
        do throws(PriceFileParser.Failure) {
            return builtIn.merging(try PriceFileParser.models(in: bytes))
        } catch {
            throw OverrideError(path: path, reason: "is not valid: \(error.reason); expected {\"models\": {\"NAME\": {\"input\": USD per MTok, \"output\": …}}}")
        }
    }
}

extension PriceTable {
    /// The environment variable that names the user's price file.
    public static let environmentVariable = "AGENTLOG_PRICES"

    /// The prices every agentlog process uses: the built-in table overridden by `explicit`
    /// (`--prices`, already an absolute path), else the file `$AGENTLOG_PRICES` names, else
    /// `~/.agentlog/prices.json` when it exists. `absolute` turns a configured path into an
    /// absolute one (`~/` and relative paths).
    public static func forUser(explicit: String?, environment: (String) -> String?, absolute: (String) -> String) throws(OverrideError) -> PriceTable {
        if let explicit { return try loading(overridesAt: explicit) }
        if let configured = environment(environmentVariable), !configured.isEmpty { return try loading(overridesAt: absolute(configured)) }
        let home = environment("HOME").flatMap { $0.isEmpty ? nil : $0 } ?? "/"
        let standard = (home.hasSuffix("/") ? home : home + "/") + ".agentlog/prices.json"
        guard access(standard, F_OK) == 0 else { return builtIn }
        return try loading(overridesAt: standard)
    }
}
