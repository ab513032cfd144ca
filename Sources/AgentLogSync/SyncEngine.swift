import AgentLogHooks
import AgentLogIngest
import AgentLogDatabase
import AgentLogHistory
import Foundation

/// Reads what is new in agents' transcript folders into the store.
///
/// Per source file the store keeps device, inode, size, mtime, the offset after the last
/// complete line and a hash of the first bytes. A file whose fingerprint did not change is not
/// opened; a grown file is read from where the last sync stopped; a file that shrank or was
/// replaced is read again from the start (idempotent writes keep that from duplicating
/// anything). A partial last line waits for the next sync.
///
/// ```swift
/// let engine = SyncEngine(store: store)
/// let report = try engine.sync(roots: SyncRoot.claudeDefaults())
/// print(report.newRecords)
/// ```
public struct SyncEngine: Sendable {
    /// The store the transcripts are read into.
    public let store: AgentLogStore
    /// Bytes read per step; each step becomes one item of a write transaction.
    public var blockSize = 4 << 20
    /// Longer lines are rejected (their bytes are still archived).
    public var maxLineLength = 64 << 20
    /// Threads that read, parse and compress files while the calling thread writes.
    public var readerThreads = 2
    /// Raw bytes written per transaction (several small files share one).
    public var transactionBytes = 32 << 20
    /// A write transaction takes no more files after this long, so that other writers (hooks)
    /// wait at most about this long for the database.
    public var transactionMilliseconds = 500
    /// Called on the reading thread just before each file is opened (tests use it to make a
    /// file vanish mid-sync).
    public var beforeReading: (@Sendable (String) -> Void)?
    /// Claude Code deletes transcripts it has not changed for `cleanupPeriodDays`: files of a
    /// Claude root last changed before this time (ms since 1970) are about to go. Those this sync
    /// reads are counted in ``SyncReport/archivedBeforeCleanup``.
    public var cleanupCutoff: Int64?
    /// Whether secrets are masked in what is stored (``AgentLogStore/redactSecrets()``); `nil`
    /// follows the database's own option (on for a database created new).
    public var redact: Bool?

    /// An engine that syncs into `store`, with the default sizes and thread count.
    public init(store: AgentLogStore) { self.store = store }

    /// Stores the hook events that were spooled beside the database (it was locked, read-only
    /// or missing when they came): how many were stored, and why the rest wait, if they do.
    /// Cheap when there is no spool. ``sync(roots:after:progress:)`` ends with it; commands that
    /// read events call it first.
    public func replaySpool() -> (replayed: Int, problem: String?) {
        guard let path = store.path else { return (0, nil) }
        do {
            return (try HookRunner(databasePath: path).replayAll(), nil)
        } catch {
            return (0, "spooled hook events stay in \(path).spool for now: \(error)")
        }
    }

