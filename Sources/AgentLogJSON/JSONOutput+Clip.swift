extension JSONOutput {
    /// The value with every string longer than `limit` characters cut to its first `limit`
    /// and a note of how much was cut: a value that must fit a budget keeps its shape.
    public func clippingStrings(to limit: Int) -> JSONOutput {
        switch self {
        case .object(let members): return .object(members.map { ($0.0, $0.1.clippingStrings(to: limit)) })
        case .array(let elements): return .array(elements.map { $0.clippingStrings(to: limit) })
        case .string(let text) where text.count > limit:
            return .string(String(text.prefix(limit)) + "… [\(text.count - limit) more characters]")
        default: return self
        }
    }

    /// The length of the compact JSON text, in bytes.
    public var compactLength: Int { utf8(indent: nil).count }
}
