import AgentLogJSON

/// A record's attributes (with its scope's and resource's under them) by key, read with the
/// leniency exporters need: Claude Code sends some numbers as strings (`"120"`), others as
/// `intValue` or `doubleValue`.
struct OTLPAttributes {
    private var values: [String: OTLPAnyValue] = [:]

    /// The attributes of `layers`, later layers winning (resource, scope, record).
    init(_ layers: [OTLPKeyValue]...) {
        for layer in layers {
            for pair in layer where pair.hasValue { values[pair.key] = pair.value }
        }
    }

    /// Text: a string, or a number or boolean written out.
    func string(_ key: String) -> String? {
        guard let value = values[key]?.value else { return nil }
        switch value {
        case .stringValue(let text): return text
        case .intValue(let number): return String(number)
        case .doubleValue(let number): return String(number)
        case .boolValue(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    /// A count (tokens, ms, an attempt): a non-negative whole number up to
    /// ``JSONScanner/maxCount``; nil when absent, an error naming the attribute otherwise.
    func count(_ key: String) throws(OTLPRecordProblem) -> Int64? {
        guard let value = values[key]?.value else { return nil }
        switch value {
        case .intValue(let number):
            if number >= 0, number <= JSONScanner.maxCount { return number }
        case .doubleValue(let number):
            if number >= 0, number <= Double(JSONScanner.maxCount), number.rounded() == number { return Int64(number) }
        case .stringValue(let text):
            if let number = Int64(text.trimmed), number >= 0, number <= JSONScanner.maxCount { return number }
        default: break
        }
        throw OTLPRecordProblem("\(key) is not a non-negative whole number up to \(JSONScanner.maxCount) (\(describe(value)))")
    }

    /// An amount (dollars): a finite number from 0 to `limit`; nil when absent.
    func amount(_ key: String, limit: Double) throws(OTLPRecordProblem) -> Double? {
        guard let value = values[key]?.value else { return nil }
        let number: Double?
        switch value {
        case .doubleValue(let double): number = double
        case .intValue(let int): number = Double(int)
        case .stringValue(let text): number = Double(text.trimmed)
        default: number = nil
        }
        if let number, number.isFinite, number >= 0, number <= limit { return number }
        throw OTLPRecordProblem("\(key) is not a number from 0 to \(Int(limit)) (\(describe(value)))")
    }

    /// A short, bounded account of a value for an error message.
    private func describe(_ value: OTLPAnyValue.OneOf_Value) -> String {
        switch value {
        case .stringValue(let text): return "'\(text.prefix(40))\(text.count > 40 ? "…" : "")'"
        case .intValue(let number): return String(number)
        case .doubleValue(let number): return String(number)
        case .boolValue(let flag): return flag ? "true" : "false"
        case .arrayValue: return "an array"
        case .kvlistValue: return "a key-value list"
        case .bytesValue: return "bytes"
        }
    }
}

/// Why one log record or data point was refused: a phrase naming the attribute.
struct OTLPRecordProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

extension String {
    /// The text without spaces around it.
    var trimmed: String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
