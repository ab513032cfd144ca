import AgentLogIngest
import Foundation

/// A folder to read transcripts from.
public struct SyncRoot: Sendable, Equatable {
    /// The folder's absolute path, without `.`/`..` parts or a trailing slash.
    public var path: String
    /// The agent whose transcripts the folder holds.
    public var agent: AgentKind
    /// Given by the user (`--path`): a missing or unreadable folder is an error, where a missing
    /// default folder just means the agent is not installed.
    public var isExplicit: Bool

    /// A root for the folder at `path` (normalized, so one folder is always spelled the same way).
    public init(path: String, agent: AgentKind, isExplicit: Bool) {
        self.path = Self.normalize(path)
        self.agent = agent
        self.isExplicit = isExplicit
    }

    /// The default Claude Code roots: `~/.claude/projects` and `projects/` in each folder of
    /// `$CLAUDE_CONFIG_DIR` (comma-separated).
    public static func claudeDefaults(environment: [String: String] = ProcessInfo.processInfo.environment) -> [SyncRoot] {
        var paths: [String] = []
        if let configured = environment["CLAUDE_CONFIG_DIR"], !configured.isEmpty {
            for folder in configured.split(separator: ",") {
                let trimmed = folder.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { paths.append(expandTilde(trimmed, environment) + "/projects") }
            }
        }
        if let home = environment["HOME"] ?? Optional(NSHomeDirectory()) {
            paths.append(home + "/.claude/projects")
        }
        var seen = Set<String>()
        return paths.filter { seen.insert(normalize($0)).inserted }  // SyncRoot normalizes the path too
            .map { SyncRoot(path: $0, agent: .claude, isExplicit: false) }
    }

    /// The default Codex CLI roots: `sessions/` and `archived_sessions/` in `$CODEX_HOME`
    /// (default `~/.codex`).
    public static func codexDefaults(environment: [String: String] = ProcessInfo.processInfo.environment) -> [SyncRoot] {
        let home = environment["CODEX_HOME"].flatMap { $0.isEmpty ? nil : expandTilde($0, environment) }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.codex"
        return [home + "/sessions", home + "/archived_sessions"].map { SyncRoot(path: $0, agent: .codex, isExplicit: false) }
    }

    /// The default Gemini CLI root: `~/.gemini/tmp` (chats live in `<projectHash>/chats/`).
    public static func geminiDefaults(environment: [String: String] = ProcessInfo.processInfo.environment) -> [SyncRoot] {
        [SyncRoot(path: (environment["HOME"] ?? NSHomeDirectory()) + "/.gemini/tmp", agent: .gemini, isExplicit: false)]
    }

    /// Which file names under this root are transcripts (or subagent meta files).
    func isSource(_ name: String) -> Bool {
        switch agent {
        case .claude: return name.hasSuffix(".jsonl") || name.hasSuffix(".meta.json")
        case .codex: return name.hasSuffix(".jsonl")
        case .gemini: return name.contains("session-") && (name.hasSuffix(".json") || name.hasSuffix(".jsonl"))
        }
    }

    static func expandTilde(_ path: String, _ environment: [String: String]) -> String {
        guard path.hasPrefix("~"), let home = environment["HOME"] else { return path }
        return home + path.dropFirst()
    }

    /// An absolute path without `.`/`..` parts or a trailing slash, so a folder is always
    /// spelled the same way.
    static func normalize(_ path: String) -> String {
        var normalized = URL(fileURLWithPath: path).standardizedFileURL.path
        while normalized.count > 1, normalized.hasSuffix("/") { normalized.removeLast() }
        return normalized
    }
}

/// How a sync went: counted over the files it looked at.
public struct SyncReport: Sendable, Equatable {
    /// A line that could not be ingested.
    public struct Rejection: Sendable, Equatable {
        /// The path of the source file.
        public var file: String
        /// The 1-based line number; 0 when the whole file could not be read.
        public var line: Int
        /// Why the line or file was rejected.
        public var reason: String
    }

    /// Source files found under the roots.
    public var files = 0
    /// Files that had new bytes and were read.
    public var filesRead = 0
    /// Bytes read from the source files.
    public var bytesRead: Int64 = 0
    /// Lines read (complete lines only; a partial last line waits for the next sync).
    public var lines = 0
    /// Bookkeeping lines deliberately not stored as records.
    public var skippedLines = 0
    /// Rows the store did not have before: sessions, messages, usage, tool calls and subagents.
    public var newRecords = 0
    /// Sessions the store did not have before.
    public var newSessions = 0
    /// Messages the store did not have before.
    public var newMessages = 0
    /// Lines that could not be ingested, and files that could not be read at all (gone
    /// mid-sync, no permission, I/O error: `line` 0, read again next time).
    public var rejected: [Rejection] = []
    /// How many of `rejected` are whole files that could not be read.
    public var failedFiles = 0
    /// Bytes of unfinished last lines (an agent still writing): read by the next sync once the
    /// line ends; already in the archive.
    public var pendingBytes: Int64 = 0
    /// Empty transcript files (nothing to read, nothing wrong).
    public var emptyFiles = 0
    /// Files the store knew that are no longer on disk (their archive stays).
    public var missingFiles = 0
    /// Claude Code transcripts this sync read that its cleanup would delete within days (see
    /// ``SyncEngine/cleanupCutoff``): they held bytes the database did not have until now.
    public var archivedBeforeCleanup = 0
    /// Roots that did not exist (default roots of agents that are not installed).
    public var absentRoots: [String] = []
    /// Hook events that had been spooled (the database was locked or missing when they came)
    /// and were stored by this sync.
    public var replayedHookEvents = 0
    /// Why spooled hook events stay in the spool for now, if they do.
    public var spoolProblem: String?
    /// How long the sync took.
    public var durationMs = 0

    /// An empty report.
    public init() {}
}

/// Progress of a sync, for a progress bar.
public struct SyncProgress: Sendable {
    /// New bytes read and written to the store so far.
    public var bytesDone: Int64
    /// New bytes to read in all (what the changed files hold beyond where the last sync stopped).
    public var bytesTotal: Int64
    /// Files finished so far (read, or found unreadable).
    public var filesDone: Int
    /// Files with new bytes to read.
    public var filesTotal: Int
}

/// Why a sync could not run.
public enum SyncError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A root that cannot be read: a folder the user gave that does not exist, or one without
    /// permission to read it.
    case unreadableRoot(path: String, reason: String)
    /// The store (or the lock beside it) failed; the message says how.
    case store(String)

    public var description: String {
        switch self {
        case .unreadableRoot(let path, let reason): return "Cannot read the folder \(path): \(reason)."
        case .store(let message): return message
        }
    }
}
