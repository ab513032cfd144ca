import AgentLogHistory
import AgentLogJSON
import AgentLogStore
import Foundation
import MCP

/// The resources: a session as Markdown (`agentlog://session/{id}`, as `agentlog show --format
/// markdown` writes it, cut at a turn past ``maxCharacters``) and today's usage by model
/// (`agentlog://usage/today`, the `agentlog.report.v1` document).
struct SessionResources: Sendable {
    let context: ToolContext

    static let sessionPrefix = "agentlog://session/"
    static let usageToday = "agentlog://usage/today"
    /// A session's Markdown stops after the turn that passes this many characters.
    static let maxCharacters = 100_000

    static let templates = [
        Resource.Template(uriTemplate: sessionPrefix + "{id}", name: "session", title: "A session as Markdown",
                          description: "Every turn of a recorded session: prompts, replies, tool calls with their output, subagents, tokens and cost.",
                          mimeType: "text/markdown"),
    ]

    /// Today's usage and the ten latest sessions.
    func list() async throws -> [Resource] {
        let latest = try await context.blocking { try context.store.sessions(SessionQuery(limit: 10)) }
        return [Resource(name: "usage-today", uri: Self.usageToday, title: "Today's usage",
                         description: "Tokens and cost of today (this machine's time zone), by model.", mimeType: "application/json")]
            + latest.map { session in
                Resource(name: "session-\(session.sessionId.prefix(8))", uri: Self.sessionPrefix + session.sessionId,
                         title: session.title.map { $0.clipped(80) } ?? "Session \(session.sessionId.prefix(8))",
                         description: "\(session.agent) session in \(session.project ?? "an unknown folder")", mimeType: "text/markdown")
            }
    }

    /// The contents of `uri`.
    func read(_ uri: String) async throws -> [Resource.Content] {
        if uri == Self.usageToday {
            let options = ReportOptions(kind: .model, filter: UsageFilter(since: ToolArguments.periodStart("today", zone: .current)))
            let report = try await context.blocking { try context.store.usageReport(options) }
            return [.text(try JSONOutput.document(report).text(), uri: uri, mimeType: "application/json")]
        }
        guard uri.hasPrefix(Self.sessionPrefix), uri.count > Self.sessionPrefix.count, uri.count < Self.sessionPrefix.count + 200 else {
            throw MCPError.serverError(code: -32002, message: "Resource not found: '\(uri.prefix(100))'; resources are \(Self.sessionPrefix){id} and \(Self.usageToday).")
        }
        let id = String(uri.dropFirst(Self.sessionPrefix.count))
        do {
            let transcript = try await context.blocking { try context.store.transcript(of: context.store.resolveSession(id)) }
            let markdown = TranscriptMarkdown(facts: TranscriptFacts(transcript: transcript, zone: .current)).render(maxCharacters: Self.maxCharacters)
            return [.text(markdown, uri: uri, mimeType: "text/markdown")]
        } catch let error as StoreError {
            throw MCPError.serverError(code: -32002, message: error.description)
        }
    }
}