    /// Syncs every file under `roots`, then replays the hook spool. `progress` is called after
    /// each step. After a ``look(databasePath:roots:cleanupCutoff:)`` of the same roots and
    /// database that found something to do, the sync goes on under the look's lock from what it
    /// saw, without walking the folders again.
    public func sync(roots: [SyncRoot], after look: SyncLook? = nil,
                     progress: (@Sendable (SyncProgress) -> Void)? = nil) throws(SyncError) -> SyncReport {
        let started = Date()
        var report = SyncReport()
        let store = store
        let walked: WalkedRoots
        var known: [String: SourceFileState]
        // One sync at a time per database: two would read the same new bytes and race to record
        // how far each file was read. A look of these roots hands its lock on, once.
        let handed = look.flatMap { look in
            look.roots == roots && look.lock?.database == store.path && look.lock?.claim() == true ? look : nil
        }
        if handed == nil { look?.lock?.releaseUnlessClaimed() }  // else this sync would wait for it
        let lock: SyncLock
        if let held = handed?.lock { lock = held } else { lock = try SyncLock(database: store.path) }
        defer { lock.release() }
        if let handed {
            walked = handed.walked
            report = handed.walkReport
            // The look could not read the states when the database was missing or older.
            do { known = try handed.known ?? store.sourceFiles() } catch { throw .store("\(error)") }
        } else {
            // What the database knows of the files is read while the folders are walked.
            let knownFiles = Background { try store.sourceFiles() }
            walked = try Self.walk(roots, report: &report)
            do { known = try knownFiles.value() } catch { throw .store("\(error)") }
        }

        let (work, seen) = Self.findChanges(in: walked, known: known, cleanupCutoff: cleanupCutoff, report: &report)

        let missing = Self.newlyMissing(known: known, seen: seen, roots: roots)
        report.missingFiles = missing.count
        do { try store.markMissing(fileIds: missing.map(\.id)) } catch { throw .store(error.description) }

        let total = work.reduce(Int64(0)) { $0 + max(0, $1.fingerprint.size - (known[$1.path]?.offset ?? 0)) }
        let newFiles = work.filter { known[$0.path] == nil }.map {
            (path: $0.path, root: $0.root.path, agent: $0.root.agent.rawValue,
             kind: $0.path.hasSuffix(".meta.json") ? "meta" : "transcript")
        }
        do {
            known.merge(try store.registerSourceFiles(newFiles)) { _, new in new }
        } catch { throw .store(error.description) }

        // Reader threads read, parse and compress; this one writes, several files per transaction.
        let channel = Channel<SyncMessage>(capacity: 64)
        let redacting: Bool
        do { redacting = try work.isEmpty ? false : (redact ?? store.redactsSecrets()) } catch { throw .store("\(error)") }
        startReaders(work, states: known, redacting: redacting, into: channel)

        // A third thread copies the WAL into the database file while the writer goes on (and
        // leaves it empty at the end: every later read is faster for it). Only worth a
        // connection of its own when the sync brings more than one WAL's worth.
        let policy = CheckpointPolicy.sync
        let checkpoint = total > policy.thresholdBytes
            ? store.startBackgroundCheckpoint(thresholdBytes: policy.thresholdBytes, backstopPages: policy.backstopPages) : nil
        defer { checkpoint?.stop(finalCheckpoint: true) }

        var writtenBytes: Int64 = 0
        var filesDone = 0
        var waitedNs: UInt64 = 0
        var writingNs: UInt64 = 0
        var waitedInTransactionNs: UInt64 = 0
        defer {
            if ProcessInfo.processInfo.environment["AGENTLOG_SYNC_TRACE"] != nil {
                FileHandle.standardError.write(Data("sync trace: writer waited \(waitedNs / 1_000_000) ms, wrote \(writingNs / 1_000_000) ms (of which waiting for readers \(waitedInTransactionNs / 1_000_000) ms), writer CPU \(Self.threadCPUMilliseconds()) ms\n".utf8))
            }
        }
        var finished = false
        var files: [SyncMessage] = []
        /// The next prepared file from the readers; other messages are kept for the report.
        func receiveItem() -> IngestItem? {
            while true {
                switch channel.receive() {
                case .value(.item(let item)): return item
                case .value(let message): files.append(message)
                case .closed:
                    finished = true
                    return nil
                }
            }
        }
        while !finished {
            // Wait for the first item outside a transaction, then write items as the readers
            // hand them over, up to `transactionBytes`, 512 files or `transactionMilliseconds`
            // per transaction (others waiting to write, such as hooks, wait at most that long).
            files.removeAll()
            var groupBytes = 0
            let waitStart = DispatchTime.now().uptimeNanoseconds
            var first = receiveItem()
            let writeStart = DispatchTime.now().uptimeNanoseconds
            waitedNs += writeStart - waitStart
            defer { writingNs += DispatchTime.now().uptimeNanoseconds - writeStart }
            if first != nil {
                var itemCount = 0
                let deadline = writeStart + UInt64(transactionMilliseconds) * 1_000_000
                do {
                    let counts = try store.ingest(next: {
                        var item = first
                        first = nil
                        if item == nil {
                            guard groupBytes < transactionBytes, itemCount < 512,
                                  DispatchTime.now().uptimeNanoseconds < deadline else { return nil }
                            let receiveStart = DispatchTime.now().uptimeNanoseconds
                            item = receiveItem()
                            waitedInTransactionNs += DispatchTime.now().uptimeNanoseconds - receiveStart
                        }
                        if let item {
                            groupBytes += item.rawBytes
                            itemCount += 1
                        }
                        return item
                    })
                    checkpoint?.nudge()
                    report.newRecords += counts.newRecords
                    report.newSessions += counts.newSessions
                    report.newMessages += counts.newMessages
                } catch {
                    channel.cancel()
                    throw .store(error.description)
                }
            }
            writtenBytes += Int64(groupBytes)
            for message in files {
                filesDone += 1
                switch message {
                case .fileDone(let path, let result):
                    report.filesRead += 1
                    report.bytesRead += result.bytes
                    report.lines += result.lines
                    report.skippedLines += result.skipped
                    report.pendingBytes += result.pendingBytes
                    report.rejected += result.rejected.map { SyncReport.Rejection(file: path, line: $0.line, reason: $0.reason) }
                case .fileFailed(let path, let reason):
                    report.failedFiles += 1
                    report.rejected.append(SyncReport.Rejection(file: path, line: 0, reason: reason))
                case .item:
                    break
                }
            }
            progress?(SyncProgress(bytesDone: min(writtenBytes, total), bytesTotal: total, filesDone: filesDone, filesTotal: work.count))
        }
        if report.filesRead > 0 {
            do { try store.resolveSummaries() } catch { throw .store(error.description) }
        }
        (report.replayedHookEvents, report.spoolProblem) = replaySpool()
        report.durationMs = Int(Date().timeIntervalSince(started) * 1000) + (handed?.milliseconds ?? 0)
        return report
    }

