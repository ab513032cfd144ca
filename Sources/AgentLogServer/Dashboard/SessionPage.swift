import AgentLogDatabase
import AgentLogHistory
import Foundation

/// One entry of a conversation as the replay view shows it: exactly one of its lists holds one
/// item (the template's sections must never climb to an outer entry's).
struct EntryView: Sendable {
    struct Message: Sendable {
        var uuid: String, kind: String, who: String, time: String, model: String, text: String, thinking: String, clipped: String
        var hasModel: Bool, hasText: Bool, hasThinking: Bool, hasClipped: Bool, isError: Bool
    }
    struct Tool: Sendable {
        var id: String, name: String, target: String, input: String, output: String, duration: String, hooks: String, hookCount: Int
        var hasHooks: Bool, isError: Bool
        var subagent: [Thread]
    }
    struct Compaction: Sendable {
        var time: String, trigger: String, preTokens: String
        var hasTrigger: Bool, hasPreTokens: Bool
    }
    struct Thread: Sendable {
        var label: String
        var entries: [EntryView]
    }

    var message: [Message] = []
    var tool: [Tool] = []
    var compaction: [Compaction] = []
    var subagentThread: [Thread] = []

    init(_ entry: TranscriptEntry, _ format: Format) {
        switch entry {
        case .message(let message):
            let text = message.text ?? ""
            let clipped = max(0, message.textLength - text.utf8.count)
            self.message = [Message(uuid: message.uuid, kind: message.kind.rawValue, who: Self.who(message.kind), time: format.time(ms: message.timestamp),
                                    model: message.model ?? "", text: text, thinking: message.thinking ?? "",
                                    clipped: Format.grouped(clipped), hasModel: message.model != nil && message.kind == .assistant,
                                    hasText: !text.isEmpty, hasThinking: !(message.thinking ?? "").isEmpty, hasClipped: clipped > 0,
                                    isError: message.isError)]
        case .toolCall(let call, let subagent):
            let events = call.hook?.events ?? []
            var duration = ""
            if let start = call.startedAt, let end = call.endedAt { duration = Format.duration(ms: end - start) }
            let input = ToolText.view(filePath: call.filePath, input: call.inputPreview)
            tool = [Tool(id: call.toolUseId, name: call.name ?? "tool", target: input.target, input: input.body, output: call.outputPreview.isEmpty ? "(no result)" : call.outputPreview,
                         duration: duration, hooks: events.joined(separator: " → "), hookCount: events.count,
                         hasHooks: !events.isEmpty, isError: call.isError == true,
                         subagent: subagent.map { [Thread($0, format)] } ?? [])]
        case .compaction(let compaction):
            self.compaction = [Compaction(time: format.time(ms: compaction.timestamp), trigger: compaction.trigger ?? "",
                                          preTokens: compaction.preTokens.map { Format.tokens($0) } ?? "",
                                          hasTrigger: compaction.trigger != nil, hasPreTokens: compaction.preTokens != nil)]
        case .subagent(let thread):
            subagentThread = [Thread(thread, format)]
        }
    }

    private static func who(_ kind: TranscriptMessage.Kind) -> String {
        switch kind {
        case .prompt: "Prompt"
        case .user: "User"
        case .assistant: "Assistant"
        case .system: "System"
        case .meta: "Meta"
        case .compactSummary: "Compaction summary"
        }
    }
}

extension EntryView.Thread {
    init(_ thread: TranscriptThread, _ format: Format) {
        let name = [thread.agentType, thread.description].compactMap { $0 }.joined(separator: " · ")
        label = name.isEmpty ? (thread.agentId.map { String($0.prefix(10)) } ?? "") : name
        entries = thread.entries.filter(\.isShown).map { EntryView($0, format) }
    }
}

/// The replay view of one session: its header and totals, then every turn with its tokens and
/// cost, tool calls collapsible with input and output, subagents nested under the call that
/// spawned them, compactions and hook events marked. Long sessions come page by page.
struct SessionPage: Sendable {
    struct Turn: Sendable {
        var index: Int, time: String, tokens: String, cost: String, cumulativeCost: String
        var hasError: Bool
        var entries: [EntryView]
    }

    var frame: PageFrame
    var id: String, title: String, agent: String, project: String, projectPath: String, branch: String, started: String
    var duration: String, models: String, cost: String, tokens: String, turnCount: String, toolCalls: String, subagents: String
    var hasBranch: Bool
    var turns: [Turn]
    var pager: Bool
    var pages: [PickerItem]

