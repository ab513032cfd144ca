import AgentLogDatabase
import AgentLogHistory
import AgentLogIngest
import AgentLogSync

/// Syncs `folder` into `store` as an explicit root of `agent` (Claude Code unless said).
public func sync(_ store: AgentLogStore, _ folder: String, agent: AgentKind = .claude) throws -> SyncReport {
    try SyncEngine(store: store).sync(roots: [SyncRoot(path: folder, agent: agent, isExplicit: true)])
}

/// The totals of everything synced into `store`, as ``ExpectedTotals`` counts them.
public func totals(_ store: AgentLogStore, kind: ReportKind = .model) throws -> ExpectedTotals {
    let report = try store.usageReport(ReportOptions(kind: kind))
    var totals = ExpectedTotals()
    totals.sessions = try store.status().sessions
    totals.responses = report.totals.responses
    totals.input = report.totals.tokens.input
    totals.output = report.totals.tokens.output
    totals.cacheCreation = report.totals.tokens.cacheCreation
    totals.cacheRead = report.totals.tokens.cacheRead
    return totals
}

