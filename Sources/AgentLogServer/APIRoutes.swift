import AgentLogDatabase
import AgentLogHistory
import AgentLogIngest
import AgentLogJSON
import AgentLogStore
import AgentLogSpend
import Hummingbird
import NIOPosix

/// The routes of `/api/v1` and `/openapi.json`. Each parses its parameters (a bad one is a 400
/// naming it), runs the same query as the CLI — the history's synchronous queries on NIO's
/// thread pool, never on an event loop — and answers its `SchemaResult`.
struct APIRoutes: Sendable {
    let store: AgentLogStore
    let pool: NIOThreadPool

    func add(to router: Router<ServerRequestContext>) {
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_json)))
        }
        // What the API serves (the dashboard is at /).
        router.get("api/v1") { request, _ in
            try QueryParameters(request).allowOnly([])
            return try Response.json(APIIndex())
        }
        let api = router.group("api/v1")
        api.get("status") { request, _ in
            try QueryParameters(request).allowOnly([])
            return try Response.json(try await blocking { try store.status() })
        }
        api.get("sessions") { request, _ in try await sessions(QueryParameters(request)) }
        api.get("sessions/:id") { request, context in
            let query = QueryParameters(request)
            try query.allowOnly(["from", "limit"])
            let id = try context.parameters.decoded("id")
            let transcript = try await blocking { try store.transcript(of: store.resolveSession(id)) }
            // Without from or limit, the whole session, as `agentlog show --format json` writes it.
            guard query.values["from"] != nil || query.values["limit"] != nil else { return try Response.json(transcript) }
            return try Response.json(SessionTranscriptPage(transcript, from: try query.int("from", in: 0...1_000_000, default: 0),
                                                           limit: try query.int("limit", in: 1...1_000, default: 50)))
        }
        api.get("reports") { request, _ in try await report(QueryParameters(request)) }
        api.get("accuracy") { request, _ in
            let query = QueryParameters(request)
            try query.allowOnly(QueryParameters.rangeNames)
            let filter = try query.usageFilter(), zone = try query.timeZone()
            return try Response.json(try await blocking { try store.accuracyReport(filter: filter, timeZone: zone) })
        }
        api.get("search") { request, _ in try await search(QueryParameters(request)) }
        api.get("events") { request, _ in try await events(QueryParameters(request)) }
        api.get("projects") { request, _ in
            try QueryParameters(request).allowOnly([])
            _ = try await store.detectCrashedRuns()
            return try Response.json(ProjectList(rows: try await store.projectOverviews()))
        }
        api.get("runs") { request, _ in try await runs(QueryParameters(request)) }
        api.get("agents") { request, _ in
            try QueryParameters(request).allowOnly([])
            return try Response.json(AgentList(rows: try await blocking { try store.agents() }))
        }
        api.get("failed-paths") { request, _ in
            let query = QueryParameters(request)
            try query.allowOnly(["project"])
            let project = query.string("project")
            return try Response.json(FailedPathList(rows: try await blocking { try store.failedPaths(project: project) }))
        }
        api.get("limits") { request, _ in
            let query = QueryParameters(request)
            try query.allowOnly(["since", "until", "agent"])
            let filter = try query.usageFilter()
            return try Response.json(try await blocking { try store.limitsReport(since: filter.since, until: filter.until, agents: filter.agents) })
        }
        api.get("budgets") { request, _ in
            try QueryParameters(request).allowOnly([])
            let now = AgentLogStore.now()
            return try Response.json(try await blocking {
                try store.readStatements { db in
                    let reader = SpendReader(db: db)
                    return BudgetReport(budgets: try reader.statuses(of: try reader.budgets(), now: now), now: now)
                }
            })
        }
        api.get("claims") { request, _ in
            try QueryParameters(request).allowOnly([])
            return try Response.json(ClaimList(rows: try await blocking { try store.fileClaims() }))
        }
    }

    private func sessions(_ query: QueryParameters) async throws -> Response {
        try query.allowOnly(QueryParameters.rangeNames.union(["model", "tool", "file", "errors", "limit", "cursor"]))
        var criteria = SessionCriteria(model: query.string("model"), tool: query.string("tool"), file: query.string("file"))
        criteria.hadErrors = try query.flag("errors")
        let limit = try query.int("limit", in: 1...1_000, default: 50)
        var cursor: SessionCursor?
        if let text = query.string("cursor") {
            guard let parsed = SessionCursor(text) else {
                throw APIError.badParameter("cursor", "cursor must be the nextCursor of an earlier page, not '\(text.prefix(40))'.")
            }
            cursor = parsed
        }
        let request = SessionQuery(filter: try query.usageFilter(), criteria: criteria, limit: limit + 1, after: cursor)
        let found = try await blocking { try store.sessions(request) }
        let page = Array(found.prefix(limit))
        return try Response.json(SessionList(rows: page, nextCursor: found.count > limit ? page.last.map { SessionCursor(after: $0).text } : nil))
    }

    private func report(_ query: QueryParameters) async throws -> Response {
        try query.allowOnly(QueryParameters.rangeNames.union(["group", "breakdown", "source"]))
        let group = try query.choice("group", ReportKind.allCases.map(\.rawValue), default: "daily")!
        let breakdown = try query.choice("breakdown", ["agent", "model"])
        let source = try query.choice("source", UsageSource.allCases.map(\.rawValue), default: "best")!
        let options = ReportOptions(kind: ReportKind(rawValue: group)!, filter: try query.usageFilter(), timeZone: try query.timeZone(),
                                    breakdownByAgent: breakdown == "agent", breakdownByModel: breakdown == "model",
                                    source: UsageSource(rawValue: source)!)
        return try Response.json(try await blocking { try store.usageReport(options) })
    }

    private func search(_ query: QueryParameters) async throws -> Response {
        try query.allowOnly(QueryParameters.rangeNames.union(["q", "limit", "thinking", "errors", "model", "tool", "file"]))
        guard let text = query.string("q") else { throw APIError.badParameter("q", "q is the text to search for; give some words.") }
        let expression: SearchExpression
        do { expression = try SearchExpression(text) } catch { throw APIError.badParameter("q", error.description) }
        var request = SearchQuery(expression: expression)
        request.filter = try query.usageFilter()
        request.limit = try query.int("limit", in: 1...200, default: 20)
        request.includeThinking = try query.flag("thinking")
        request.errorsOnly = try query.flag("errors")
        request.criteria = SessionCriteria(model: query.string("model"), tool: query.string("tool"), file: query.string("file"))
        let search = request
        return try Response.json(SearchResults(rows: try await blocking {
            _ = try store.updateSearchIndex()
            return try store.search(search)
        }))
    }

    private func events(_ query: QueryParameters) async throws -> Response {
        try query.allowOnly(["session", "after", "type", "limit"])
        let request = EventQuery(session: query.string("session"), after: try query.count("after"), type: query.string("type"),
                                 limit: try query.int("limit", in: 1...10_000, default: 1_000))
        return try Response.json(EventList(rows: try await blocking { try store.events(request) }))
    }

    private func runs(_ query: QueryParameters) async throws -> Response {
        try query.allowOnly(["status", "limit"])
        let status = try query.choice("status", RunStatus.allCases.map(\.rawValue)).flatMap(RunStatus.init(rawValue:))
        let limit = try query.int("limit", in: 1...1_000, default: 50)
        _ = try await store.detectCrashedRuns()
        let runs = try await store.runs(status: status, limit: limit)
        let directories = Dictionary(try await store.projects().map { ($0.id, $0.directory) }, uniquingKeysWith: { first, _ in first })
        return try Response.json(RunList(rows: runs, projectDirectories: directories))
    }

    /// Runs a synchronous store call on the thread pool; store errors become API errors (an
    /// unknown or ambiguous session is a 404 or a 400, anything else a 500).
    private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await Self.blocking(on: pool, body)
    }

    /// Runs `body` on `pool`, store errors turned into API errors.
    static func blocking<T: Sendable>(on pool: NIOThreadPool, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await pool.runIfActive(body)
        } catch let error as StoreError {
            throw APIError(error)
        }
    }
}

extension APIError {
    /// The answer for a store error.
    init(_ error: StoreError) {
        switch error {
        case .notFound: self.init(status: 404, error.description, parameter: "id")
        case .ambiguous: self.init(status: 400, error.description, parameter: "id")
        case .invalidValue: self.init(status: 400, error.description)
        default: self.init(status: 500, error.description)
        }
    }
}
