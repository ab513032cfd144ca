import AgentLogHistory
import AgentLogJSON
import AgentLogStore

/// The tools that read: the history (search, sessions, usage, tool calls, edits) and what
/// hooks keep (failed paths, open errors, agents, claims, runs). Each runs the query the CLI
/// and the HTTP API run and answers the same document.
enum ReadTools {
    static let all: [ToolDefinition] = [search, listSessions, getSession, getUsage, getToolCalls, recentEdits, getFailedPaths,
                                        getOpenErrors, listAgents, getClaims, listRuns]

    static let search = ToolDefinition(
        name: "search", title: "Search the history",
        description: """
            Full-text search over every recorded session's prompts, replies and tool calls (the CLI's query language: \
            words, "exact phrases", prefix*, -excluded, OR). Answers snippets (matches between [ and ]) with their \
            session, message and turn, best first.
            """,
        arguments: [ToolArgument(name: "q", kind: .text(maxLength: 1000), description: "What to search for.", required: true),
                    ToolArgument(name: "limit", kind: .integer(1...100), description: "At most this many hits (default 10)."),
                    ToolArgument(name: "thinking", kind: .boolean, description: "Also search the models' thinking."),
                    ToolArgument(name: "errors_only", kind: .boolean, description: "Only failed tool calls and error messages.")]
            + ToolArgument.range + ToolArgument.criteria,
        output: OutputSchemas.search, writes: false
    ) { arguments, context in
        let expression: SearchExpression
        do { expression = try SearchExpression(arguments.string("q") ?? "") } catch let error as SearchError { throw ToolError("q: \(error.description)") }
        var query = SearchQuery(expression: expression)
        query.filter = try arguments.usageFilter()
        query.criteria = arguments.criteria()
        query.limit = arguments.int("limit", default: 10)
        query.includeThinking = arguments.bool("thinking")
        query.errorsOnly = arguments.bool("errors_only")
        let request = query
        let hits = try await context.blocking {
            _ = try context.store.updateSearchIndex()
            var hits = try context.store.search(request)
            try context.store.numberTurns(of: &hits)
            return hits
        }
        return try JSONOutput.document(SearchResults(rows: hits))
    }

    static let listSessions = ToolDefinition(
        name: "list_sessions", title: "List sessions",
        description: "Recorded sessions, newest first, with tokens and cost; filters as `agentlog sessions`. Pages with cursor (the nextCursor of the page before).",
        arguments: [ToolArgument(name: "limit", kind: .integer(1...200), description: "At most this many (default 20)."),
                    ToolArgument(name: "cursor", kind: .text(maxLength: 100), description: "Where to go on: nextCursor of the previous page.")]
            + ToolArgument.range + ToolArgument.criteria,
        output: OutputSchemas.sessions, writes: false
    ) { arguments, context in
        let limit = arguments.int("limit", default: 20)
        var cursor: SessionCursor?
        if let text = arguments.string("cursor") {
            guard let parsed = SessionCursor(text) else { throw ToolError("cursor must be the nextCursor of an earlier page, not '\(text.prefix(40))'.") }
            cursor = parsed
        }
        let query = SessionQuery(filter: try arguments.usageFilter(), criteria: arguments.criteria(), limit: limit + 1, after: cursor)
        let found = try await context.blocking { try context.store.sessions(query) }
        let page = Array(found.prefix(limit))
        let next = found.count > limit ? page.last.map { SessionCursor(after: $0).text } : nil
        return try JSONOutput.document(SessionList(rows: page, nextCursor: next))
    }

    static let getSession = ToolDefinition(
        name: "get_session", title: "Read a session",
        description: """
            One session: its header (project, models, tokens, cost, counts) and its turns, each with its messages, tool \
            calls (subagents nested under the call that spawned them), tokens and cost. Pages by turn (from, limit) and \
            stops before max_characters, so a huge session never floods the context: go on with from = nextFrom.
            """,
        arguments: [ToolArgument(name: "id", kind: .text(maxLength: 200), description: "The session id, or an unambiguous prefix of it.", required: true),
                    ToolArgument(name: "from", kind: .integer(0...1_000_000), description: "The first turn to show, 0-based position (default 0)."),
                    ToolArgument(name: "limit", kind: .integer(1...200), description: "At most this many turns (default 20)."),
                    ToolArgument(name: "max_characters", kind: .integer(1_000...500_000),
                                 description: "Stop before the turns pass about this many characters of JSON (default 20000).")],
        output: OutputSchemas.session, writes: false
    ) { arguments, context in
        let id = arguments.string("id") ?? ""
        let transcript = try await context.blocking { try context.store.transcript(of: context.store.resolveSession(id)) }
        return try JSONOutput.document(SessionTranscriptPage(transcript, from: arguments.int("from", default: 0),
                                                             limit: arguments.int("limit", default: 20),
                                                             maxCharacters: arguments.int("max_characters", default: 20_000)))
    }

