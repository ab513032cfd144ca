import AgentLogHistory
import AgentLogHooks
import Foundation

/// What a look at the transcript folders and the database found before any store was opened
/// (``SyncEngine/look(databasePath:roots:cleanupCutoff:)``).
///
/// Most syncs find nothing to do, and most of a sync that finds nothing is opening the store:
/// GRDB's pool, its connections, its set-up. The look asks the database through a short-lived
/// connection of the SQLite layer that only reads; only when there is something to write does
/// the caller open the store and sync, handing the look over so the folders are not walked twice.
/// A look that finds something to do keeps the sync lock for that sync (no other sync can read
/// the files in between, so what it saw stays true); it is released when the sync ends or the
/// look is dropped.
///
/// ```swift
/// let look = try SyncEngine.look(databasePath: path, roots: roots)
/// let report = try look.report ?? SyncEngine(store: try AgentLogStore.open(at: path)).sync(roots: roots, after: look)
/// ```
public struct SyncLook: Sendable {
    /// The whole sync's report when it has nothing to do: the schema is this build's, no source
    /// file changed, appeared or vanished since the database last read it, and no hook event
    /// waits in the spool. `nil` when the store must be opened and a sync run.
    public let report: SyncReport?
    /// The roots looked at.
    let roots: [SyncRoot]
    /// The folders as the look walked them.
    let walked: WalkedRoots
    /// What the walk alone put in the report (roots that do not exist).
    let walkReport: SyncReport
    /// What the database knew of the files, when the look could read it.
    let known: [String: SourceFileState]?
    /// How long the look took.
    let milliseconds: Int
    /// The sync lock, held from before the walk, when there is something to do (and a lock file
    /// to hold).
    let lock: SyncLock?
}

extension SyncEngine {
    /// Walks `roots` and compares them with what the database at `databasePath` knows, without
    /// opening the store and writing nothing but the sync's lock file (see ``SyncLook``). Files of a Claude root
    /// last changed before `cleanupCutoff` (ms since 1970) are counted as ``sync(roots:after:progress:)``
    /// counts them. A missing or unreadable explicit root is an error, as in a sync.
    public static func look(databasePath: String, roots: [SyncRoot], cleanupCutoff: Int64? = nil) throws(SyncError) -> SyncLook {
        let started = DispatchTime.now()
        @Sendable func elapsed() -> Int { Int((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000) }
        let lock = try SyncLock(database: databasePath)
        let knownFiles = Background { (states: SourceFileState.lookWithoutStore(databasePath: databasePath), milliseconds: elapsed()) }
        var walkReport = SyncReport()
        let walked = try walk(roots, report: &walkReport)
        let walkedAt = elapsed()
        let (known, knownAt) = (try? knownFiles.value()) ?? (nil, 0)
        if ProcessInfo.processInfo.environment["AGENTLOG_SYNC_TRACE"] != nil {
            FileHandle.standardError.write(Data(("sync trace: look walked \(walked.reduce(0) { $0 + $1.files.count }) files in \(walkedAt) ms, "
                + "read \(known.map { "\($0.count)" } ?? "no") known files in \(knownAt) ms\n").utf8))
        }
        func finish(_ report: SyncReport?) -> SyncLook {
            // Only a lock on a file is worth handing on: without one (the database's folder is not
            // made yet) the sync takes its own once the store has made it.
            let handed = report == nil && lock.locksFile
            if !handed { lock.release() }
            return SyncLook(report: report, roots: roots, walked: walked, walkReport: walkReport, known: known,
                            milliseconds: elapsed(), lock: handed ? lock : nil)
        }
        guard let known, !HookRunner(databasePath: databasePath).hasSpooledEvents else { return finish(nil) }
        var report = walkReport
        let (work, seen) = findChanges(in: walked, known: known, cleanupCutoff: cleanupCutoff, report: &report)
        guard work.isEmpty, newlyMissing(known: known, seen: seen, roots: roots).isEmpty else { return finish(nil) }
        report.durationMs = elapsed()
        return finish(report)
    }
}
