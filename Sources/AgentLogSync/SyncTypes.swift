import AgentLogIngest
import Foundation

/// A folder to read transcripts from.
public struct SyncRoot: Sendable, Equatable {
    public var path: String
    public var agent: AgentKind
    /// Given by the user (`--path`): a missing or unreadable folder is an error, where a missing
    /// default folder just means the agent is not installed.
    public var isExplicit: Bool

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
public struct SyncReport: Sendable, Equatable, Codable {
    /// A line that could not be ingested.
    public struct Rejection: Sendable, Equatable, Codable {
        public var file: String
        public var line: Int
        public var reason: String
    }

    /// Source files found under the roots.
    public var files = 0
    /// Files that had new bytes and were read.
    public var filesRead = 0
    public var bytesRead: Int64 = 0
    /// Lines read (complete lines only; a partial last line waits for the next sync).
    public var lines = 0
    /// Bookkeeping lines deliberately not stored as records.
    public var skippedLines = 0
    public var newRecords = 0
    public var newSessions = 0
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
    public var bytesDone: Int64
    public var bytesTotal: Int64
    public var filesDone: Int
    public var filesTotal: Int
}

/// Why a sync could not run.
public enum SyncError: Error, Sendable, CustomStringConvertible, Equatable {
    case unreadableRoot(path: String, reason: String)
    case store(String)

    public var description: String {
        switch self {
        case .unreadableRoot(let path, let reason): return "Cannot read the folder \(path): \(reason)."
        case .store(let message): return message
        }
    }
}
