import AgentLogJSON

/// Reads a user's price file (see ``PriceTable/loading(overridesAt:)``) with the validating
/// JSON scanner: pure, bytes in, prices out.
enum PriceFileParser {
    /// Why a price file cannot be used, as the end of a sentence.
    struct Failure: Error {
        var reason: String
    }

    /// The models a price file lists, priced in micro-dollars.
    static func models(in bytes: [UInt8]) throws(Failure) -> [String: ModelPrice] {
        try bytes.withUnsafeBytes { buffer in Result { () throws(Failure) in try models(in: JSONScanner(buffer)) } }.get()
    }

    private static func models(in json: JSONScanner) throws(Failure) -> [String: ModelPrice] {
        let document: JSONSpan
        do { document = try json.scanDocument() } catch { throw Failure(reason: "\(error)") }
        guard document.kind == .object else { throw Failure(reason: "the top level is not an object") }
        var top: [JSONScanner.Member] = []
        json.members(of: document, into: &top)
        guard let models = json.value("models", in: top), models.kind == .object else {
            throw Failure(reason: "\"models\" is missing or not an object")
        }
        var entries: [JSONScanner.Member] = []
        json.members(of: models, into: &entries)
        var prices: [String: ModelPrice] = [:]
        for entry in entries {
            guard let name = json.string(entry.key), !name.isEmpty else { throw Failure(reason: "a model has no name") }
            let fields = try object(entry.value, json, at: "models.\(name)")
            let rates = try Rates(fields, json, at: "models.\(name)")
            var long: LongContextPrice?
            if let span = json.value("longContext", in: fields), span.kind != .null {
                let longFields = try object(span, json, at: "models.\(name).longContext")
                let longRates = try Rates(longFields, json, at: "models.\(name).longContext")
                guard let value = json.value("threshold", in: longFields).flatMap(json.double), value == value.rounded(), value > 0,
                      value < 1e12, case let threshold = Int(value) else {
                    throw Failure(reason: "models.\(name).longContext.threshold must be a positive whole number of tokens")
                }
                long = .usd(over: threshold, longRates.input, longRates.output, write5m: longRates.write5m,
                            write1h: longRates.write1h, read: longRates.read)
            }
            prices[name] = .usd(rates.input, rates.output, write5m: rates.write5m, write1h: rates.write1h, read: rates.read, long: long)
        }
        return prices
    }

    /// One set of rates in USD per million tokens, cache prices defaulted from the input price.
    private struct Rates {
        var input, output, write5m, write1h, read: Double

        init(_ fields: [JSONScanner.Member], _ json: JSONScanner, at path: String) throws(Failure) {
            func rate(_ name: StaticString, default fallback: Double?) throws(Failure) -> Double {
                guard let span = json.value(name, in: fields), span.kind != .null else {
                    if let fallback { return fallback }
                    throw Failure(reason: "\(path).\(name) is missing")
                }
                guard let value = json.double(span), value >= 0, value < 1_000_000 else {
                    throw Failure(reason: "\(path).\(name) must be a number of US dollars per million tokens, from 0 to 1000000")
                }
                return value
            }
            input = try rate("input", default: nil)
            output = try rate("output", default: nil)
            write5m = try rate("cacheWrite5m", default: input * 1.25)
            write1h = try rate("cacheWrite1h", default: input * 2)
            read = try rate("cacheRead", default: input * 0.1)
        }
    }

    private static func object(_ span: JSONSpan, _ json: JSONScanner, at path: String) throws(Failure) -> [JSONScanner.Member] {
        guard span.kind == .object else { throw Failure(reason: "\(path) is not an object") }
        var members: [JSONScanner.Member] = []
        json.members(of: span, into: &members)
        return members
    }
}
