import Foundation

/// How a tool call's input reads on the page: a one-line target for the collapsed row (the
/// command, the file, the pattern) and the input itself, indented when it is whole JSON.
enum ToolText {
    /// Input fields that say best what a call does, in the order they are looked for.
    static let targetKeys = ["command", "file_path", "notebook_path", "path", "pattern", "url", "query", "description", "prompt"]

    /// The input as an object, when the preview is whole JSON (a cut preview is not).
    static func object(_ input: String?) -> [String: Any]? {
        guard let input, input.first == "{", let data = input.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// What the collapsed row shows after the tool's name.
    static func target(filePath: String?, input: String?) -> String {
        if let filePath { return Format.clip(filePath, 100) }
        if let object = object(input) {
            for key in targetKeys { if let value = object[key] as? String, !value.isEmpty { return Format.clip(value, 100) } }
        }
        return Format.clip(input, 100)
    }

    /// The input for the expanded call: indented JSON, or the preview as stored.
    static func body(_ input: String?) -> String {
        guard let input else { return "" }
        guard let object = object(input),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return input
        }
        return String(decoding: data, as: UTF8.self)
    }
}
