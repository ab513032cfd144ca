#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A validating JSON scanner that locates values inside one line of bytes without building a
/// document tree.
///
/// Transcript lines reach megabytes, and the store needs a few dozen fields of each. The scanner
/// validates a whole line in one pass (strict JSON as Python's `json.loads` accepts it: UTF-8,
/// no control characters inside strings, nesting up to ``maxDepth``), records where the members
/// of the top-level object are, and decodes only the values a parser asks for.
///
/// ```swift
/// let line = Array(#"{"type":"user","n":3}"#.utf8)
/// line.withUnsafeBytes { bytes in
///     let scanner = JSONScanner(bytes)
///     var members: [JSONScanner.Member] = []
///     try scanner.scanObject(into: &members)
///     scanner.string(members[0].value) // "user"
/// }
/// ```
///
/// The scanner borrows its buffer: use it, and the spans it returns, only inside the
/// `withUnsafeBytes` closure that provided the buffer.
public struct JSONScanner {
    /// One member of an object: where its key and its value are.
    public struct Member: Sendable {
        /// The key, a string span (quotes included).
        public var key: JSONSpan
        /// The member's value.
        public var value: JSONSpan
    }

    /// Deeper nesting is rejected rather than risking the stack.
    public static let maxDepth = 512

    /// The first byte of the scanned buffer; spans are offsets from it.
    public let base: UnsafePointer<UInt8>
    /// The buffer's length in bytes.
    public let count: Int

    /// A scanner over `buffer`, which it borrows without copying.
    public init(_ buffer: UnsafeRawBufferPointer) {
        if let address = buffer.baseAddress {
            base = address.assumingMemoryBound(to: UInt8.self)
        } else {
            base = UnsafePointer(bitPattern: 1)!  // never dereferenced: count is 0
        }
        count = buffer.count
    }

    // MARK: - Validation

    /// Validates the whole buffer as one JSON object (surrounding whitespace allowed) and writes
    /// the members of that object into `members` (which is emptied first).
    public func scanObject(into members: inout [Member]) throws(JSONSyntaxError) {
        var nested: [Member] = []
        try scanObject(into: &members, nestedIn: nil, into: &nested)
    }

    /// ``scanObject(into:)`` that also writes the members of the object held by the top-level
    /// member `key` (the last one, when the name repeats) into `nested`, in the same pass, so
    /// that a parser need not walk that object again. `nested` is empty when that member is
    /// missing or not an object.
    public func scanObject(into members: inout [Member], nestedIn key: StaticString?, into nested: inout [Member]) throws(JSONSyntaxError) {
        members.removeAll(keepingCapacity: true)
        nested.removeAll(keepingCapacity: true)
        var i = skipWhitespace(0)
        guard i < count else { throw JSONSyntaxError(offset: i, reason: "empty line") }
        guard base[i] == UInt8(ascii: "{") else {
            throw JSONSyntaxError(offset: i, reason: "line is not a JSON object")
        }
        let object = try scanObject(at: i, depth: 1, collect: true, into: &members, nestedIn: key, into: &nested)
        i = skipWhitespace(object.end)
        guard i == count else { throw JSONSyntaxError(offset: i, reason: "unexpected data after the JSON value") }
    }

    /// Validates the whole buffer as one JSON value of any kind (surrounding whitespace
    /// allowed) and returns where it is.
    public func scanDocument() throws(JSONSyntaxError) -> JSONSpan {
        let value = try scanValue(at: skipWhitespace(0))
        let end = skipWhitespace(value.end)
        guard end == count else { throw JSONSyntaxError(offset: end, reason: "unexpected data after the JSON value") }
        return value
    }

