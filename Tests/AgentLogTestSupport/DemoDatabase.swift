import AgentLogDatabase
import AgentLogDemo
import Foundation

/// A database holding the demo history (written for a fixed moment, synced), made once per
/// test process and shared by the tests that only read it.
public final class DemoDatabase: Sendable {
    /// The folder holding the demo transcripts and the database.
    public let folder: TemporaryFolder
    /// The database.
    public let store: AgentLogStore

    /// Writes the demo history into a new temporary folder and syncs it.
    public init() throws {
        folder = try TemporaryFolder()
        let projects = folder.url.appendingPathComponent("projects")
        _ = try DemoHistory.write(to: projects, now: Date(timeIntervalSince1970: 1_764_600_000))
        store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
        _ = try sync(store, projects.path)
    }

    /// The one shared by this test process.
    public static let shared: Result<DemoDatabase, any Error> = Result { try DemoDatabase() }
}
