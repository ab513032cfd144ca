import MCP

/// One argument a tool takes: its JSON Schema and the rule that reads it come from this one
/// declaration, so what `tools/list` promises is what `tools/call` checks.
struct ToolArgument: Sendable {
    /// What kind of value it takes.
    enum Kind: Sendable {
        /// Text of at most this many characters.
        case text(maxLength: Int)
        /// A whole number in this range.
        case integer(ClosedRange<Int>)
        /// true or false.
        case boolean
        /// One of these words.
        case choice([String])
        /// A list of texts, each of at most 4,096 characters, at most this many of them.
        case texts(maxItems: Int)
    }

    let name: String
    let kind: Kind
    let description: String
    var required = false

    /// The argument's JSON Schema.
    var schema: Value {
        var members: [String: Value] = ["description": .string(description)]
        switch kind {
        case .text(let maxLength):
            members["type"] = "string"
            members["minLength"] = 1
            members["maxLength"] = .int(maxLength)
        case .integer(let range):
            members["type"] = "integer"
            members["minimum"] = .int(range.lowerBound)
            members["maximum"] = .int(range.upperBound)
        case .boolean:
            members["type"] = "boolean"
        case .choice(let words):
            members["type"] = "string"
            members["enum"] = .array(words.map { .string($0) })
        case .texts(let maxItems):
            members["type"] = "array"
            members["items"] = ["type": "string", "minLength": 1, "maxLength": 4096]
            members["minItems"] = 1
            members["maxItems"] = .int(maxItems)
        }
        return .object(members)
    }
}

/// A tool's arguments as the client sent them, checked against the tool's declarations: an
/// unknown name, a missing required one or a value of the wrong kind is a ``ToolError`` that
/// names the argument.
struct ToolArguments: Sendable {
    let values: [String: Value]

    init(_ values: [String: Value]?, declared: [ToolArgument], tool: String) throws(ToolError) {
        let values = values ?? [:]
        let names = Set(declared.map(\.name))
        if let unknown = values.keys.sorted().first(where: { !names.contains($0) }) {
            let takes = declared.isEmpty ? "no arguments" : declared.map(\.name).joined(separator: ", ")
            throw ToolError("Unknown argument '\(unknown)'; \(tool) takes \(takes).")
        }
        for argument in declared {
            guard let value = values[argument.name], !value.isNull else {
                if argument.required { throw ToolError("\(argument.name) is required: \(argument.description)") }
                continue
            }
            try Self.check(value, against: argument)
        }
        self.values = values.filter { !$0.value.isNull }
    }

    private static func check(_ value: Value, against argument: ToolArgument) throws(ToolError) {
        let name = argument.name
        switch argument.kind {
        case .text(let maxLength):
            guard let text = value.stringValue else { throw ToolError("\(name) must be text, not \(describe(value)).") }
            guard !text.isEmpty, text.count <= maxLength else { throw ToolError("\(name) must be 1 to \(maxLength) characters.") }
        case .integer(let range):
            guard let number = integer(value) else { throw ToolError("\(name) must be a whole number, not \(describe(value)).") }
            guard range.contains(number) else {
                throw ToolError("\(name) must be from \(range.lowerBound) to \(range.upperBound), not \(number).")
            }
        case .boolean:
            guard value.boolValue != nil else { throw ToolError("\(name) must be true or false, not \(describe(value)).") }
        case .choice(let words):
            guard let text = value.stringValue, words.contains(text) else {
                throw ToolError("\(name) must be one of \(words.joined(separator: ", ")), not \(describe(value)).")
            }
        case .texts(let maxItems):
            guard let items = value.arrayValue, !items.isEmpty, items.count <= maxItems else {
                throw ToolError("\(name) must be a list of 1 to \(maxItems) texts.")
            }
            for item in items {
                guard let text = item.stringValue, !text.isEmpty, text.count <= 4096 else {
                    throw ToolError("\(name) must hold texts of 1 to 4096 characters, not \(describe(item)).")
                }
            }
        }
    }

    /// A whole number, also when a client sent it as 5.0.
    private static func integer(_ value: Value) -> Int? {
        if let number = value.intValue { return number }
        if let number = value.doubleValue, number.rounded() == number, abs(number) < 1e15 { return Int(number) }
        return nil
    }

    private static func describe(_ value: Value) -> String {
        switch value {
        case .string(let text): "'\(text.prefix(40))'"
        case .int(let number): "\(number)"
        case .double(let number): "\(number)"
        case .bool(let flag): "\(flag)"
        case .array: "a list"
        case .object: "an object"
        case .null: "null"
        case .data: "data"
        }
    }

    func string(_ name: String) -> String? { values[name]?.stringValue }
    func int(_ name: String, default fallback: Int) -> Int { values[name].flatMap(Self.integer) ?? fallback }
    func optionalInt(_ name: String) -> Int? { values[name].flatMap(Self.integer) }
    func bool(_ name: String) -> Bool { values[name]?.boolValue ?? false }
    func strings(_ name: String) -> [String]? { values[name]?.arrayValue?.compactMap(\.stringValue) }
}

/// What a tool answers when it cannot do what was asked: a sentence for the agent, sent as an
/// MCP tool error (`isError: true`), never a protocol failure or a crash.
struct ToolError: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
