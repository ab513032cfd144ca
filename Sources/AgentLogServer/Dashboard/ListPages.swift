import AgentLogDatabase
import AgentLogHistory
import AgentLogStore
import Foundation

/// Search with the CLI's query language and filters; snippets with the matched words marked.
struct SearchPage: Sendable {
    struct Hit: Sendable { var href: String, title: String, kind: String, project: String, when: String, snippet: String }
    struct Filters: Sendable { var project: String, tool: String, since: String, until: String, errors: Bool, thinking: Bool }

    var frame: PageFrame
    var q: String
    var note: String
    var agents: [SelectOption]
    var filters: Filters
    var hits: [Hit]
    var hasProblem: Bool
    var problem: String

    static func load(_ query: QueryParameters, _ context: DashboardContext) async throws -> SearchPage {
        try query.allowOnly(QueryParameters.rangeNames.union(["q", "tool", "errors", "thinking"]))
        let text = query.string("q") ?? ""
        let filters = Filters(project: query.string("project") ?? "", tool: query.string("tool") ?? "", since: query.string("since") ?? "",
                              until: query.string("until") ?? "", errors: try query.flag("errors"), thinking: try query.flag("thinking"))
        var page = SearchPage(frame: PageFrame(title: text.isEmpty ? "Search" : "Search: \(Format.clip(text, 40))", tab: "search"), q: text,
                              note: "", agents: SelectOption.agents(query.string("agent")), filters: filters, hits: [], hasProblem: false, problem: "")
        guard !text.isEmpty else {
            page.note = "Words match prompts, replies, tool calls and titles; \"quotes\" for a phrase, -word to exclude."
            return page
        }
        let expression: SearchExpression
        do {
            expression = try SearchExpression(text)
        } catch {
            page.hasProblem = true
            page.problem = error.description
            return page
        }
        var request = SearchQuery(expression: expression)
        request.filter = try query.usageFilter()
        request.limit = 50
        request.includeThinking = filters.thinking
        request.errorsOnly = filters.errors
        request.criteria = SessionCriteria(tool: query.string("tool"))
        let search = request
        let store = context.store
        let (found, details) = try await context.blocking {
            _ = try store.updateSearchIndex()
            let hits = try store.search(search)
            return (hits, try store.sessionDetails(rowIds: hits.map(\.session.rowId)).mapValues { SessionDetail(title: $0.title, project: $0.project) })
        }
        let format = context.format
        page.hits = found.map { hit in
            let detail = details[hit.session.rowId]
            // The session page opens at the page that holds the message or call.
            return Hit(href: "/sessions/\(hit.session.sessionId)" + (hit.item.map { "?find=\(Format.queryValue($0))#e-\($0)" } ?? ""),
                       title: Format.clip(detail?.title ?? hit.session.sessionId, 80), kind: hit.kind == .toolCall ? "tool call" : hit.role,
                       project: Format.project(detail?.project), when: format.dateTime(ms: hit.timestamp),
                       snippet: Charts.escape(hit.snippet).replacingOccurrences(of: SearchHit.matchStart, with: "<mark>")
                        .replacingOccurrences(of: SearchHit.matchEnd, with: "</mark>"))
        }
        page.note = found.isEmpty ? "No matches." : "\(found.count) best match\(found.count == 1 ? "" : "es")"
        return page
    }

    struct SessionDetail: Sendable { var title: String?, project: String? }
}

/// Projects by cost, projects with runs, and the runs themselves; crashed runs stand out.
struct ProjectsPage: Sendable {
    struct Usage: Sendable { var name: String, path: String, query: String, sessions: String, tokens: String, cost: String }
    struct ProjectRuns: Sendable { var name: String, path: String, runs: String, latestStatus: String, latestWhen: String }
    struct RunItem: Sendable { var name: String, project: String, path: String, status: String, started: String, duration: String, exit: String
        var crashed: Bool }

    var frame: PageFrame
    var periodLabel: String
    var usage: [Usage]
    var projects: [ProjectRuns]
    var runs: [RunItem]

    static func load(_ query: QueryParameters, _ context: DashboardContext) async throws -> ProjectsPage {
        try query.allowOnly(["period"])
        let period = try Period(query.string("period") ?? "all")
        let format = context.format
        let store = context.store
        let filter = UsageFilter(since: period.since(now: Date(), zone: format.timeZone))
        _ = try await store.detectCrashedRuns()
        async let report = context.blocking { try store.usageReport(ReportOptions(kind: .project, filter: filter, timeZone: format.timeZone)) }
        async let sessions = context.blocking { try store.sessions(SessionQuery(filter: filter)) }
        async let overviews = store.projectOverviews()
        async let runs = store.runs(limit: 100)
        var perProject: [String: Int] = [:]
        for session in try await sessions { perProject[session.project ?? "", default: 0] += 1 }
        let directories = Dictionary(try await overviews.map { ($0.project.id, $0.project.directory) }, uniquingKeysWith: { first, _ in first })
        return ProjectsPage(
            frame: PageFrame(title: "Projects & runs", tab: "projects"),
            periodLabel: period.days == 0 ? "all time" : "last \(period.label)",
            usage: try await report.rows.prefix(50).map {
                Usage(name: Format.project($0.key), path: $0.key, query: Format.queryValue($0.key), sessions: Format.grouped(perProject[$0.key] ?? 0),
                      tokens: Format.tokens($0.tokens.total), cost: Format.money(pico: $0.costPico))
            },
            projects: try await overviews.map {
                ProjectRuns(name: $0.project.name, path: $0.project.directory, runs: Format.grouped($0.runCount),
                            latestStatus: $0.latestRun?.status.rawValue ?? "none", latestWhen: format.dateTime(ms: $0.latestRun?.startedAt))
            },
            runs: try await runs.map { run in
                RunItem(name: run.name ?? run.args.joined(separator: " "), project: Format.project(directories[run.projectId]),
                        path: directories[run.projectId] ?? "", status: run.status.rawValue, started: format.dateTime(ms: run.startedAt),
                        duration: Format.duration(ms: run.endedAt.map { $0 - run.startedAt }), exit: run.exitCode.map(String.init) ?? "",
                        crashed: run.status == .crashed)
            })
    }
}

