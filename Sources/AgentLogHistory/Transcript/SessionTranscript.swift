import AgentLogDatabase
import AgentLogIngest

/// A whole session rebuilt from the database alone, in conversation order: what `agentlog show`
/// and `agentlog replay` render.
///
/// ```swift
/// let session = try store.resolveSession("3f2a")
/// let transcript = try store.transcript(of: session)
/// for turn in transcript.turns() { print(turn.index, turn.cumulativeTokens.total) }
/// ```
public struct SessionTranscript: Sendable, Equatable {
    /// Ids, project, times, counts, tokens and cost.
    public var summary: SessionSummary
    /// The models that answered, in order of first use.
    public var models: [String]
    /// The working directory the session ran in.
    public var cwd: String?
    /// The agent's version.
    public var version: String?
    /// The main conversation, with subagent work nested where it was spawned.
    public var main: TranscriptThread
    /// Every response's tokens and cost, in time order.
    public var usage: [TranscriptUsage]
    /// How many events of each type live hooks stored for this session (joined on its id).
    public var hookEvents: [String: Int] = [:]
}

/// A conversation: the main agent's, or one subagent's.
public struct TranscriptThread: Sendable, Equatable {
    /// `nil` for the main conversation.
    public var agentId: String?
    /// The kind of subagent, when known; `nil` for the main conversation.
    public var agentType: String?
    public var description: String?
    /// Its steps, in conversation order.
    public var entries: [TranscriptEntry]

    public init(agentId: String? = nil, agentType: String? = nil, description: String? = nil, entries: [TranscriptEntry] = []) {
        self.agentId = agentId
        self.agentType = agentType
        self.description = description
        self.entries = entries
    }

    /// Every tool call in the thread and the threads nested in it.
    public var toolCallCount: Int {
        entries.reduce(0) { count, entry in
            switch entry {
            case .toolCall(_, let subagent): count + 1 + (subagent?.toolCallCount ?? 0)
            case .subagent(let thread): count + thread.toolCallCount
            case .message, .compaction: count
            }
        }
    }
}

/// One step of a conversation.
public indirect enum TranscriptEntry: Sendable, Equatable {
    case message(TranscriptMessage)
    /// A tool call with its result, and the subagent's work when the call spawned one.
    case toolCall(ToolCallSummary, subagent: TranscriptThread?)
    /// The context was compacted here.
    case compaction(TranscriptCompaction)
    /// Subagent work that no recorded tool call spawned (e.g. warm-up agents).
    case subagent(TranscriptThread)

    /// Whether this entry, or anything nested in it, failed.
    public var hasError: Bool {
        switch self {
        case .message(let message): message.isError
        case .toolCall(let call, let subagent): call.isError == true || (subagent?.entries.contains(where: \.hasError) ?? false)
        case .compaction: false
        case .subagent(let thread): thread.entries.contains(where: \.hasError)
        }
    }

    /// When it happened, as far as is known.
    public var timestamp: Int64? {
        switch self {
        case .message(let message): message.timestamp
        case .toolCall(let call, _): call.startedAt ?? call.endedAt
        case .compaction(let compaction): compaction.timestamp
        case .subagent(let thread): thread.entries.lazy.compactMap(\.timestamp).first
        }
    }
}

/// A message as shown: its text is the stored preview (``PreviewLimits/text``); the whole line
/// is in the raw archive.
public struct TranscriptMessage: Sendable, Equatable {
    /// What sort of line a message is.
    public enum Kind: String, Sendable {
        /// Something the user typed.
        case prompt
        /// Other user lines (command output, injected context).
        case user
        case assistant
        case system
        /// Lines the agent marks as not part of the conversation (caveats, local command echoes).
        case meta
        /// The summary that replaced the conversation after a compaction.
        case compactSummary = "compact_summary"
    }

    /// What sort of message it is.
    public var kind: Kind
    /// The line's uuid.
    public var uuid: String
    /// When it was written, ms since 1970.
    public var timestamp: Int64?
    /// The model that wrote it, for assistant messages.
    public var model: String?
    /// The text, cut to ``PreviewLimits/text``.
    public var text: String?
    /// Length of the whole text in bytes (more than `text` holds when it was cut).
    public var textLength: Int
    /// The model's thinking (reasoning) text, if any was recorded.
    public var thinking: String?
    /// Whether the line is marked as an error.
    public var isError: Bool
    /// System lines: `local_command`, `turn_duration`, …
    public var subtype: String?
}

/// A compaction boundary.
public struct TranscriptCompaction: Sendable, Equatable {
    /// The uuid of the `compact_boundary` line.
    public var uuid: String
    /// When the compaction happened, ms since 1970.
    public var timestamp: Int64?
    /// `manual` or `auto`.
    public var trigger: String?
    /// Context size before the compaction, in tokens.
    public var preTokens: Int?
}

/// One response's tokens and cost.
public struct TranscriptUsage: Sendable, Equatable {
    /// When the response was written, ms since 1970.
    public var timestamp: Int64?
    /// The model that answered.
    public var model: String
    /// The subagent that made the request, if one did.
    public var agentId: String?
    /// The response's token counts.
    public var tokens: TokenCounts
    /// `nil` when the model has no price.
    public var costPico: Int64?
}
