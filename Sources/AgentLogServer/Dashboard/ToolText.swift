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

    /// What the collapsed row shows after the tool's name, and the input for the expanded call
    /// (indented JSON, or the preview as stored); the input is parsed once for both.
    static func view(filePath: String?, input: String?) -> (target: String, body: String) {
        guard let input else { return (filePath.map { Format.clip($0, 100) } ?? "", "") }
        guard let object = object(input) else { return (Format.clip(filePath ?? input, 100), input) }
        var target = filePath.map { Format.clip($0, 100) }
        if target == nil {
            for key in targetKeys {
                if let value = object[key] as? String, !value.isEmpty {
                    target = Format.clip(value, 100)
                    break
                }
            }
        }
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            .map { String(decoding: $0, as: UTF8.self) } ?? input
        return (target ?? Format.clip(input, 100), body)
    }
}