/// Hooked agents with their status, and which agent edits which file.
struct AgentsPage: Sendable {
    struct Agent: Sendable { var label: String, session: String, shortSession: String, project: String, path: String, status: String
        var started: String, lastEvent: String }
    struct Claim: Sendable { var path: String, session: String, who: String, tool: String, writes: String, when: String }

    var frame: PageFrame
    var runningNote: String
    var agents: [Agent]
    var claims: [Claim]

    static func load(_ query: QueryParameters, _ context: DashboardContext) async throws -> AgentsPage {
        try query.allowOnly([])
        let store = context.store
        let format = context.format
        let (agents, claims) = try await context.blocking { (try store.agents(), try store.fileClaims()) }
        let running = agents.filter { $0.status == "running" }.count
        return AgentsPage(
            frame: PageFrame(title: "Agents & claims", tab: "agents"),
            runningNote: "\(running) running",
            agents: agents.sorted { $0.lastEventAt > $1.lastEventAt }.prefix(200).map {
                Agent(label: $0.agentType ?? ($0.agentId.isEmpty ? "main agent" : "subagent \($0.agentId.prefix(8))"), session: $0.session,
                      shortSession: String($0.session.prefix(8)), project: Format.project($0.project), path: $0.project ?? "", status: $0.status,
                      started: format.dateTime(ms: $0.startedAt), lastEvent: format.dateTime(ms: $0.lastEventAt))
            },
            claims: claims.sorted { $0.lastAt > $1.lastAt }.prefix(200).map {
                Claim(path: $0.path, session: $0.session, who: $0.agentId.isEmpty ? String($0.session.prefix(8)) : "subagent \($0.agentId.prefix(8))",
                      tool: $0.tool, writes: Format.grouped($0.writes), when: format.dateTime(ms: $0.lastAt))
            })
    }
}

/// The database's facts and the settings stored in it.
struct SettingsPage: Sendable {
    struct Fact: Sendable { var label: String, value: String }
    struct Setting: Sendable { var category: String, value: String }
    struct WorkspaceItem: Sendable { var name: String, path: String, status: String, last: String }
    struct TokenItem: Sendable { var name: String, hint: String, kind: String, lastUsed: String, state: String }
    struct UserItem: Sendable { var name: String, added: String, logins: Int, password: Bool }

    var frame: PageFrame
    var facts: [Fact]
    var settings: [Setting]
    var workspaces: [WorkspaceItem]
    var tokens: [TokenItem]
    var users: [UserItem]

    static func load(_ query: QueryParameters, _ context: DashboardContext) async throws -> SettingsPage {
        try query.allowOnly([])
        let store = context.store
        let status = try await context.blocking { try store.status() }
        let settings = try await store.settings()
        let workspaces = try await store.workspaces()
        let tokens = try await store.tokens()
        let now = AgentLogStore.now()
        let users = try await store.users(at: now)
        let format = context.format
        let facts = [
            ("File", status.path), ("Size", Format.bytes(status.fileBytes)), ("Journal", status.journalMode),
            ("Schema", status.migrations.filter(\.applied).map(\.name).joined(separator: ", ")),
            ("Sessions", Format.grouped(status.sessions)), ("Messages", Format.grouped(status.messages)),
            ("Tool calls", Format.grouped(status.toolCalls)), ("Source files", Format.grouped(status.sourceFiles)),
            ("Archive", "\(Format.bytes(status.archiveRawBytes)) of transcripts kept in \(Format.bytes(status.archiveStoredBytes))"),
            ("Activity", status.firstActivity == nil ? "none yet" : "\(format.dateTime(ms: status.firstActivity)) to \(format.dateTime(ms: status.lastActivity))"),
        ].map { Fact(label: $0.0, value: $0.1) }
        return SettingsPage(frame: PageFrame(title: "Settings", tab: "settings"), facts: facts,
                            settings: settings.sorted { $0.key < $1.key }.map { Setting(category: $0.key, value: Format.clip($0.value, 200)) },
                            workspaces: workspaces.map {
                                WorkspaceItem(name: $0.name, path: $0.path, status: $0.status.rawValue, last: format.dateTime(ms: $0.lastActivityAt))
                            },
                            tokens: tokens.map {
                                TokenItem(name: $0.name, hint: $0.hint + "…", kind: $0.kind.rawValue, lastUsed: format.dateTime(ms: $0.lastUsedAt),
                                          state: $0.revokedAt != nil ? "revoked" : $0.isValid(at: now) ? "valid" : "expired")
                            },
                            users: users.map { UserItem(name: $0.name, added: format.dateTime(ms: $0.createdAt), logins: $0.activeLogins, password: $0.hasPassword) })
    }
}
