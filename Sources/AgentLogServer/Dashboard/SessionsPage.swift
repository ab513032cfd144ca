import AgentLogDatabase
import AgentLogHistory
import Foundation

/// A session as a row of the dashboard's tables.
struct SessionRow: Sendable {
    var id: String, title: String, project: String, projectPath: String, agent: String
    var started: String, startedISO: String, messages: String, toolCalls: String, tokens: String, cost: String
    var hasErrors: Bool

    init(_ summary: SessionSummary, _ format: Format, hasErrors: Bool = false) {
        id = summary.sessionId
        title = Format.clip(summary.title ?? summary.sessionId, 90)
        project = Format.project(summary.project)
        projectPath = summary.project ?? ""
        agent = summary.agent
        started = format.dateTime(ms: summary.startedAt)
        startedISO = Format.iso(ms: summary.startedAt)
        messages = Format.grouped(summary.messages)
        toolCalls = Format.grouped(summary.toolCalls)
        tokens = Format.tokens(summary.tokens.total)
        cost = Format.money(pico: summary.costPico) + (summary.unpricedModels.isEmpty ? "" : "+")
        self.hasErrors = hasErrors
    }
}

/// A choice of a `<select>`.
struct SelectOption: Sendable {
    var value: String, label: String, selected: Bool

    /// The agent choices, `current` selected.
    static func agents(_ current: String?) -> [SelectOption] {
        [("all", "All agents"), ("claude", "Claude Code"), ("codex", "Codex"), ("gemini", "Gemini CLI")]
            .map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == (current ?? "all")) }
    }
}

/// The sessions list: the CLI's `sessions` filters as a form, newest first, page by page.
struct SessionsPage: Sendable {
    struct Filters: Sendable {
        var project: String, model: String, tool: String, file: String, minCost: String, since: String, until: String
        var errors: Bool
    }

    var frame: PageFrame
    var agents: [SelectOption]
    var filters: Filters
    var sessions: [SessionRow]
    var countNote: String
    var hasMore: Bool
    var morePage: String

    /// The parameters this page takes.
    static let parameters = QueryParameters.rangeNames.union(["model", "tool", "file", "errors", "min_cost", "limit"])

    static func load(_ query: QueryParameters, _ context: DashboardContext) async throws -> SessionsPage {
        try query.allowOnly(parameters)
        let limit = try query.int("limit", in: 1...5_000, default: 100)
        var criteria = SessionCriteria(model: query.string("model"), tool: query.string("tool"), file: query.string("file"))
        criteria.hadErrors = try query.flag("errors")
        if let text = query.string("min_cost") {
            guard let dollars = Double(text), dollars >= 0, dollars < 1e9 else {
                throw APIError.badParameter("min_cost", "min_cost must be an amount in dollars, such as 0.5, not '\(text.prefix(20))'.")
            }
            criteria.minCostMicros = Int64(dollars * 1e6)
        }
        let request = SessionQuery(filter: try query.usageFilter(), criteria: criteria, limit: limit + 1)
        let store = context.store
        var found = try await context.blocking { try store.sessions(request) }
        let more = found.count > limit
        found = Array(found.prefix(limit))
        var next = query.values
        next["limit"] = String(min(5_000, limit * 2))
        return SessionsPage(
            frame: PageFrame(title: "Sessions", tab: "sessions"),
            agents: SelectOption.agents(query.string("agent")),
            filters: Filters(project: query.string("project") ?? "", model: query.string("model") ?? "", tool: query.string("tool") ?? "",
                             file: query.string("file") ?? "", minCost: query.string("min_cost") ?? "", since: query.string("since") ?? "",
                             until: query.string("until") ?? "", errors: criteria.hadErrors),
            sessions: found.map { SessionRow($0, context.format, hasErrors: criteria.hadErrors) },
            countNote: more ? "the newest \(found.count) that match" : "\(found.count) session\(found.count == 1 ? "" : "s")",
            hasMore: more && limit < 5_000,
            morePage: "/sessions?" + next.sorted { $0.key < $1.key }.map { "\(Format.queryValue($0.key))=\(Format.queryValue($0.value))" }.joined(separator: "&"))
    }
}
