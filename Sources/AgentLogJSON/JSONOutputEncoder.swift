/// Encodes any `Encodable` value as a ``JSONOutput``, keys in the order the value encodes them
/// (so output is stable for scripts and tests; a `Dictionary` encodes in its own order, so
/// results use arrays or explicit members), without Foundation. A ``JSONOutput`` met inside
/// the value (a stored payload kept as `.raw`, an exact decimal as `.number`) is written as it is.
///
/// ```swift
/// struct Row: Encodable { var id = "s1"; var tokens = 12 }
/// let json = try JSONOutput.encoding(Row())   // {"id":"s1","tokens":12}
/// ```
extension JSONOutput {
    /// `value` as JSON. Optionals encoded with `encodeIfPresent` are left out; encode `nil`
    /// explicitly (`encode(nil as String?)`) to write `null`.
    public static func encoding(_ value: some Encodable) throws -> JSONOutput {
        let encoder = OutputEncoder(codingPath: [])
        try encoder.encodeValue(value)
        return encoder.box.resolved
    }

    /// `result` as a JSON document: `{"schema": "agentlog.<thing>.v1", …its members}`.
    public static func document<Result: SchemaResult>(_ result: Result) throws -> JSONOutput {
        guard case .object(let members) = try encoding(result) else {
            return .object([("schema", .string(Result.schema)), ("value", try encoding(result))])
        }
        return .object([("schema", .string(Result.schema))] + members.filter { $0.0 != "schema" })
    }
}

/// A query's answer as every interface writes it — the CLI's `--format json`, the HTTP API,
/// MCP — under the name of its JSON schema (`agentlog.sessions.v1`, …), which changes only
/// when a key changes meaning or goes.
public protocol SchemaResult: Encodable, Sendable {
    /// The schema's name, `agentlog.<thing>.v1`.
    static var schema: String { get }
}

