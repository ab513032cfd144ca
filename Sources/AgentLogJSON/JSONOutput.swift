/// A JSON value written with keys in the order given, so `"schema"` comes first and output is
/// stable for scripts and tests.
///
/// It lives here, without Foundation, for every writer of JSON: the CLI's output, the demo's
/// transcript lines, the hook's answers.
public indirect enum JSONOutput: Sendable, Equatable {
    /// An object, members in this order.
    case object([(String, JSONOutput)])
    /// An array.
    case array([JSONOutput])
    /// A string (escaped as JSON requires).
    case string(String)
    /// An integer.
    case int(Int64)
    /// A number written exactly as given (e.g. `12.345678` for micro-dollar amounts).
    case number(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// JSON text written as it is (a stored payload, validated when it was received).
    case raw(String)

    /// Two values are equal when they are written the same.
    public static func == (lhs: JSONOutput, rhs: JSONOutput) -> Bool { lhs.text() == rhs.text() }

    /// An integer.
    public static func int(_ value: Int) -> JSONOutput { .int(Int64(value)) }
    /// A finite number as Swift writes it (`12.5`, `35.0`); null for infinities and NaN.
    public static func double(_ value: Double) -> JSONOutput { value.isFinite ? .number("\(value)") : .null }
    /// A string, or null.
    public static func optional(_ value: String?) -> JSONOutput { value.map { .string($0) } ?? .null }
    /// An integer, or null.
    public static func optional(_ value: Int64?) -> JSONOutput { value.map { .int($0) } ?? .null }

    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        writeString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
    /// The value as JSON text; `indent` pretty-prints with that many spaces.
    public func text(indent: Int? = 2) -> String {
        String(decoding: utf8(indent: indent), as: UTF8.self)
    }

    /// The value as UTF-8 JSON bytes (written straight into one buffer: megabytes of transcript
    /// text take milliseconds).
    public func utf8(indent: Int? = 2, capacity: Int = 4096) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(capacity)
        write(to: &out, indent: indent, level: 0)
        return out
    }

    private static func newline(_ out: inout [UInt8], indent: Int?, level: Int) {
        guard let indent else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent * level))
    }

    private func write(to out: inout [UInt8], indent: Int?, level: Int) {
        switch self {
        case .object(let members):
            guard !members.isEmpty else { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent: indent, level: level + 1)
                Self.writeString(key, to: &out)
                out.append(contentsOf: indent == nil ? [UInt8(ascii: ":")] : [UInt8(ascii: ":"), 0x20])
                value.write(to: &out, indent: indent, level: level + 1)
            }
            Self.newline(&out, indent: indent, level: level)
            out.append(UInt8(ascii: "}"))
        case .array(let values):
            guard !values.isEmpty else { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent: indent, level: level + 1)
                value.write(to: &out, indent: indent, level: level + 1)
            }
            Self.newline(&out, indent: indent, level: level)
            out.append(UInt8(ascii: "]"))
        case .string(let value): Self.writeString(value, to: &out)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .number(let value): out.append(contentsOf: value.utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .raw(let text): out.append(contentsOf: text.utf8)
        }
    }

    /// A JSON string: runs of bytes that need no escaping are copied whole, found eight bytes
    /// at a time.
    private static func writeString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var start = 0
            var index = 0
            while index < bytes.count {
                // Skip whole words with no control character, quote or backslash.
                while index + 8 <= bytes.count {
                    let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                    if needsEscape(word) { break }
                    index += 8
                }
                guard index < bytes.count else { break }
                let byte = bytes[index]
                index += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]))
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
                case UInt8(ascii: "\r"): out.append(contentsOf: "\\r".utf8)
                case UInt8(ascii: "\t"): out.append(contentsOf: "\\t".utf8)
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0xF)])
                }
                start = index
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes of `word` is below 0x20, a quote or a backslash (bytes of
    /// 0x80 and above, in UTF-8 sequences, never are).
    @inline(__always)
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let below20 = (word &- ones &* 0x20) & ~word & highs != 0
        return below20 || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
    }
}
