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
    /// What kind of value the span holds.
    public var kind: Kind
    /// For strings: whether the string holds at least one backslash escape.
    public var hasEscapes: Bool

    /// A span of the bytes `start..<end` holding a value of `kind`.
    public init(start: Int, end: Int, kind: Kind, hasEscapes: Bool = false) {
        self.start = start
        self.end = end
        self.kind = kind
        self.hasEscapes = hasEscapes
    }

    /// The bytes of a string's content, without its quotes.
    public var contentStart: Int { kind == .string ? start + 1 : start }
    /// Offset one past the content: before the closing quote for a string, else ``end``.
    public var contentEnd: Int { kind == .string ? end - 1 : end }
}

/// Why a line is not valid JSON; the message names the byte offset at fault.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset in the line where the error was found.
    public var offset: Int
    /// What is wrong there, in a few words.
    public var reason: String

    /// An error at byte `offset` for `reason`.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reason) at byte \(offset)" }
}