    /// CPU time of the calling thread so far, for the sync trace.
    static func threadCPUMilliseconds() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return time.tv_sec * 1000 + time.tv_nsec / 1_000_000
    }

    /// Every source file under `roots`, root by root; a missing default root is noted in
    /// `report`, a missing or unreadable explicit one is an error.
    static func walk(_ roots: [SyncRoot], report: inout SyncReport) throws(SyncError) -> WalkedRoots {
        var walked: WalkedRoots = []
        for root in roots {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue else {
                if root.isExplicit {
                    throw SyncError.unreadableRoot(path: root.path, reason: "no such folder")
                }
                report.absentRoots.append(root.path)
                continue
            }
            guard access(root.path, R_OK | X_OK) == 0 else {
                throw SyncError.unreadableRoot(path: root.path, reason: String(cString: strerror(errno)).lowercased())
            }
            walked.append((root, DirectoryWalker.files(under: root.path, include: root.isSource)))
        }
        return walked
    }

    /// The files that changed since the store last read them, and every path seen; files of a
    /// Claude root last changed before `cleanupCutoff` are counted in the report.
    static func findChanges(in walked: WalkedRoots, known: [String: SourceFileState], cleanupCutoff: Int64?,
                            report: inout SyncReport) -> (work: [WorkItem], seen: Set<String>) {
        var work: [WorkItem] = []
        var seen = Set<String>()
        for (root, files) in walked {
            var changed: [WorkItem] = []
            for (path, fingerprint) in files {
                // Gemini keeps other JSON (logs, checkpoints) beside its chats: only chats/ counts.
                if root.agent == .gemini, !path.contains("/chats/") { continue }
                guard seen.insert(path).inserted else { continue }
                report.files += 1
                if fingerprint.size == 0, path.hasSuffix(".jsonl") { report.emptyFiles += 1 }
                if let state = known[path], state.size == fingerprint.size, state.mtimeNs == fingerprint.mtimeNs,
                   state.inode == fingerprint.inode, state.device == fingerprint.device, state.missingSince == nil {
                    continue
                }
                changed.append((path, root, fingerprint))
                if let cutoff = cleanupCutoff, root.agent == .claude, fingerprint.mtimeNs / 1_000_000 < cutoff { report.archivedBeforeCleanup += 1 }
            }
            // Meta files first, so a subagent's type is known when its transcript is read; then
            // by path (the walk's order is the file system's).
            work += changed.sorted { ($0.path.hasSuffix(".meta.json") ? 0 : 1, $0.path) < ($1.path.hasSuffix(".meta.json") ? 0 : 1, $1.path) }
        }
        return (work, seen)
    }

    /// Known files under `roots` that the walk did not see and that are not marked missing yet.
    static func newlyMissing(known: [String: SourceFileState], seen: Set<String>, roots: [SyncRoot]) -> [SourceFileState] {
        known.values.filter { file in
            file.missingSince == nil && !seen.contains(file.path) && roots.contains { file.path.hasPrefix($0.path + "/") }
        }
    }

    /// What Claude Code's cleanup is about to delete under `roots` (files of Claude roots last
    /// changed before `cutoff`, ms since 1970), and how many of those hold bytes the database
    /// does not have yet. Reads the folders and the database; changes nothing.
    public func cleanupRisk(roots: [SyncRoot], cutoff: Int64) throws(SyncError) -> (soon: Int, unarchived: Int) {
        var report = SyncReport()
        let walked = try Self.walk(roots.filter { $0.agent == .claude }, report: &report)
        let known: [String: SourceFileState]
        do { known = try store.sourceFiles() } catch { throw .store("\(error)") }
        var soon = 0, unarchived = 0
        for (_, files) in walked {
            for (path, fingerprint) in files where fingerprint.mtimeNs / 1_000_000 < cutoff {
                soon += 1
                if known[path].map({ $0.size == fingerprint.size && $0.mtimeNs == fingerprint.mtimeNs }) != true { unarchived += 1 }
            }
        }
        return (soon, unarchived)
    }

    /// Starts the reader threads; the last to finish closes `channel`. A subagent's meta file
    /// and its transcript go to the same reader, in order.
    private func startReaders(_ work: [WorkItem], states: [String: SourceFileState], redacting: Bool, into channel: Channel<SyncMessage>) {
        let readers = max(1, min(readerThreads, work.count))
        let running = Countdown(readers)
        var shares = Array(repeating: [WorkItem](), count: readers)
        for item in work {
            let stem = item.path.hasSuffix(".meta.json") ? String(item.path.dropLast(".meta.json".count))
                : (item.path as NSString).deletingPathExtension
            shares[Int(UInt64(bitPattern: fnv1a(Array(stem.utf8))) % UInt64(readers))].append(item)
        }
        for share in shares {
            let reader = Thread { [self] in
                read(share, states: states, redacting: redacting, into: channel)
                if running.finish() { channel.close() }  // the last reader to finish
            }
            reader.stackSize = 8 << 20
            reader.start()
        }
    }

}

