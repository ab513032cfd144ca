/// One line of a Claude Code transcript, reduced to what the store keeps.
public enum ClaudeLine: Sendable, Equatable {
    /// A user, assistant or system line: a message of the conversation.
    case entry(ClaudeEntry)
    /// A `custom-title` (set by the user) or `ai-title` line.
    case title(sessionId: String, title: String, isCustom: Bool)
    /// An older `summary` line: a title for the session that holds message `leafUuid`.
    case summary(leafUuid: String, summary: String)
    /// A bookkeeping line (progress, attachment, file-history-snapshot, queue-operation, …): no
    /// message, but it proves the session exists and when it was active.
    case bookkeeping(type: String, sessionId: String?, timestamp: Int64?)
    /// A record type this version does not know: reported with its line, kept in the archive,
    /// and (if it names one) its session still counted.
    case unknown(type: String, sessionId: String?, timestamp: Int64?)

    /// Bookkeeping types Claude Code writes that hold no message (deliberately skipped).
    public static let bookkeepingTypes: Set<String> = [
        "progress", "attachment", "file-history-snapshot", "queue-operation", "last-prompt",
        "permission-mode", "agent-name", "summary", "custom-title", "ai-title",
    ]
}

/// A user, assistant or system line of a Claude Code transcript.
public struct ClaudeEntry: Sendable, Equatable {
    /// The session the line belongs to (`sessionId`).
    public var sessionId: String
    /// The line's own id (`uuid`).
    public var uuid: String
    /// The line this one follows in the conversation (`parentUuid`); `nil` for the first.
    public var parentUuid: String?
    /// Who wrote the line: the user, the assistant or Claude Code itself (system).
    public var role: MessageRole
    /// For system lines: `compact_boundary`, `turn_duration`, `local_command`, …
    public var subtype: String?
    /// Milliseconds since 1970, UTC.
    public var timestamp: Int64?
    /// Part of a subagent's conversation rather than the main one (`isSidechain`).
    public var isSidechain: Bool
    /// The subagent that wrote the line (2.0.x and later subagent files).
    public var agentId: String?
    /// The session's working directory when the line was written.
    public var cwd: String?
    /// The git branch that was checked out, when Claude Code recorded one.
    public var gitBranch: String?
    /// The version of Claude Code that wrote the line.
    public var version: String?
    /// Injected context rather than something the user typed.
    public var isMeta: Bool
    /// The summary that replaces the conversation after a compaction.
    public var isCompactSummary: Bool
    /// A message Claude Code wrote because an API call failed (`isApiErrorMessage`).
    public var isApiError: Bool
    /// Visible text (prompt, reply or system text), cut to ``PreviewLimits/text``.
    public var text: String
    /// Length in UTF-8 bytes of the whole visible text.
    public var textLength: Int
    /// The assistant's thinking text, cut to ``PreviewLimits/thinking``.
    public var thinking: String
    /// The model that wrote an assistant reply (`message.model`).
    public var model: String?
    /// The token usage of an assistant reply, when the line has one.
    public var usage: UsageRecord?
    /// The tool calls (`tool_use` blocks) the line makes.
    public var toolUses: [ToolUse]
    /// The tool results (`tool_result` blocks) the line carries.
    public var toolResults: [ToolResult]
    /// `toolUseResult.agentId`: the subagent that a Task/Agent call (the one whose result this
    /// line carries) ran as.
    public var spawnedAgentId: String?
    /// For `compact_boundary`: what started it (`manual`, `auto`) and the tokens before.
    public var compactTrigger: String?
    /// For `compact_boundary`: the tokens in the context before the compaction (`preTokens`).
    public var compactPreTokens: Int?

    /// An entry with the given ids and role and no text, tool calls or flags.
    public init(sessionId: String, uuid: String, role: MessageRole) {
        self.sessionId = sessionId
        self.uuid = uuid
        self.role = role
        isSidechain = false
        isMeta = false
        isCompactSummary = false
        isApiError = false
        text = ""
        textLength = 0
        thinking = ""
        toolUses = []
        toolResults = []
    }

    /// A prompt the user typed (not a tool result, injected context or compaction summary).
    public var isPrompt: Bool {
        role == .user && !isMeta && !isCompactSummary && toolResults.isEmpty && textLength > 0
    }
}

/// Why a line was not ingested.
public struct LineRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong with the line, in a few words (`invalid JSON: …`).
    public var reason: String

    /// A rejection for `reason`.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
