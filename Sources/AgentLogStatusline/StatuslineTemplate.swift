/// A statusline format: text with `{name}` placeholders, and `[…]` around a part that is left
/// out when every placeholder in it is empty.
///
/// ```
/// {model}[ · {session_cost}][ · block {block_cost}, {block_left} left]
/// ```
/// renders `Opus 4.6 · $1.20 · block $3.40, 2h10m left`, or `Opus 4.6` before any usage.
/// `[[` and `]]` print a bracket, `{{` and `}}` a brace. The line never starts or ends with
/// spaces or a separator (`·`, `|`), so a format whose first part is empty still reads well.
public struct StatuslineTemplate: Sendable, Equatable {
    /// The placeholders a format may use, with what each shows.
    public static let placeholders: [(name: String, meaning: String)] = [
        ("model", "the model's display name"),
        ("session_cost", "this session's cost (Claude Code's own figure, else the history's)"),
        ("today_cost", "all usage since local midnight"),
        ("block_cost", "the current 5-hour block's cost"),
        ("block_left", "time left in the current block (2h10m)"),
        ("block_tokens", "the current block's tokens"),
        ("context", "how full the context window is (42%)"),
        ("five_hour", "the 5-hour rate limit used (35%)"),
        ("five_hour_reset", "time until the 5-hour limit resets"),
        ("seven_day", "the weekly rate limit used"),
        ("seven_day_reset", "time until the weekly limit resets"),
        ("budget", "the most used budget that covers this session, from 80% (daily 85%)"),
        ("folder", "the working folder's name"),
    ]

    /// The default format.
    public static let standard = StatuslineTemplate(
        unchecked: "{model}[ · {session_cost}][ · today {today_cost}][ · block {block_cost}, {block_left} left][ · ctx {context}][ · 5h {five_hour}][ · 7d {seven_day}][ · {budget}]")

    /// One piece of a format.
    enum Piece: Sendable, Equatable {
        case text(String)
        case value(String)
        case optional([Piece])
    }

    let pieces: [Piece]

    /// Parses a format; throws naming the first unknown placeholder or unbalanced bracket.
    public init(_ format: String) throws(StatuslineError) {
        var stack: [[Piece]] = [[]]
        var characters = Array(format)[...]
        var text = ""
        func flush() {
            if !text.isEmpty { stack[stack.count - 1].append(.text(text)) }
            text = ""
        }
        while let character = characters.popFirst() {
            if (character == "[" || character == "]" || character == "{" || character == "}"), characters.first == character {
                characters.removeFirst()
                text.append(character)
                continue
            }
            switch character {
            case "[":
                flush()
                stack.append([])
            case "]":
                flush()
                guard stack.count > 1 else { throw StatuslineError("the format has a ']' without its '['") }
                let part = stack.removeLast()
                stack[stack.count - 1].append(.optional(part))
            case "{":
                flush()
                guard let close = characters.firstIndex(of: "}") else { throw StatuslineError("the format has a '{' without its '}'") }
                let name = String(characters[..<close])
                guard Self.placeholders.contains(where: { $0.name == name }) else {
                    throw StatuslineError("the format names {\(name)}, which is not one of " + Self.placeholders.map { "{\($0.name)}" }.joined(separator: ", "))
                }
                stack[stack.count - 1].append(.value(name))
                characters = characters[characters.index(after: close)...]
            case "}":
                throw StatuslineError("the format has a '}' without its '{'")
            default:
                text.append(character)
            }
        }
        flush()
        guard stack.count == 1 else { throw StatuslineError("the format has a '[' without its ']'") }
        pieces = stack[0]
    }

    private init(unchecked format: String) {
        // The default format is valid: it is tested.
        self = (try? StatuslineTemplate(format)) ?? StatuslineTemplate(pieces: [.value("model")])
    }

    private init(pieces: [Piece]) { self.pieces = pieces }

    /// The format with each placeholder replaced by `values[name]` ("" when missing).
    public func render(_ values: [String: String]) -> String {
        let separators: Set<Character> = [" ", "·", "|"]
        let text = Self.render(pieces, values).text
        guard let first = text.firstIndex(where: { !separators.contains($0) }),
              let last = text.lastIndex(where: { !separators.contains($0) }) else { return "" }
        return String(text[first...last])
    }

    private static func render(_ pieces: [Piece], _ values: [String: String]) -> (text: String, hasValue: Bool) {
        var out = ""
        var hasValue = false
        for piece in pieces {
            switch piece {
            case .text(let text):
                out += text
            case .value(let name):
                let value = values[name] ?? ""
                if !value.isEmpty { hasValue = true }
                out += value
            case .optional(let inner):
                let part = render(inner, values)
                if part.hasValue {
                    out += part.text
                    hasValue = true
                }
            }
        }
        return (out, hasValue)
    }
}
