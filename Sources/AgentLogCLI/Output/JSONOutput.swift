import AgentLogIngest

/// A JSON value written with keys in the order given, so `"schema"` comes first and output is
/// stable for scripts and tests.
public indirect enum JSONOutput: Sendable, Equatable {
    case object([(String, JSONOutput)])
    case array([JSONOutput])
    case string(String)
    case int(Int64)
    /// A number written exactly as given (e.g. `12.345678` for micro-dollar amounts).
    case number(String)
    case bool(Bool)
    case null

    public static func == (lhs: JSONOutput, rhs: JSONOutput) -> Bool { lhs.text() == rhs.text() }

    static func int(_ value: Int) -> JSONOutput { .int(Int64(value)) }
    static func optional(_ value: String?) -> JSONOutput { value.map { .string($0) } ?? .null }
    static func optional(_ value: Int64?) -> JSONOutput { value.map { .int($0) } ?? .null }
    /// An ISO-8601 time, or null.
    static func time(_ milliseconds: Int64?) -> JSONOutput {
        milliseconds.map { .string(Timestamp.iso8601(milliseconds: $0)) } ?? .null
    }
    /// Micro-dollars as a decimal number of dollars.
    static func usd(micros: Int64) -> JSONOutput { .number(Money.decimalString(micros: micros)) }

    /// A cost, or null when none of it could be priced (unknown models): never a silent zero.
    static func cost(pico: Int64, fullyPriced: Bool) -> JSONOutput {
        !fullyPriced && pico == 0 ? .null : .usd(micros: Money.micros(fromPico: pico))
    }

    /// The value as JSON text; `indent` pretty-prints with that many spaces.
    public func text(indent: Int? = 2) -> String {
        var out = ""
        write(to: &out, indent: indent, level: 0)
        return out
    }

    private func write(to out: inout String, indent: Int?, level: Int) {
        let newline = indent == nil ? "" : "\n"
        let pad = { (depth: Int) in String(repeating: " ", count: (indent ?? 0) * depth) }
        switch self {
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{" + newline
            for (index, (key, value)) in members.enumerated() {
                out += pad(level + 1)
                Self.writeString(key, to: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: indent, level: level + 1)
                out += (index + 1 < members.count ? "," : "") + newline
            }
            out += pad(level) + "}"
        case .array(let values):
            guard !values.isEmpty else { out += "[]"; return }
            out += "[" + newline
            for (index, value) in values.enumerated() {
                out += pad(level + 1)
                value.write(to: &out, indent: indent, level: level + 1)
                out += (index + 1 < values.count ? "," : "") + newline
            }
            out += pad(level) + "]"
        case .string(let value): Self.writeString(value, to: &out)
        case .int(let value): out += String(value)
        case .number(let value): out += value
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        }
    }

    private static func writeString(_ value: String, to out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
