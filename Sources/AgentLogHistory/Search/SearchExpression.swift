import AgentLogDatabase
/// A user's search text turned into an FTS5 `MATCH` expression that cannot fail or inject.
///
/// Every term becomes an FTS5 string (`"…"`, inner quotes doubled), so operators, column
/// filters, `NEAR(`, parentheses and stray punctuation are searched for as text rather than
/// obeyed. Two things are supported on purpose: `"quoted phrases"` and `prefix*`. Terms are
/// joined with AND (every term must occur).
///
/// ```swift
/// let expression = try SearchExpression("ERR_CONNECTION_REFUSED \"connection refused\" Pars*")
/// expression.match  // "ERR_CONNECTION_REFUSED" AND "connection refused" AND "Pars" *
/// ```
public struct SearchExpression: Sendable, Equatable {
    /// One term of the query.
    public struct Term: Sendable, Equatable {
        /// The word or phrase, without its quotes or trailing `*`.
        public var text: String
        /// Whether it matches any word that starts with it (`prefix*`).
        public var isPrefix: Bool
        /// Whether it was a `"quoted phrase"`, matched as consecutive words.
        public var isPhrase: Bool
    }

    /// The terms, in the order the query gave them (at most ``maxTerms``).
    public let terms: [Term]

    /// At most this many terms are searched for (a pasted 10 kB query stays a fast query).
    public static let maxTerms = 32

    /// Parses `query`; throws ``SearchError/nothingToSearch(_:)`` when it holds no word.
    public init(_ query: String) throws(SearchError) {
        var terms: [Term] = []
        // Control characters (NUL included) separate terms.
        let cleaned = String(String.UnicodeScalarView(query.unicodeScalars.map {
            $0.properties.generalCategory == .control ? " " : $0
        }))
        var rest = Substring(cleaned)
        while !rest.isEmpty, terms.count < Self.maxTerms {
            rest = rest.drop(while: \.isWhitespace)
            guard let first = rest.first else { break }
            if first == "\"" {
                // A phrase, to the next quote (or the end: an unbalanced quote is forgiven).
                let body = rest.dropFirst()
                let end = body.firstIndex(of: "\"") ?? body.endIndex
                let phrase = String(body[..<end])
                rest = end < body.endIndex ? body[body.index(after: end)...] : body[end...]
                if Self.hasWord(phrase) { terms.append(Term(text: phrase, isPrefix: false, isPhrase: true)) }
                continue
            }
            let end = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
            var word = String(rest[..<end])
            rest = rest[end...]
            var isPrefix = false
            if word.hasSuffix("*") {
                word = String(word.drop(while: { $0 == "*" }).reversed().drop(while: { $0 == "*" }).reversed())
                isPrefix = !word.isEmpty
            }
            if Self.hasWord(word) { terms.append(Term(text: word, isPrefix: isPrefix, isPhrase: false)) }
        }
        guard !terms.isEmpty else { throw SearchError.nothingToSearch(query) }
        self.terms = terms
    }

    /// The FTS5 expression: each term an FTS5 string, `*` after prefix terms, joined by AND.
    /// Quotes are doubled scalar by scalar: a quote that a combining mark follows is one
    /// Character to Swift but still a quote to FTS5 (found by fuzzing).
    public var match: String {
        terms.map { term in
            var quoted = String.UnicodeScalarView()
            quoted.append("\"")
            for scalar in term.text.unicodeScalars {
                if scalar == "\"" { quoted.append(scalar) }
                quoted.append(scalar)
            }
            quoted.append("\"")
            return term.isPrefix ? String(quoted) + " *" : String(quoted)
        }.joined(separator: " AND ")
    }

    /// The words to highlight in text that did not come from the index.
    public var words: [String] { terms.map(\.text) }

    private static func hasWord(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }
}

/// Why a search could not run.
public enum SearchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The query has no letters or digits to look for.
    case nothingToSearch(String)

    public var description: String {
        switch self {
        case .nothingToSearch(let query):
            let shown = query.count > 40 ? String(query.prefix(40)) + "…" : query
            return "Nothing to search for in '\(shown.filter { !$0.isNewline && $0 != "\u{0}" })': use words, \"quoted phrases\" or prefix*."
        }
    }
}
