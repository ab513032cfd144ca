import AgentLogHistory
import Foundation
import Hummingbird

/// A request's query parameters, read with the same rules as the CLI's options; a bad value is
/// an ``APIError`` (400) naming the parameter.
struct QueryParameters {
    let values: [String: String]
    /// Whether an empty value counts as absent: true for the dashboard's forms (an empty field
    /// is sent as `name=`), false for the API, where `limit=` is as wrong as `limit=abc`.
    let emptyIsAbsent: Bool

    /// The query of `request`, decoded once as a form is (`+` is a space, then `%XX`); a
    /// malformed escape is kept as written. The last of repeated names wins.
    init(_ request: Request, emptyIsAbsent: Bool = false) {
        self.emptyIsAbsent = emptyIsAbsent
        var values: [String: String] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values[Self.decode(parts[0])] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
        self.values = values
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Refuses a parameter this route does not know (a typo silently ignored is worse).
    func allowOnly(_ names: Set<String>) throws(APIError) {
        if let unknown = values.keys.sorted().first(where: { !names.contains($0) }) {
            throw .badParameter(unknown, "Unknown parameter '\(unknown)'; this route takes \(names.sorted().joined(separator: ", ")).")
        }
    }

    /// A text value (empty is absent where ``emptyIsAbsent``).
    func string(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty && emptyIsAbsent ? nil : $0 }
    }

    /// A whole number in `range`, or `fallback`.
    func int(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(APIError) -> Int {
        guard let text = string(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw .badParameter(name, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text.prefix(40))'.")
        }
        return value
    }

    /// An optional non-negative whole number (an event `seq`, an id).
    func count(_ name: String) throws(APIError) -> Int64? {
        guard let text = string(name) else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw .badParameter(name, "\(name) must be a whole number of 0 or more, not '\(text.prefix(40))'.")
        }
        return value
    }

    /// `true` for `true`/`1`, `false` when absent or `false`/`0`.
    func flag(_ name: String) throws(APIError) -> Bool {
        switch string(name)?.lowercased() {
        case nil, "false", "0": return false
        case "true", "1": return true
        case let other?: throw .badParameter(name, "\(name) must be true or false, not '\(other.prefix(40))'.")
        }
    }

    /// One of `choices`, or `fallback`.
    func choice(_ name: String, _ choices: [String], default fallback: String? = nil) throws(APIError) -> String? {
        guard let text = string(name) else { return fallback }
        guard choices.contains(text) else {
            throw .badParameter(name, "\(name) must be one of \(choices.joined(separator: ", ")), not '\(text.prefix(40))'.")
        }
        return text
    }

    /// The time zone `timezone` names, or this machine's.
    func timeZone() throws(APIError) -> TimeZone {
        guard let name = string("timezone") else { return .current }
        guard let zone = TimeZone(identifier: name) ?? TimeZone(abbreviation: name) else {
            throw .badParameter("timezone", "Unknown time zone '\(name.prefix(40))'; use a name like Europe/Berlin or UTC.")
        }
        return zone
    }

    /// `since`, `until` (days, in `timezone`), `agent` and `project`, as the CLI's range options.
    func usageFilter() throws(APIError) -> UsageFilter {
        let zone = try timeZone()
        let agent = try choice("agent", ["claude", "codex", "gemini", "all"], default: "all")!
        var filter = UsageFilter(agents: agent == "all" ? [] : [agent], project: string("project"))
        for (name, offset) in [("since", 0), ("until", 1)] {
            guard let text = string(name) else { continue }
            guard let start = UsageFilter.dayStart(text, zone: zone, dayOffset: offset) else {
                throw .badParameter(name, "\(name) '\(text.prefix(40))' is not a date; use YYYY-MM-DD or YYYYMMDD.")
            }
            if name == "since" { filter.since = start } else { filter.until = start }
        }
        if let since = filter.since, let until = filter.until, until <= since {
            throw .badParameter("until", "until is before since.")
        }
        return filter
    }

    /// The parameter names ``usageFilter()`` reads.
    static let rangeNames: Set<String> = ["since", "until", "timezone", "agent", "project"]
}

extension Parameters {
    /// The path parameter `name`, percent-decoded, or a 400 naming it when it is empty, longer
    /// than `limit` or, with `plain`, not letters, digits, `.`, `_` and `-`.
    func decoded(_ name: String, limit: Int = 200, plain: Bool = false) throws(APIError) -> String {
        let raw = get(name) ?? ""
        let value = raw.removingPercentEncoding ?? raw
        guard !value.isEmpty, value.count <= limit else {
            throw .badParameter(name, "\(name) must be 1 to \(limit) characters.")
        }
        if plain, !value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            throw .badParameter(name, "\(name) may hold letters, digits, '.', '_' and '-' only, not '\(value.prefix(40))'.")
        }
        return value
    }
}