extension SyncEngine {
    /// Reads `files` in order on a reader thread, sending what it prepares to the writer, with
    /// its secrets masked when `redacting`.
    func read(_ files: [WorkItem], states: [String: SourceFileState], redacting: Bool,
              into channel: Channel<SyncMessage>) {
        var metas: [String: SubagentMeta] = [:]
        for item in files {
            guard let state = states[item.path] else { continue }
            beforeReading?(item.path)
            do {
                let emit: (IngestItem) throws -> Void = { prepared in
                    var prepared = prepared
                    if redacting { prepared.redactSecrets() }
                    guard channel.send(.item(prepared)) else { throw CancellationError() }
                }
                let result = item.path.hasSuffix(".meta.json")
                    ? try readMeta(item.path, state: state, fingerprint: item.fingerprint, metas: &metas, emit: emit)
                    : item.root.agent == .gemini && item.path.hasSuffix(".json")
                    ? try readDocument(item.path, state: state, fingerprint: item.fingerprint, emit: emit)
                    : try readTranscript(item.path, agent: item.root.agent, state: state, fingerprint: item.fingerprint,
                                         metas: metas, emit: emit)
                guard channel.send(.fileDone(item.path, result)) else { return }
            } catch is CancellationError {
                return
            } catch {
                // The file vanished or became unreadable mid-sync: report it and go on.
                let reason = (error as? FileSystemError).map { "file could not be read: \($0.reason.lowercased())" } ?? "\(error)"
                guard channel.send(.fileFailed(item.path, reason)) else { return }
            }
        }
    }
}

/// The folders walked: each root with its source files and their fingerprints.
typealias WalkedRoots = [(root: SyncRoot, files: [(path: String, fingerprint: FileFingerprint)])]

/// A source file to read: where it is, its root and its fingerprint now.
typealias WorkItem = (path: String, root: SyncRoot, fingerprint: FileFingerprint)

/// What the reading thread hands the writing thread.
enum SyncMessage: Sendable {
    case item(IngestItem)
    case fileDone(String, FileSyncResult)
    case fileFailed(String, String)
}

/// What reading one file added.
struct FileSyncResult: Sendable {
    var bytes: Int64 = 0
    var lines = 0
    var skipped = 0
    /// Bytes after the last complete line: an unfinished line that the next sync reads.
    var pendingBytes: Int64 = 0
    var rejected: [RejectedLine] = []
}
