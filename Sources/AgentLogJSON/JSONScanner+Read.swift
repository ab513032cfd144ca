#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONScanner {
    // MARK: - Walking validated values

    /// The members of an object that was already validated (an empty list for anything else).
    public func members(of object: JSONSpan, into members: inout [Member]) {
        members.removeAll(keepingCapacity: true)
        guard object.kind == .object else { return }
        var i = skipWhitespace(object.start + 1)
        while i < object.end, base[i] == UInt8(ascii: "\"") {
            let key = skipValidated(at: i)
            i = skipWhitespace(skipWhitespace(key.end) + 1)
            let value = skipValidated(at: i)
            members.append(Member(key: key, value: value))
            i = skipWhitespace(value.end)
            guard i < object.end, base[i] == UInt8(ascii: ",") else { return }
            i = skipWhitespace(i + 1)
        }
    }

    /// The elements of an array that was already validated (an empty list for anything else).
    public func elements(of array: JSONSpan, into elements: inout [JSONSpan]) {
        elements.removeAll(keepingCapacity: true)
        guard array.kind == .array else { return }
        var i = skipWhitespace(array.start + 1)
        while i < array.end, base[i] != UInt8(ascii: "]") {
            let value = skipValidated(at: i)
            elements.append(value)
            i = skipWhitespace(value.end)
            guard i < array.end, base[i] == UInt8(ascii: ",") else { return }
            i = skipWhitespace(i + 1)
        }
    }

    // MARK: - Skipping validated values

    /// Locates the value at `start` in bytes that ``scanObject(into:)`` already validated,
    /// without validating again: strings are skipped with `memchr`, so re-walking a line whose
    /// strings are megabytes long costs little.
    func skipValidated(at start: Int) -> JSONSpan {
        switch base[start] {
        case UInt8(ascii: "\""):
            let end = skipString(at: start)
            let hasEscapes = memchr(base + start + 1, Int32(UInt8(ascii: "\\")), end - start - 2) != nil
            return JSONSpan(start: start, end: end, kind: .string, hasEscapes: hasEscapes)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var i = start
            while i < count {
                let byte = base[i]
                if byte == UInt8(ascii: "\"") {
                    i = skipString(at: i)
                    continue
                }
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { return JSONSpan(start: start, end: i + 1, kind: base[start] == UInt8(ascii: "{") ? .object : .array) }
                }
                i += 1
            }
            return JSONSpan(start: start, end: count, kind: .object)
        case UInt8(ascii: "t"): return JSONSpan(start: start, end: start + 4, kind: .bool)
        case UInt8(ascii: "f"): return JSONSpan(start: start, end: start + 5, kind: .bool)
        case UInt8(ascii: "n"): return JSONSpan(start: start, end: start + 4, kind: .null)
        default:
            var i = start
            while i < count {
                let byte = base[i]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == 0x20
                    || byte == 0x0A || byte == 0x0D || byte == 0x09 { break }
                i += 1
            }
            return JSONSpan(start: start, end: i, kind: .number)
        }
    }

    /// The offset after the closing quote of the validated string that starts at `start`.
    private func skipString(at start: Int) -> Int {
        var i = start + 1
        while i < count, let found = memchr(base + i, Int32(UInt8(ascii: "\"")), count - i) {
            let quote = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            var backslashes = 0
            while quote - backslashes - 1 > start, base[quote - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
            if backslashes % 2 == 0 { return quote + 1 }
            i = quote + 1
        }
        return count
    }

    /// The value of the first member named `name` in `members`, searching from the end so that a
    /// repeated key resolves to its last occurrence, as JSON parsers usually do.
    public func value(_ name: StaticString, in members: [Member]) -> JSONSpan? {
        for member in members.reversed() where equals(member.key, name) {
            return member.value
        }
        return nil
    }

    /// Whether a string span's raw content is exactly `literal`.
    @inline(__always)
    public func equals(_ span: JSONSpan, _ literal: StaticString) -> Bool {
        guard span.kind == .string else { return false }
        let length = literal.utf8CodeUnitCount
        guard span.contentEnd - span.contentStart == length else { return false }
        return memcmp(base + span.contentStart, literal.utf8Start, length) == 0
    }

    // MARK: - Collecting text

    /// Appends a string span to `text` (after a blank line), cut so that `text` stays within
    /// `limit` UTF-8 bytes, and adds the span's whole decoded length (plus the separator) to
    /// `length`.
    public func append(_ span: JSONSpan, to text: inout String, length: inout Int, limit: Int) {
        let size = decodedByteCount(span)
        if length > 0 { length += 2 }
        length += size
        let room = limit - text.utf8.count
        guard room > 2, size > 0 else { return }
        if !text.isEmpty { text += "\n\n" }
        text += string(span, maxBytes: room - 2) ?? ""
    }

    /// ``append(_:to:length:limit:)`` for the `key` string of every object in an array, such as
    /// the text parts of a message's content.
    public func appendTexts(ofObjectsIn array: JSONSpan, key: StaticString, to text: inout String, length: inout Int, limit: Int) {
        var parts: [JSONSpan] = []
        elements(of: array, into: &parts)
        var fields: [Member] = []
        for part in parts where part.kind == .object {
            members(of: part, into: &fields)
            guard let value = value(key, in: fields), value.kind == .string else { continue }
            append(value, to: &text, length: &length, limit: limit)
        }
    }

    // MARK: - Decoding

    /// The decoded text of a string span; `nil` for any other kind.
    public func string(_ span: JSONSpan) -> String? {
        string(span, maxBytes: Int.max)
    }

    /// The decoded text of a string span cut to at most `maxBytes` UTF-8 bytes, on a character
    /// boundary; `nil` for a value that is not a string.
    public func string(_ span: JSONSpan, maxBytes: Int) -> String? {
        guard span.kind == .string else { return nil }
        let start = span.contentStart
        let end = span.contentEnd
        if !span.hasEscapes {
            var length = min(end - start, maxBytes)
            if length < end - start { length = utf8Boundary(base + start, length) }
            return String(decoding: UnsafeBufferPointer(start: base + start, count: length), as: UTF8.self)
        }
        var out: [UInt8] = []
        decode(span, maxBytes: maxBytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a string span into `out` (replacing its contents), cut to at most `maxBytes`
    /// UTF-8 bytes on a character boundary; runs without escapes are copied whole.
    public func decode(_ span: JSONSpan, maxBytes: Int, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        guard span.kind == .string else { return }
        let end = span.contentEnd
        out.reserveCapacity(min(end - span.contentStart, maxBytes))
        var i = span.contentStart
        while i < end, out.count < maxBytes {
            let runEnd = memchr(base + i, Int32(UInt8(ascii: "\\")), end - i)
                .map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? end
            if runEnd > i {
                let take = min(runEnd - i, maxBytes - out.count)
                out.append(contentsOf: UnsafeBufferPointer(start: base + i, count: take))
                i += take
                continue
            }
            let code = base[i + 1]
            i += 2
            switch code {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = hex4(at: i)
                i += 4
                if scalar >= 0xD800, scalar < 0xDC00, i + 6 <= end, base[i] == UInt8(ascii: "\\"), base[i + 1] == UInt8(ascii: "u") {
                    let low = hex4(at: i + 2)
                    if low >= 0xDC00, low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", to: &out)
            default: out.append(code)  // \" \\ \/
            }
        }
        if out.count > maxBytes {
            out.removeLast(out.count - maxBytes)
        }
        if i < end || out.count == maxBytes {
            let cut = out.withUnsafeBufferPointer { utf8Boundary($0.baseAddress!, $0.count) }
            out.removeLast(out.count - cut)
        }
    }

    /// The number of UTF-8 bytes a string span decodes to, without decoding it.
    public func decodedByteCount(_ span: JSONSpan) -> Int {
        guard span.kind == .string else { return 0 }
        let raw = span.contentEnd - span.contentStart
        guard span.hasEscapes else { return raw }
        var saved = 0
        var i = span.contentStart
        let end = span.contentEnd
        while i < end {
            guard let found = memchr(base + i, Int32(UInt8(ascii: "\\")), end - i) else { break }
            i = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            if base[i + 1] == UInt8(ascii: "u") {
                let scalar = hex4(at: i + 2)
                if scalar >= 0xD800, scalar < 0xDC00, i + 12 <= end, base[i + 6] == UInt8(ascii: "\\"), base[i + 7] == UInt8(ascii: "u"),
                   (0xDC00..<0xE000).contains(hex4(at: i + 8)) {
                    saved += 12 - 4
                    i += 12
                    continue
                }
                saved += 6 - (scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : 3)
                i += 6
            } else {
                saved += 1
                i += 2
            }
        }
        return raw - saved
    }

    /// The integer value of a number span (fractions are truncated); `nil` for other kinds.
    public func int(_ span: JSONSpan) -> Int? {
        guard span.kind == .number else { return nil }
        var i = span.start
        var negative = false
        if base[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var value = 0
        while i < span.end {
            let digit = base[i] &- UInt8(ascii: "0")
            guard digit < 10 else {
                // A fraction or an exponent: fall back to floating point.
                let text = String(decoding: UnsafeBufferPointer(start: base + span.start, count: span.end - span.start), as: UTF8.self)
                guard let double = Double(text), double.isFinite, abs(double) < 9e18 else { return nil }
                return Int(double)
            }
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(Int(digit))
            if overflowA || overflowB { return nil }
            value = sum
            i += 1
        }
        return negative ? -value : value
    }

    /// The value of a number span as a finite `Double`; `nil` for other kinds and for numbers
    /// out of `Double`'s range.
    public func double(_ span: JSONSpan) -> Double? {
        guard span.kind == .number,
              let value = Double(String(decoding: UnsafeBufferPointer(start: base + span.start, count: span.end - span.start), as: UTF8.self)),
              value.isFinite else { return nil }
        return value
    }

    /// The value of a `true`/`false` span; `nil` for other kinds.
    public func bool(_ span: JSONSpan) -> Bool? {
        guard span.kind == .bool else { return nil }
        return base[span.start] == UInt8(ascii: "t")
    }

    /// The raw bytes of any span, as text (for keeping a JSON value verbatim).
    public func raw(_ span: JSONSpan, maxBytes: Int = Int.max) -> String {
        var length = min(span.end - span.start, maxBytes)
        if length < span.end - span.start { length = utf8Boundary(base + span.start, length) }
        return String(decoding: UnsafeBufferPointer(start: base + span.start, count: length), as: UTF8.self)
    }

    @inline(__always)
    private func hex4(at i: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 { value = value << 4 | (hexValue(base[i + k]) ?? 0) }
        return value
    }
}

/// The largest length ≤ `length` that does not end inside a UTF-8 sequence.
@inline(__always)
func utf8Boundary(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> Int {
    var cut = length
    var back = 0
    while cut > 0, back < 4, bytes[cut - 1] & 0xC0 == 0x80 {
        cut -= 1
        back += 1
    }
    guard cut > 0 else { return length }
    let lead = bytes[cut - 1]
    let needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
    return needed == back + 1 ? length : cut - 1 + (lead < 0x80 ? 1 : 0)
}

@inline(__always)
func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
    let value = scalar.value
    switch value {
    case 0..<0x80: out.append(UInt8(value))
    case 0x80..<0x800:
        out.append(UInt8(0xC0 | value >> 6))
        out.append(UInt8(0x80 | value & 0x3F))
    case 0x800..<0x10000:
        out.append(UInt8(0xE0 | value >> 12))
        out.append(UInt8(0x80 | value >> 6 & 0x3F))
        out.append(UInt8(0x80 | value & 0x3F))
    default:
        out.append(UInt8(0xF0 | value >> 18))
        out.append(UInt8(0x80 | value >> 12 & 0x3F))
        out.append(UInt8(0x80 | value >> 6 & 0x3F))
        out.append(UInt8(0x80 | value & 0x3F))
    }
}
