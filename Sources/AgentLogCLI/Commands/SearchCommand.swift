import AgentLogJSON
import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog search QUERY`: full-text search over every session in the database.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search prompts, replies, tool calls and session titles.",
        discussion: """
            Every word must occur. "Quoted phrases" match words in that order, and prefix* matches \
            words that start with prefix. Code is found as written: foo.bar(), snake_case_name, \
            src/app/main.swift, ERR_CONNECTION_REFUSED, -Werror. Other punctuation and operators \
            (AND, OR, NOT, NEAR, column:) are searched for as text.

            Results are ranked by relevance (prompts above replies), newest first among equals. \
            Matches are highlighted on a terminal and put between [ and ] otherwise (and in JSON). \
            The search index is brought up to date first; after a large sync that takes a moment once.
            """)

    @Argument(help: ArgumentHelp("What to look for: one or more words (several words are one query; put -- before a query that starts with -).",
                                 valueName: "query"))
    var words: [String] = []

    /// The words as one query.
    var query: String { words.joined(separator: " ") }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var range: RangeOptions

    @OptionGroup var criteria: CriteriaOptions

    @Flag(help: "Only failed tool calls and messages marked as errors.")
    var errorsOnly = false

    @Flag(help: "Also search thinking (reasoning) text.")
    var thinking = false

    @OptionGroup var limitOption: LimitOption
    var limit: Int { limitOption.value(default: 20) }

    @OptionGroup var output: OutputOptions
    var format: OutputFormat { output.format }

    @OptionGroup var syncOptions: SyncOptions

    func validate() throws {
        try output.require([.text, .json], command: "search")
        if query.allSatisfy(\.isWhitespace) { throw ValidationError("Give a query: the words to look for.") }
        do { _ = try SearchExpression(query) } catch { throw ValidationError(error.description) }
        _ = try range.filter()
    }

    func run() throws {
        let store = try global.openStore()
        try syncOptions.syncFirst(store, agent: range.agent, global: global)
        let progress = ProgressBar()
        try store.updateSearchIndex { done, total in progress.update(label: "Indexing for search", done: done, total: total) }
        progress.finish()

        var search = SearchQuery(expression: try SearchExpression(query))
        search.filter = try range.filter()
        search.includeThinking = thinking
        search.criteria = criteria.criteria(global)
        search.errorsOnly = errorsOnly
        search.limit = limit
        if search.criteria.boundsCost {
            search.sessionRowIds = try store.sessions(SessionQuery(filter: search.filter, criteria: search.criteria,
                                                                   prices: syncOptions.prices(global))).map(\.rowId)
        }
        let hits = try store.search(search)
        if format == .json {
            print(try JSONOutput.document(SearchResults(rows: hits)).text())
            return
        }
        guard !hits.isEmpty else {
            print("No matches for \(query).")
            return
        }
        let zone = try range.timeZone()
        let color = CommandContext.current.colorsOutput
        for hit in hits {
            let snippet = color ? hit.snippet(start: "\u{1B}[1;33m", end: "\u{1B}[0m") : hit.snippet(start: "[", end: "]")
            print("\(hit.session.sessionId.prefix(8))  \(TimeText.localTime(hit.timestamp, zone))  \(hit.session.agent)  \(hit.role)")
            print("    " + snippet)
        }
    }
}
