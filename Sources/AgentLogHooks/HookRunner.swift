import AgentLogSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run of the hook handler: a payload in, the event stored (or spooled), an answer out.
/// It never breaks the agent by accident: whatever goes wrong inside, the exit code is 0 and the
/// problem is written to stderr (which Claude Code shows only in its debug log).
///
/// ```swift
/// let result = HookRunner(databasePath: "/tmp/agentlog.db").run(payload: bytes)
/// exit(result.exitCode)
/// ```
public struct HookRunner: Sendable {
    /// How long a hook waits for the database before it spools the payload instead.
    public static let busyMilliseconds: Int32 = 1_000
    /// Spooled payloads replayed by one successful run (the rest wait for the next).
    public static let replayBatch = 50

    /// What one run produced: the exit code, the answer for stdout and the diagnostics for stderr.
    public struct Result: Sendable, Equatable {
        /// The process's exit code: 0, or 2 when a strict claim guard blocks the edit.
        public var exitCode: Int32
        /// JSON for Claude Code, or nothing.
        public var stdout: [UInt8]
        /// Diagnostics, one line each.
        public var stderr: String
        /// `stored`, `duplicate`, `spooled` or `rejected`.
        public var outcome: String
    }

    /// What `--guard-claims` asks for.
    public enum ClaimGuard: Sendable, Equatable {
        /// Claims are not checked: every edit goes through.
        case off
        /// Warn in `additionalContext`.
        case warn
        /// Block the edit: exit 2 with the reason on stderr.
        case strict
    }

    /// The path of the agentlog database the events are stored in.
    public let databasePath: String
    /// Whether an edit of a file another running agent claimed is let through, warned about or blocked.
    public var claimGuard: ClaimGuard = .off
    /// How recent another agent's claim must be to count, in ms.
    public var claimWindowMs: Int64 = 30 * 60 * 1000

    /// A runner for the database at `databasePath`, with the claim guard off.
    public init(databasePath: String) { self.databasePath = databasePath }

    /// A runner configured by the hook's command line: `--db PATH`, `--guard-claims=warn|strict`,
    /// `--claim-minutes N`.
    public init(arguments: [String]) {
        self.init(databasePath: Self.databasePath(arguments: arguments))
        if arguments.contains("--guard-claims") || arguments.contains("--guard-claims=warn") { claimGuard = .warn }
        if arguments.contains("--guard-claims=strict") { claimGuard = .strict }
        if let index = arguments.firstIndex(of: "--claim-minutes"), index + 1 < arguments.count,
           let minutes = Int64(arguments[index + 1]), minutes > 0 {
            claimWindowMs = minutes * 60_000
        }
    }

    /// The database path the way every agentlog command finds it (``DatabaseLocation``), with
    /// `--db PATH` or `--db=PATH` taken from `arguments`.
    public static func databasePath(arguments: [String]) -> String {
        var explicit: String?
        if let index = arguments.firstIndex(of: "--db"), index + 1 < arguments.count { explicit = arguments[index + 1] }
        if let argument = arguments.first(where: { $0.hasPrefix("--db=") }) { explicit = String(argument.dropFirst(5)) }
        return DatabaseLocation.resolve(explicit: explicit)
    }