extension JSONOutput: Encodable {
    /// Encodes the value itself: ``encoding(_:)`` keeps it as it is; another encoder (Foundation's
    /// `JSONEncoder`) gets its structure, with `.number` as a `Double` and `.raw` text as a string.
    public func encode(to encoder: any Encoder) throws {
        if let output = encoder as? OutputEncoder {
            output.set(self)
            return
        }
        switch self {
        case .object(let members):
            var container = encoder.container(keyedBy: MemberKey.self)
            for (key, value) in members { try container.encode(value, forKey: MemberKey(key)) }
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .string(let text), .raw(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .int(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .number(let text):
            var container = encoder.singleValueContainer()
            try container.encode(Double(text) ?? 0)
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        }
    }
}

/// An object member's name as a coding key.
private struct MemberKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Where one encoded value goes: a box that nested containers write into.
final class OutputBox {
    var value: JSONOutput = .null
    var members: [(String, OutputBox)]?
    var elements: [OutputBox]?

    /// The value, with nested containers resolved.
    var resolved: JSONOutput {
        if let members { return .object(members.map { ($0.0, $0.1.resolved) }) }
        if let elements { return .array(elements.map(\.resolved)) }
        return value
    }
}

final class OutputEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    let box = OutputBox()

    init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

    /// Makes the value encoded here `value` (a single value).
    func set(_ value: JSONOutput) {
        box.value = value
        box.members = nil
        box.elements = nil
    }

    func encodeValue(_ value: some Encodable) throws {
        if let output = value as? JSONOutput {
            set(output)
        } else {
            try value.encode(to: self)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if box.members == nil { box.members = [] }
        return KeyedEncodingContainer(KeyedOutputContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if box.elements == nil { box.elements = [] }
        return UnkeyedOutputContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleOutputContainer(encoder: self) }
}

/// The JSON of a primitive value.
private func primitive(_ value: Any) -> JSONOutput? {
    switch value {
    case let value as String: return .string(value)
    case let value as Bool: return .bool(value)
    case let value as Int: return .int(Int64(value))
    case let value as Int64: return .int(value)
    case let value as Int32: return .int(Int64(value))
    case let value as UInt32: return .int(Int64(value))
    case let value as Double: return value.isFinite ? .number("\(value)") : .null
    default: return nil
    }
}

/// Encodes `value` into a fresh box (at `key` under `encoder`).
private func encodeNested(_ value: some Encodable, under encoder: OutputEncoder, key: any CodingKey) throws -> OutputBox {
    if let simple = primitive(value) {
        let box = OutputBox()
        box.value = simple
        return box
    }
    let child = OutputEncoder(codingPath: encoder.codingPath + [key])
    try child.encodeValue(value)
    return child.box
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct KeyedOutputContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: OutputEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ key: Key, _ box: OutputBox) {
        if let index = encoder.box.members?.firstIndex(where: { $0.0 == key.stringValue }) {
            encoder.box.members?[index].1 = box
        } else {
            encoder.box.members?.append((key.stringValue, box))
        }
    }

    private func set(_ key: Key, _ value: JSONOutput) {
        let box = OutputBox()
        box.value = value
        set(key, box)
    }

    mutating func encodeNil(forKey key: Key) throws { set(key, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(key, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(key, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(key, primitive(value)!) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(key, primitive(Double(value))!) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(key, .int(Int64(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(key, .int(Int64(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(key, .int(Int64(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(key, .int(Int64(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(key, .int(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(key, .number("\(value)")) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(key, .int(Int64(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(key, .int(Int64(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(key, .int(Int64(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(key, .number("\(value)")) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let box = try encodeNested(value, under: encoder, key: key)
        set(key, box)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = OutputEncoder(codingPath: codingPath + [key])
        set(key, child.box)
        return child.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = OutputEncoder(codingPath: codingPath + [key])
        set(key, child.box)
        return child.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = OutputEncoder(codingPath: codingPath + [MemberKey("super")])
        if let index = encoder.box.members?.firstIndex(where: { $0.0 == "super" }) {
            encoder.box.members?[index].1 = child.box
        } else {
            encoder.box.members?.append(("super", child.box))
        }
        return child
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = OutputEncoder(codingPath: codingPath + [key])
        set(key, child.box)
        return child
    }
}

private struct UnkeyedOutputContainer: UnkeyedEncodingContainer {
    let encoder: OutputEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.box.elements?.count ?? 0 }

    private func append(_ value: JSONOutput) {
        let box = OutputBox()
        box.value = value
        encoder.box.elements?.append(box)
    }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(primitive(value)!) }
    mutating func encode(_ value: Float) throws { append(primitive(Double(value))!) }
    mutating func encode(_ value: Int) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { append(.int(value)) }
    mutating func encode(_ value: UInt) throws { append(.number("\(value)")) }
    mutating func encode(_ value: UInt8) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { append(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { append(.number("\(value)")) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let box = try encodeNested(value, under: encoder, key: IndexKey(count))
        encoder.box.elements?.append(box)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = OutputEncoder(codingPath: codingPath + [IndexKey(count)])
        encoder.box.elements?.append(child.box)
        return child.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = OutputEncoder(codingPath: codingPath + [IndexKey(count)])
        encoder.box.elements?.append(child.box)
        return child.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = OutputEncoder(codingPath: codingPath + [IndexKey(count)])
        encoder.box.elements?.append(child.box)
        return child
    }
}

private struct SingleOutputContainer: SingleValueEncodingContainer {
    let encoder: OutputEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ value: JSONOutput) { encoder.set(value) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(primitive(value)!) }
    mutating func encode(_ value: Float) throws { set(primitive(Double(value))!) }
    mutating func encode(_ value: Int) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { set(.int(value)) }
    mutating func encode(_ value: UInt) throws { set(.number("\(value)")) }
    mutating func encode(_ value: UInt8) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { set(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { set(.number("\(value)")) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        if let simple = primitive(value) {
            set(simple)
        } else {
            try encoder.encodeValue(value)
        }
    }
}
