import AgentLogHistory
import AgentLogStore
import Foundation

/// Where `agentlog replay` is in a session, and how each key moves it. Pure: the command reads
/// keys or lines and prints; this decides.
struct ReplayNavigator {
    enum Command: Equatable {
        case next, previous, nextError, previousError, first, last, quit, help
        /// Go to the turn with this number (as shown: 1 is the first prompt, 0 what came before).
        case jump(Int)
    }

    let turns: [TranscriptTurn]
    /// Index into `turns`.
    private(set) var position = 0

    init(turns: [TranscriptTurn], startingAt number: Int? = nil) {
        self.turns = turns
        if let number, let index = turns.firstIndex(where: { $0.index == number }) { position = index }
    }

    var current: TranscriptTurn { turns[position] }

    /// `3 of 12`.
    var place: String {
        let last = turns.last?.index ?? 0
        return "\(current.index) of \(last)"
    }

    /// A line of typed input as a command: `n`, `p`, `e`, `E`, `f`, `l`, `q`, `?`, or a turn
    /// number. Empty means next.
    static func command(_ line: String) -> Command? {
        let text = line.trimmingCharacters(in: .whitespaces)
        if let number = Int(text) { return .jump(number) }
        switch text {
        case "", "n", "next", "j", " ": return .next
        case "p", "prev", "previous", "k", "b": return .previous
        case "e", "error": return .nextError
        case "E", "P": return .previousError
        case "f", "first", "g", "0g": return .first
        case "l", "last", "G": return .last
        case "q", "quit", "exit": return .quit
        case "?", "h", "help": return .help
        default: return nil
        }
    }

    /// Moves; returns a sentence when the move is not possible (the position stays).
    mutating func apply(_ command: Command) -> String? {
        switch command {
        case .next:
            guard position + 1 < turns.count else { return "This is the last turn." }
            position += 1
        case .previous:
            guard position > 0 else { return "This is the first turn." }
            position -= 1
        case .nextError:
            guard let index = turns.indices.first(where: { $0 > position && turns[$0].hasError }) else {
                return "No later turn has an error."
            }
            position = index
        case .previousError:
            guard let index = turns.indices.last(where: { $0 < position && turns[$0].hasError }) else {
                return "No earlier turn has an error."
            }
            position = index
        case .first: position = 0
        case .last: position = turns.count - 1
        case .jump(let number):
            guard let index = turns.firstIndex(where: { $0.index == number }) else {
                return "There is no turn \(number); turns go from \(turns.first?.index ?? 0) to \(turns.last?.index ?? 0)."
            }
            position = index
        case .quit, .help: break
        }
        return nil
    }

    static let help = """
        Keys: n, space, → or Enter  next turn      p, ← or b  previous turn
              e  next turn with an error          E  previous turn with an error
              f  first turn    l  last turn       a number then Enter  go to that turn
              q or Esc  quit   ?  this help
        """
}