    static let getUsage = ToolDefinition(
        name: "get_usage", title: "Tokens and cost",
        description: "Tokens and cost grouped by day, week, month, session, model or project (as `agentlog report`), for a period, agent and project; exact totals. "
            + "group=blocks answers the 5-hour windows instead (agentlog.blocks.v1), the open one with its burn rate and projection.",
        arguments: [ToolArgument(name: "group", kind: .choice(ReportKind.allCases.map(\.rawValue) + ["blocks"]),
                                 description: "How to group rows (default daily; daily and blocks cover the last 30 days unless since, until or period is given)."),
                    ToolArgument(name: "breakdown", kind: .choice(["agent", "model"]), description: "Split each row by agent or by model.")]
            + ToolArgument.range,
        output: OutputSchemas.usageOrBlocks, writes: false
    ) { arguments, context in
        let group = arguments.string("group") ?? "daily"
        let kind = ReportKind(rawValue: group) ?? .daily
        let breakdown = arguments.string("breakdown")
        var filter = try arguments.usageFilter()
        // Days of a whole history are hundreds of rows an agent rarely needs: daily and blocks
        // cover the last 30 days unless a period or dates say otherwise.
        if kind == .daily || group == "blocks", ["since", "until", "period"].allSatisfy({ arguments.string($0) == nil }) {
            filter.since = ToolArguments.periodStart("30d", zone: try arguments.timeZone())
        }
        if group == "blocks" {
            if breakdown != nil { throw ToolError("breakdown does not go with group=blocks.") }
            return try JSONOutput.document(try await context.blocking { [filter] in try context.store.blocksReport(filter: filter) })
        }
        let options = ReportOptions(kind: kind, filter: filter, timeZone: try arguments.timeZone(),
                                    breakdownByAgent: breakdown == "agent", breakdownByModel: breakdown == "model")
        return try JSONOutput.document(try await context.blocking { try context.store.usageReport(options) })
    }

    static let getToolCalls = ToolDefinition(
        name: "get_tool_calls", title: "A session's tool calls",
        description: "The tool calls of one session in order, with input and output previews and whether each failed.",
        arguments: [ToolArgument(name: "session", kind: .text(maxLength: 200), description: "The session id, or an unambiguous prefix.", required: true),
                    ToolArgument(name: "name", kind: .text(maxLength: 200), description: "Only calls of this tool (e.g. Bash, Edit)."),
                    ToolArgument(name: "errors_only", kind: .boolean, description: "Only calls that failed."),
                    ToolArgument(name: "from", kind: .integer(0...10_000_000), description: "Skip this many matching calls (default 0)."),
                    ToolArgument(name: "limit", kind: .integer(1...500), description: "At most this many (default 50).")],
        output: OutputSchemas.toolCalls, writes: false
    ) { arguments, context in
        let id = arguments.string("session") ?? ""
        let (reference, calls) = try await context.blocking {
            let reference = try context.store.resolveSession(id)
            return (reference, try context.store.toolCalls(of: reference))
        }
        let name = arguments.string("name")
        let errorsOnly = arguments.bool("errors_only")
        let matching = calls.filter { (name == nil || $0.name == name) && (!errorsOnly || $0.isError == true) }
        let page = matching.dropFirst(arguments.int("from", default: 0)).prefix(arguments.int("limit", default: 50))
        return try JSONOutput.document(ToolCallList(session: reference.sessionId, total: matching.count, rows: Array(page)))
    }

    static let recentEdits = ToolDefinition(
        name: "recent_edits", title: "Recent edits",
        description: "Files changed by tool calls (Write, Edit, MultiEdit, NotebookEdit, patches), newest first: which file, how, by which session and agent, when.",
        arguments: [ToolArgument(name: "path", kind: .text(maxLength: 1024), description: "Only files whose path contains this text."),
                    ToolArgument(name: "limit", kind: .integer(1...500), description: "At most this many (default 30).")]
            + ToolArgument.range,
        output: OutputSchemas.edits, writes: false
    ) { arguments, context in
        let query = EditQuery(filter: try arguments.usageFilter(), path: arguments.string("path"), limit: arguments.int("limit", default: 30))
        return try JSONOutput.document(EditList(rows: try await context.blocking { try context.store.recentEdits(query) }))
    }