    /// At most this many turns on one page.
    static let turnsPerPage = 25
    /// A page stops taking turns once it holds this many entries (nested ones included), so that
    /// a page of long turns stays as quick to read and to render as one of short ones; a turn
    /// is never split, so a page holds at least one.
    static let entriesPerPage = 120

    /// The turns `all` split into pages: ranges of positions in `all`, in order, covering it.
    static func pages(of all: [TranscriptTurn]) -> [Range<Int>] {
        var pages: [Range<Int>] = []
        var start = 0, entries = 0
        for (position, turn) in all.enumerated() {
            let size = turn.entries.reduce(0) { $0 + $1.entryCount }
            if position > start, position - start >= turnsPerPage || entries + size > entriesPerPage {
                pages.append(start..<position)
                (start, entries) = (position, 0)
            }
            entries += size
        }
        if start < all.count || pages.isEmpty { pages.append(start..<all.count) }
        return pages
    }

    static func load(_ id: String, _ query: QueryParameters, _ context: DashboardContext) async throws -> SessionPage {
        try query.allowOnly(["page", "find"])
        let store = context.store
        let transcript = try await context.blocking { try store.transcript(of: store.resolveSession(id)) }
        let summary = transcript.summary
        let all = transcript.turns()
        let ranges = pages(of: all)
        let pageCount = ranges.count
        var page = try query.int("page", in: 1...pageCount, default: 1)
        if let item = query.string("find"), let position = all.firstIndex(where: { $0.entries.contains { $0.refers(to: item) } }),
           let found = ranges.firstIndex(where: { $0.contains(position) }) {
            page = found + 1
        }
        let format = context.format
        let shown = all[ranges[page - 1]]
        let tokens = summary.tokens
        return SessionPage(
            frame: PageFrame(title: Format.clip(summary.title ?? summary.sessionId, 60), tab: "sessions",
                             liveStream: "/api/v1/sessions/\(summary.sessionId)/events/stream"),
            id: summary.sessionId, title: Format.clip(summary.title ?? summary.sessionId, 140), agent: summary.agent,
            project: Format.project(summary.project ?? transcript.cwd), projectPath: summary.project ?? transcript.cwd ?? "",
            branch: summary.gitBranch ?? "", started: format.dateTime(ms: summary.startedAt), duration: Format.duration(ms: summary.durationMs),
            models: transcript.models.joined(separator: ", "),
            cost: Format.money(pico: summary.costPico) + (summary.unpricedModels.isEmpty ? "" : " + unpriced"),
            tokens: Format.tokens(tokens.total), turnCount: Format.grouped(all.filter { $0.index > 0 }.count),
            toolCalls: Format.grouped(summary.toolCalls), subagents: Format.grouped(summary.subagents), hasBranch: summary.gitBranch != nil,
            turns: shown.map { turn in
                Turn(index: turn.index, time: format.dateTime(ms: turn.startedAt),
                     tokens: "\(Format.tokens(turn.tokens.input + turn.tokens.cacheCreation + turn.tokens.cacheRead)) in · \(Format.tokens(turn.tokens.output)) out",
                     cost: Format.money(pico: turn.costPico), cumulativeCost: Format.money(pico: turn.cumulativeCostPico),
                     hasError: turn.hasError, entries: turn.entries.filter(\.isShown).map { EntryView($0, format) })
            },
            pager: pageCount > 1,
            pages: (1...pageCount).map { PickerItem(label: "\($0)", href: "/sessions/\(summary.sessionId)?page=\($0)", current: $0 == page) })
    }
}

extension TranscriptEntry {
    /// This entry and every entry nested in it.
    var entryCount: Int {
        switch self {
        case .message, .compaction: 1
        case .toolCall(_, let subagent): 1 + (subagent?.entries.reduce(0) { $0 + $1.entryCount } ?? 0)
        case .subagent(let thread): 1 + thread.entries.reduce(0) { $0 + $1.entryCount }
        }
    }

    /// Whether the replay view shows the entry: not a message with nothing to read (a tool
    /// result's carrier message; its call shows the result).
    var isShown: Bool {
        if case .message(let message) = self { return !(message.text ?? "").isEmpty || !(message.thinking ?? "").isEmpty }
        return true
    }

    /// Whether this entry, or one nested in it, is the message or tool call with id `item`.
    func refers(to item: String) -> Bool {
        switch self {
        case .message(let message): message.uuid == item
        case .toolCall(let call, let subagent): call.toolUseId == item || (subagent?.entries.contains { $0.refers(to: item) } ?? false)
        case .compaction(let compaction): compaction.uuid == item
        case .subagent(let thread): thread.entries.contains { $0.refers(to: item) }
        }
    }
}
