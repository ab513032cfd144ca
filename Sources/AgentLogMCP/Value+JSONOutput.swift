import AgentLogJSON
import Foundation
import MCP

extension Value {
    /// `json` as an MCP value, built directly (no text in between); a `.raw` payload is parsed.
    init(_ json: JSONOutput) {
        switch json {
        case .object(let members): self = .object(Dictionary(members.map { ($0.0, Value($0.1)) }, uniquingKeysWith: { _, last in last }))
        case .array(let elements): self = .array(elements.map(Value.init))
        case .string(let text): self = .string(text)
        case .int(let number): self = .int(Int(number))
        case .number(let text): self = Int(text).map(Value.int) ?? Double(text).map(Value.double) ?? .string(text)
        case .bool(let flag): self = .bool(flag)
        case .null: self = .null
        case .raw(let text): self = (try? JSONDecoder().decode(Value.self, from: Data(text.utf8))) ?? .string(text)
        }
    }
}
