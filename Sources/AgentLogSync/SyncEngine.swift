import AgentLogIngest
import AgentLogStore
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
    public let store: AgentLogStore
    /// Bytes read per step; each step's records are one transaction.
    public var blockSize = 4 << 20
    /// Longer lines are rejected (their bytes are still archived).
    public var maxLineLength = 64 << 20

    public init(store: AgentLogStore) { self.store = store }

    /// Syncs every file under `roots`. `progress` is called after each step.
    public func sync(roots: [SyncRoot], progress: (@Sendable (SyncProgress) -> Void)? = nil) throws(SyncError) -> SyncReport {
        let started = Date()
        var report = SyncReport()
        var known: [String: SourceFileState]
        do { known = try store.sourceFiles() } catch { throw .store(error.description) }

        var work: [(path: String, root: SyncRoot, fingerprint: FileFingerprint)] = []
        var seen = Set<String>()
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
            let paths = DirectoryWalker.files(under: root.path) { $0.hasSuffix(".jsonl") || $0.hasSuffix(".meta.json") }
            // Meta files first, so a subagent's type is known when its transcript is read.
            for path in paths.filter({ $0.hasSuffix(".meta.json") }) + paths.filter({ $0.hasSuffix(".jsonl") }) {
                guard seen.insert(path).inserted else { continue }
                report.files += 1
                guard let fingerprint = FileFingerprint.of(path) else { continue }
                if let state = known[path], state.size == fingerprint.size, state.mtimeNs == fingerprint.mtimeNs,
                   state.inode == fingerprint.inode, state.device == fingerprint.device, state.missingSince == nil {
                    continue
                }
                work.append((path, root, fingerprint))
            }
        }

        let missing = known.values.filter { file in
            file.missingSince == nil && !seen.contains(file.path) && roots.contains { file.path.hasPrefix($0.path + "/") }
        }
        report.missingFiles = missing.count
        do { try store.markMissing(fileIds: missing.map(\.id)) } catch { throw .store(error.description) }

        let total = work.reduce(Int64(0)) { $0 + max(0, $1.fingerprint.size - (known[$1.path]?.offset ?? 0)) }
        var done: Int64 = 0
        var metas: [String: SubagentMeta] = [:]
        for (index, item) in work.enumerated() {
            var fileReport = FileSyncResult()
            do {
                let state = try known[item.path] ?? store.registerSourceFile(
                    path: item.path, root: item.root.path, agent: item.root.agent.rawValue,
                    kind: item.path.hasSuffix(".meta.json") ? "meta" : "transcript")
                if item.path.hasSuffix(".meta.json") {
                    fileReport = try syncMeta(item.path, state: state, fingerprint: item.fingerprint, metas: &metas)
                } else {
                    fileReport = try syncTranscript(item.path, state: state, fingerprint: item.fingerprint, metas: metas) { bytes in
                        progress?(SyncProgress(bytesDone: done + bytes, bytesTotal: total, filesDone: index, filesTotal: work.count))
                    }
                }
            } catch let error as StoreError {
                throw .store(error.description)
            } catch {
                // The file vanished or became unreadable mid-sync: count it and go on.
                report.missingFiles += 1
                continue
            }
            done += fileReport.bytes
            report.filesRead += 1
            report.bytesRead += fileReport.bytes
            report.lines += fileReport.lines
            report.skippedLines += fileReport.skipped
            report.newRecords += fileReport.counts.newRecords
            report.newSessions += fileReport.counts.newSessions
            report.newMessages += fileReport.counts.newMessages
            report.rejected += fileReport.rejected.map { SyncReport.Rejection(file: item.path, line: $0.line, reason: $0.reason) }
            progress?(SyncProgress(bytesDone: done, bytesTotal: total, filesDone: index + 1, filesTotal: work.count))
        }
        if report.filesRead > 0 {
            do { try store.resolveSummaries() } catch { throw .store(error.description) }
        }
        report.durationMs = Int(Date().timeIntervalSince(started) * 1000)
        return report
    }
}

/// What reading one file added.
struct FileSyncResult {
    var bytes: Int64 = 0
    var lines = 0
    var skipped = 0
    var counts = IngestCounts()
    var rejected: [RejectedLine] = []
}