    static let getFailedPaths = ToolDefinition(
        name: "get_failed_paths", title: "Approaches that failed",
        description: "Approaches noted as not working (by agents through note_failed_path, or `agentlog note failed-path`), newest first.",
        arguments: [ToolArgument(name: "project", kind: .text(maxLength: 1024), description: "Only this project folder's notes (exact path; default: all).")],
        output: OutputSchemas.failedPaths, writes: false
    ) { arguments, context in
        let project = arguments.string("project").map(context.absolute)
        return try JSONOutput.document(FailedPathList(rows: try await context.blocking { try context.store.failedPaths(project: project) }))
    }

    static let getOpenErrors = ToolDefinition(
        name: "get_open_errors", title: "Open errors",
        description: "Failed tool calls that no later success on the same file and of the same kind resolved (as hooks saw them), newest first.",
        arguments: [ToolArgument(name: "session", kind: .text(maxLength: 200), description: "Only this session's (its full id)."),
                    ToolArgument(name: "project", kind: .text(maxLength: 1024), description: "Only sessions working in this folder (exact path)."),
                    ToolArgument(name: "limit", kind: .integer(1...1000), description: "At most this many (default 50).")],
        output: OutputSchemas.openErrors, writes: false
    ) { arguments, context in
        let session = arguments.string("session")
        let project = arguments.string("project").map(context.absolute)
        let limit = arguments.int("limit", default: 50)
        return try JSONOutput.document(OpenErrorList(rows: try await context.blocking {
            try context.store.openErrors(session: session, project: project, limit: limit)
        }))
    }

    static let listAgents = ToolDefinition(
        name: "list_agents", title: "Agents",
        description: "Hooked agents and subagents with their status (running, completed, failed, aborted_stale: no event for 30 minutes), latest first.",
        arguments: [ToolArgument(name: "status", kind: .choice(["running", "completed", "failed", "aborted_stale"]), description: "Only agents in this state."),
                    ToolArgument(name: "project", kind: .text(maxLength: 1024), description: "Only agents working in this folder (exact path).")],
        output: OutputSchemas.agents, writes: false
    ) { arguments, context in
        let status = arguments.string("status")
        let project = arguments.string("project").map(context.absolute)
        let agents = try await context.blocking { try context.store.agents() }
        return try JSONOutput.document(AgentList(rows: agents.filter {
            (status == nil || $0.status == status) && (project == nil || $0.project == project)
        }))
    }

    static let getClaims = ToolDefinition(
        name: "get_claims", title: "File claims",
        description: "Which agent wrote or announced which file, most recent first. Released and expired announcements are left out unless include_released.",
        arguments: [ToolArgument(name: "path", kind: .text(maxLength: 1024), description: "Only files whose path contains this text."),
                    ToolArgument(name: "include_released", kind: .boolean, description: "Also claims that were released or expired.")],
        output: OutputSchemas.claims, writes: false
    ) { arguments, context in
        let path = arguments.string("path")
        let all = arguments.bool("include_released")
        let now = AgentLogStore.now()
        let claims = try await context.blocking { try context.store.fileClaims() }
        return try JSONOutput.document(ClaimList(rows: claims.filter { claim in (path.map { claim.path.contains($0) } ?? true) && (all || (claim.expiresAt ?? .max) > now)
        }))
    }

    static let listRuns = ToolDefinition(
        name: "list_runs", title: "Runs",
        description: "Processes started by `agentlog run` or an embedding app, newest first; crashed runs are found and marked first.",
        arguments: [ToolArgument(name: "status", kind: .choice(RunStatus.allCases.map(\.rawValue)), description: "Only runs in this state."),
                    ToolArgument(name: "limit", kind: .integer(1...1000), description: "At most this many (default 50).")],
        output: OutputSchemas.runs, writes: false
    ) { arguments, context in
        let status = arguments.string("status").flatMap(RunStatus.init(rawValue:))
        _ = try await context.store.detectCrashedRuns()
        let runs = try await context.store.runs(status: status, limit: arguments.int("limit", default: 50))
        let directories = Dictionary(try await context.store.projects().map { ($0.id, $0.directory) }, uniquingKeysWith: { first, _ in first })
        return try JSONOutput.document(RunList(rows: runs, projectDirectories: directories))
    }
}