    /// Whether `text` is one JSON value, as ``scanDocument()`` accepts it.
    public static func isDocument(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in (try? JSONScanner(UnsafeRawBufferPointer(bytes)).scanDocument()) != nil }
    }

    /// Validates the value that starts at `offset` and returns where it ends.
    public func scanValue(at offset: Int, depth: Int = 0) throws(JSONSyntaxError) -> JSONSpan {
        guard offset < count else { throw JSONSyntaxError(offset: offset, reason: "unexpected end of line") }
        switch base[offset] {
        case UInt8(ascii: "\""): return try scanString(at: offset)
        case UInt8(ascii: "{"):
            var ignored: [Member] = []
            return try scanObject(at: offset, depth: depth + 1, collect: false, into: &ignored)
        case UInt8(ascii: "["): return try scanArray(at: offset, depth: depth + 1)
        case UInt8(ascii: "t"): return try scanLiteral("true", at: offset, kind: .bool)
        case UInt8(ascii: "f"): return try scanLiteral("false", at: offset, kind: .bool)
        case UInt8(ascii: "n"): return try scanLiteral("null", at: offset, kind: .null)
        case UInt8(ascii: "N"): return try scanLiteral("NaN", at: offset, kind: .number)
        case UInt8(ascii: "I"): return try scanLiteral("Infinity", at: offset, kind: .number)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try scanNumber(at: offset)
        default: throw JSONSyntaxError(offset: offset, reason: "unexpected character")
        }
    }

    @inline(__always)
    func skipWhitespace(_ start: Int) -> Int {
        var i = start
        while i < count {
            let byte = base[i]
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { break }
            i += 1
        }
        return i
    }

    private func scanObject(at start: Int, depth: Int, collect: Bool, into members: inout [Member]) throws(JSONSyntaxError) -> JSONSpan {
        var nested: [Member] = []
        return try scanObject(at: start, depth: depth, collect: collect, into: &members, nestedIn: nil, into: &nested)
    }

    private func scanObject(at start: Int, depth: Int, collect: Bool, into members: inout [Member],
                            nestedIn nestedKey: StaticString?, into nested: inout [Member]) throws(JSONSyntaxError) -> JSONSpan {
        guard depth <= Self.maxDepth else { throw JSONSyntaxError(offset: start, reason: "nesting deeper than \(Self.maxDepth)") }
        var i = skipWhitespace(start + 1)
        if i < count, base[i] == UInt8(ascii: "}") {
            return JSONSpan(start: start, end: i + 1, kind: .object)
        }
        while true {
            guard i < count else { throw JSONSyntaxError(offset: i, reason: "unexpected end of line inside an object") }
            guard base[i] == UInt8(ascii: "\"") else { throw JSONSyntaxError(offset: i, reason: "expected a member name") }
            let key = try scanString(at: i)
            i = skipWhitespace(key.end)
            guard i < count, base[i] == UInt8(ascii: ":") else { throw JSONSyntaxError(offset: i, reason: "expected ':' after a member name") }
            i = skipWhitespace(i + 1)
            let value: JSONSpan
            if let nestedKey, equals(key, nestedKey) {
                nested.removeAll(keepingCapacity: true)
                if i < count, base[i] == UInt8(ascii: "{") {
                    value = try scanObject(at: i, depth: depth + 1, collect: true, into: &nested)
                } else {
                    value = try scanValue(at: i, depth: depth)
                }
            } else {
                value = try scanValue(at: i, depth: depth)
            }
            if collect { members.append(Member(key: key, value: value)) }
            i = skipWhitespace(value.end)
            guard i < count else { throw JSONSyntaxError(offset: i, reason: "unexpected end of line inside an object") }
            if base[i] == UInt8(ascii: ",") {
                i = skipWhitespace(i + 1)
                continue
            }
            guard base[i] == UInt8(ascii: "}") else { throw JSONSyntaxError(offset: i, reason: "expected ',' or '}' in an object") }
            return JSONSpan(start: start, end: i + 1, kind: .object)
        }
    }

    private func scanArray(at start: Int, depth: Int) throws(JSONSyntaxError) -> JSONSpan {
        guard depth <= Self.maxDepth else { throw JSONSyntaxError(offset: start, reason: "nesting deeper than \(Self.maxDepth)") }
        var i = skipWhitespace(start + 1)
        if i < count, base[i] == UInt8(ascii: "]") {
            return JSONSpan(start: start, end: i + 1, kind: .array)
        }
        while true {
            let value = try scanValue(at: i, depth: depth)
            i = skipWhitespace(value.end)
            guard i < count else { throw JSONSyntaxError(offset: i, reason: "unexpected end of line inside an array") }
            if base[i] == UInt8(ascii: ",") {
                i = skipWhitespace(i + 1)
                continue
            }
            guard base[i] == UInt8(ascii: "]") else { throw JSONSyntaxError(offset: i, reason: "expected ',' or ']' in an array") }
            return JSONSpan(start: start, end: i + 1, kind: .array)
        }
    }

    private func scanLiteral(_ literal: StaticString, at start: Int, kind: JSONSpan.Kind) throws(JSONSyntaxError) -> JSONSpan {
        let length = literal.utf8CodeUnitCount
        guard start + length <= count, memcmp(base + start, literal.utf8Start, length) == 0 else {
            throw JSONSyntaxError(offset: start, reason: "invalid literal")
        }
        return JSONSpan(start: start, end: start + length, kind: kind)
    }

    private func scanNumber(at start: Int) throws(JSONSyntaxError) -> JSONSpan {
        var i = start
        if base[i] == UInt8(ascii: "-") {
            i += 1
            if i < count, base[i] == UInt8(ascii: "I") {
                let literal = try scanLiteral("Infinity", at: i, kind: .number)
                return JSONSpan(start: start, end: literal.end, kind: .number)
            }
        }
        guard i < count, isDigit(base[i]) else { throw JSONSyntaxError(offset: i, reason: "invalid number") }
        if base[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < count, isDigit(base[i]) { i += 1 }
        }
        if i < count, base[i] == UInt8(ascii: ".") {
            i += 1
            guard i < count, isDigit(base[i]) else { throw JSONSyntaxError(offset: i, reason: "invalid number") }
            while i < count, isDigit(base[i]) { i += 1 }
        }
        if i < count, base[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < count, base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") { i += 1 }
            guard i < count, isDigit(base[i]) else { throw JSONSyntaxError(offset: i, reason: "invalid number") }
            while i < count, isDigit(base[i]) { i += 1 }
        }
        return JSONSpan(start: start, end: i, kind: .number)
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Scans a string, eight bytes at a time while no byte needs a closer look (a quote, a
    /// backslash, a control character or a non-ASCII byte), validating escapes and UTF-8.
    private func scanString(at start: Int) throws(JSONSyntaxError) -> JSONSpan {
        var i = start + 1
        var escapes = false
        while true {
            while i &+ 8 <= count {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if Self.needsAttention(word) { break }
                i &+= 8
            }
            guard i < count else { throw JSONSyntaxError(offset: i, reason: "unterminated string") }
            let byte = base[i]
            if byte == UInt8(ascii: "\"") {
                return JSONSpan(start: start, end: i + 1, kind: .string, hasEscapes: escapes)
            } else if byte == UInt8(ascii: "\\") {
                escapes = true
                guard i + 1 < count else { throw JSONSyntaxError(offset: i, reason: "unterminated string") }
                let code = base[i + 1]
                if code == UInt8(ascii: "n") || code == UInt8(ascii: "\"") || code == UInt8(ascii: "\\") || code == UInt8(ascii: "t") {
                    i &+= 2
                } else {
                    i = try scanEscape(at: i)
                }
            } else if byte < 0x20 {
                throw JSONSyntaxError(offset: i, reason: "control character inside a string")
            } else if byte < 0x80 {
                i &+= 1
            } else {
                i = try scanUTF8Sequence(at: i)
            }
        }
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    static func needsAttention(_ word: UInt64) -> Bool {
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (word &- ones &* 0x20) & ~word
        return ((hasQuote | hasBackslash | hasControl) & highs) | (word & highs) != 0
    }

    private func scanEscape(at start: Int) throws(JSONSyntaxError) -> Int {
        guard start + 1 < count else { throw JSONSyntaxError(offset: start, reason: "unterminated string") }
        switch base[start + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return start + 2
        case UInt8(ascii: "u"):
            guard start + 6 <= count else { throw JSONSyntaxError(offset: start, reason: "invalid \\u escape") }
            for k in 2..<6 where hexValue(base[start + k]) == nil {
                throw JSONSyntaxError(offset: start, reason: "invalid \\u escape")
            }
            return start + 6
        default:
            throw JSONSyntaxError(offset: start, reason: "invalid escape")
        }
    }

    @inline(__always)
    func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// Validates one multi-byte UTF-8 sequence (Unicode Table 3-7) and returns the offset after it.
    private func scanUTF8Sequence(at start: Int) throws(JSONSyntaxError) -> Int {
        let lead = base[start]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw JSONSyntaxError(offset: start, reason: "invalid UTF-8")
        }
        guard start + length <= count else { throw JSONSyntaxError(offset: start, reason: "invalid UTF-8") }
        let second = base[start + 1]
        guard second >= low, second <= high else { throw JSONSyntaxError(offset: start, reason: "invalid UTF-8") }
        for k in 2..<length where base[start + k] & 0xC0 != 0x80 {
            throw JSONSyntaxError(offset: start, reason: "invalid UTF-8")
        }
        return start + length
    }
}
