import AgentLogDatabase
import AgentLogHistory
import AgentLogIngest
import AgentLogSync
import Foundation

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


/// Writes a scaled history into `folder/tree` with scale-corpus.py: `copies` copies of the Claude
/// corpus, a day apart, ids drawn from `seed`; returns the tree's path.
public func scaledTree(in folder: TemporaryFolder, copies: Int = 3, seed: Int) throws -> String {
    let out = folder.path + "/tree"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", Corpus.root.appendingPathComponent("../tools/scale-corpus.py").standardizedFileURL.path,
                         "--copies", "\(copies)", "--seed", "\(seed)", "--out", out]
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw ScaledTreeError(status: process.terminationStatus) }
    return out
}

/// scale-corpus.py failed.
public struct ScaledTreeError: Error, CustomStringConvertible {
    /// Its exit status.
    public var status: Int32
    public var description: String { "scale-corpus.py exited with \(status)" }
}

/// Writes one Claude Code response at `time` (ms since 1970) in `/src/app` — 1M input tokens of
/// Opus 4.6, $5.00 at list price — under `folder/tree`, and syncs it into `store`.
public func syncOneResponse(_ store: AgentLogStore, in folder: TemporaryFolder, session: String, at time: Int64) throws {
    let line = """
        {"type":"assistant","sessionId":"\(session)","uuid":"u1","timestamp":"\(Timestamp.iso8601(milliseconds: time))","cwd":"/src/app",\
        "requestId":"r1","message":{"id":"m1","role":"assistant","model":"claude-opus-4-6","content":[{"type":"text","text":"hi"}],\
        "usage":{"input_tokens":1000000,"output_tokens":0}}}
        """
    _ = try folder.write("tree/-src-app/\(session).jsonl", Data((line + "\n").utf8))
    _ = try sync(store, folder.path + "/tree")
}