    /// Milliseconds since 1970, now.
    static func nowMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    static func monotonicMicroseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000 + Int64(time.tv_nsec) / 1000
    }

    /// Handles one payload received now (or at `receivedAt`, ms since 1970, for replays and tests).
    public func run(payload bytes: [UInt8], receivedAt: Int64? = nil) -> Result {
        let started = Self.monotonicMicroseconds()
        let receivedAt = receivedAt ?? Self.nowMilliseconds()
        let payload: HookPayload
        do {
            payload = try HookPayload(bytes: bytes)
        } catch {
            // Nothing to act on; kept in the spool so it is not lost, and reported.
            let kept = (try? HookSpool(databasePath: databasePath).keep(bytes, receivedAt: receivedAt, rejected: true)) != nil
            return Result(exitCode: 0, stdout: [], stderr: "agentlog hook: \(error)\(kept ? " (kept in the spool's rejected/ folder)" : "")",
                          outcome: "rejected")
        }
        var diagnostics: [String] = []
        do {
            let db = try Self.open(databasePath, busyMilliseconds: Self.busyMilliseconds)
            let recorder = HookRecorder(db: db)
            let outcome = try recorder.record(payload, receivedAt: receivedAt,
                                              audit: ("stored", { Self.monotonicMicroseconds() - started }))
            diagnostics += replaySpool(recorder)
            let answerer = HookAnswer(db: db, claimGuard: claimGuard, claimWindowMs: claimWindowMs)
            // A payload delivered twice (two registrations of the hook) is stored once; the
            // claim guard still answers for it, since either registration may be the strict one.
            let result = outcome == .duplicate && payload.event != "PreToolUse" ? nil : try? answerer.answer(to: payload)
            if let blocked = result?.block {
                return Result(exitCode: 2, stdout: [], stderr: blocked, outcome: "stored")
            }
            return Result(exitCode: 0, stdout: result?.stdout ?? [], stderr: diagnostics.joined(separator: "\n"),
                          outcome: outcome == .duplicate ? "duplicate" : "stored")
        } catch {
            do {
                let file = try HookSpool(databasePath: databasePath).keep(bytes, receivedAt: receivedAt)
                return Result(exitCode: 0, stdout: [], stderr: "agentlog hook: \(Self.describe(error, databasePath)); kept in \(file)",
                              outcome: "spooled")
            } catch let spoolError {
                return Result(exitCode: 0, stdout: [], stderr: "agentlog hook: \(Self.describe(error, databasePath)); and \(spoolError); the event is lost",
                              outcome: "lost")
            }
        }
    }

    /// The database, created with the whole schema when there is none yet (the first hook
    /// after `agentlog hooks install` on a new machine); an existing one must have the event
    /// tables (an older schema is upgraded, with a backup, by any agentlog command).
    static func open(_ path: String, busyMilliseconds: Int32) throws -> SQLiteConnection {
        guard DatabaseLocation.createFolder(of: path) else { throw HookError("cannot create the folder of \(path)") }
        let db = try SQLiteConnection(path: path, busyMilliseconds: busyMilliseconds, create: true)
        try db.createSchemaIfNew(waitMilliseconds: busyMilliseconds)
        guard try db.appliedMigrations().contains("v3-hooks") else {
            throw HookError("\(path) has an older schema without the event tables; run any agentlog command once to upgrade it")
        }
        return db
    }

    /// `error` as a sentence that names the database (SQLite's own messages do not).
    static func describe(_ error: any Error, _ path: String) -> String {
        error is SQLiteError ? "\(path): \(error)" : "\(error)"
    }

    /// Stores what earlier runs spooled, oldest first; returns problems worth reporting.
    func replaySpool(_ recorder: HookRecorder) -> [String] {
        let spool = HookSpool(databasePath: databasePath)
        var problems: [String] = []
        for item in spool.pending(limit: Self.replayBatch) {
            guard let payload = try? HookPayload(bytes: item.bytes) else {
                _ = try? spool.keep(item.bytes, receivedAt: item.receivedAt, rejected: true)
                spool.remove(item.file)
                continue
            }
            do {
                _ = try recorder.record(payload, receivedAt: item.receivedAt, audit: ("replayed", { 0 }))
                spool.remove(item.file)
            } catch {
                problems.append("agentlog hook: cannot replay \(item.file) yet: \(error)")
                break
            }
        }
        return problems
    }

    /// How many payloads wait in the spool beside the database (`agentlog doctor`).
    public var spooledCount: Int { HookSpool(databasePath: databasePath).pending(limit: 100_000).count }

    /// Whether any payload waits in the spool (cheap: the folders are usually missing or empty).
    public var hasSpooledEvents: Bool { HookSpool(databasePath: databasePath).hasPending }

    /// Replays every spooled payload into the database (the sync service and every command do
    /// this first); returns how many were stored or found already there.
    public func replayAll() throws -> Int {
        let spool = HookSpool(databasePath: databasePath)
        guard spool.hasPending else { return 0 }
        let db = try Self.open(databasePath, busyMilliseconds: ConnectionSettings.busyTimeoutMilliseconds)
        let recorder = HookRecorder(db: db)
        var count = 0
        while true {
            let batch = spool.pending(limit: 500)
            if batch.isEmpty { return count }
            for item in batch {
                if let payload = try? HookPayload(bytes: item.bytes) {
                    _ = try recorder.record(payload, receivedAt: item.receivedAt, audit: ("replayed", { 0 }))
                    count += 1
                } else {
                    // Spooled by a build that could read it; this one cannot: set it aside.
                    _ = try? spool.keep(item.bytes, receivedAt: item.receivedAt, rejected: true)
                }
                guard spool.remove(item.file) else {
                    throw HookError("cannot remove the replayed \(item.file): \(String(cString: strerror(errno))); the rest of the spool waits")
                }
            }
        }
    }
}

extension HookRunner {
    /// All of standard input.
    public static func readStandardInput() -> [UInt8] { HookSpool.readAll(STDIN_FILENO) ?? [] }

    /// Writes a result's answer to stdout and its diagnostics to stderr.
    public static func write(_ result: Result) {
        result.stdout.withUnsafeBytes { _ = systemWrite(STDOUT_FILENO, $0.baseAddress, $0.count) }
        if !result.stderr.isEmpty {
            let line = Array((result.stderr + "\n").utf8)
            line.withUnsafeBytes { _ = systemWrite(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
    }
}
