import AgentLogDemo
import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import AgentLogSync
import ArgumentParser
import Foundation

/// `agentlog demo`: the product on sample data, with nothing of the user's own.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write a realistic sample Claude Code history to a temporary folder, sync it and print the reports.",
        discussion: "Nothing outside the temporary folder is read or written; your own agent folders are never touched.")

    @Flag(help: "Keep the temporary folder (transcripts and database) and print its path.")
    var keep = false

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("agentlog-demo-\(UUID().uuidString.prefix(8))")
        let projects = folder.appendingPathComponent("claude/projects")
        defer { if !keep { try? FileManager.default.removeItem(at: folder) } }
        let summary = try DemoHistory.write(to: projects, now: CommandContext.current.now())
        let store = try AgentLogStore.open(at: folder.appendingPathComponent("agentlog.db").path)
        let report = try SyncEngine(store: store).sync(roots: [SyncRoot(path: projects.path, agent: .claude, isExplicit: true)])
        print("Wrote a sample history of \(summary.sessions) sessions in \(summary.projects) projects (\(summary.files) files, \(summary.bytes / 1000) kB) to \(folder.path)")
        print(SyncRunner.text(report))
        for kind in [ReportKind.daily, .model] {
            print("\n\(kind == .daily ? "agentlog report daily" : "agentlog report model")\n")
            print(ReportRendering.text(try store.usageReport(ReportOptions(kind: kind, timeZone: TimeZone(identifier: "UTC")!))))
        }
        print("\nagentlog sessions\n")
        let sessions = try store.sessions(SessionQuery(limit: 20))
        var table = TextTable([("Session", .left), ("Project", .left), ("Started (UTC)", .left), ("Duration", .right),
                               ("Msgs", .right), ("Tokens", .right), ("Cost", .right), ("Title", .left)])
        for session in sessions {
            table.add([String(session.sessionId.prefix(8)), (session.project.map { ($0 as NSString).lastPathComponent } ?? ""),
                       TimeText.localTime(session.startedAt, TimeZone(identifier: "UTC")!),
                       TimeText.duration(session.durationMs), String(session.messages),
                       Money.groupThousands(Int64(session.tokens.total)), Money.dollars(micros: session.costMicros),
                       (session.title ?? "").clipped(50)])
        }
        print(table.render())
        if keep {
            print("\nKept \(folder.path). Try: agentlog --db \(folder.path)/agentlog.db report session --no-sync")
        } else {
            print("\nNext: `agentlog sync` reads your own ~/.claude/projects, then `agentlog report daily`.")
        }
    }
}
