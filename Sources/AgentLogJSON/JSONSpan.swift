/// Where one JSON value sits inside a line: a byte range and what kind of value it is.
///
/// Spans are produced by ``JSONScanner`` after it has validated the bytes, so reading a span
/// back (``JSONScanner/string(_:)``, ``JSONScanner/int(_:)``) never fails on syntax.
public struct JSONSpan: Sendable, Equatable {
    /// The kind of a JSON value.
    public enum Kind: UInt8, Sendable {
        case object, array, string, number, bool, null
    }

    /// Offset of the first byte of the value (the opening quote for a string).
    public var start: Int
    /// Offset one past the last byte of the value.
    public var end: Int
    public var kind: Kind
    /// For strings: whether the string holds at least one backslash escape.
    public var hasEscapes: Bool

    public init(start: Int, end: Int, kind: Kind, hasEscapes: Bool = false) {
        self.start = start
        self.end = end
        self.kind = kind
        self.hasEscapes = hasEscapes
    }

    /// The bytes of a string's content, without its quotes.
    public var contentStart: Int { kind == .string ? start + 1 : start }
    public var contentEnd: Int { kind == .string ? end - 1 : end }
}

/// Why a line is not valid JSON; the message names the byte offset at fault.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reason) at byte \(offset)" }
}
