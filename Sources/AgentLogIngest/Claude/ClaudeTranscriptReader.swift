/// Reads the lines of one Claude Code transcript file, in order, into ``RecordBatch``es.
///
/// It keeps what one line tells about later ones (which inline sidechain a message belongs to,
/// which Task call spawned which subagent), so feed it every line of a file, in order, across
/// as many batches as the file takes. It never touches the file system or the database.
///
/// ```swift
/// var reader = ClaudeTranscriptReader(fileName: "agent-a2271d1.jsonl")
/// var batch = RecordBatch(agent: .claude)
/// line.withUnsafeBytes { reader.add(line: $0, number: 1, offset: 0, to: &batch) }
/// ```
public struct ClaudeTranscriptReader {
    /// The subagent a file belongs to, from its name (`agent-<id>.jsonl`); `nil` for sessions.
    public let fileAgentId: String?
    /// Type and description from the subagent's `agent-<id>.meta.json`, when there is one.
    public var agentMeta: (type: String?, description: String?)?

    private var parser = ClaudeLineParser()
    /// Inline (1.0.x) sidechain messages: message uuid → the synthetic agent id of its chain.
    private var sidechainAgents: [String: String] = [:]
    /// The latest inline sidechain of each session in this file.
    private var lastSidechain: [String: String] = [:]
    /// Task/Agent calls of this file: the prompt they gave → tool_use id.
    private var taskPrompts: [String: String] = [:]
    /// Task/Agent calls of this file: tool_use id → (subagent type, description).
    private var taskDetails: [String: (type: String?, description: String?)] = [:]

    /// A reader for the file named `fileName` (its last path component), which tells a subagent's
    /// file from a session's.
    public init(fileName: String) {
        fileAgentId = Self.agentId(fromFileName: fileName)
    }

    /// `a2271d1` for `agent-a2271d1.jsonl`; `nil` for any other name.
    public static func agentId(fromFileName name: String) -> String? {
        guard name.hasPrefix("agent-"), name.hasSuffix(".jsonl") else { return nil }
        let id = name.dropFirst("agent-".count).dropLast(".jsonl".count)
        return id.isEmpty ? nil : String(id)
    }

    /// Parses one line (without its newline) and adds what it holds to `batch`.
    public mutating func add(line: UnsafeRawBufferPointer, number: Int, offset: Int64, to batch: inout RecordBatch) {
        batch.lineCount += 1
        if isBlank(line) {
            batch.skippedCount += 1
            return
        }
        let parsed = parser.parse(line)
        for problem in parser.problems {
            batch.rejected.append(RejectedLine(line: number, byteOffset: offset, reason: problem))
        }
        switch parsed {
        case .failure(let rejection):
            batch.rejected.append(RejectedLine(line: number, byteOffset: offset, reason: rejection.reason))
        case .success(.entry(let entry)):
            add(entry, line: number, to: &batch)
        case .success(.title(let sessionId, let title, let isCustom)):
            batch.facts(sessionId) { facts in
                if isCustom || !facts.titleIsCustom {
                    facts.title = title
                    facts.titleIsCustom = isCustom
                }
            }
        case .success(.summary(let leafUuid, let summary)):
            batch.summaries.append((leafUuid, summary))
        case .success(.bookkeeping(_, let sessionId, let timestamp)):
            batch.skippedCount += 1
            if let sessionId, !sessionId.isEmpty {
                batch.facts(sessionId) { $0.see(timestamp) }
            }
        case .success(.unknown(let type, let sessionId, let timestamp)):
            let reason = type.isEmpty ? "line has no record type" : "unknown record type '\(type.prefix(80))' (kept in the archive)"
            batch.rejected.append(RejectedLine(line: number, byteOffset: offset, reason: reason))
            if let sessionId, !sessionId.isEmpty {
                batch.facts(sessionId) { $0.see(timestamp) }
            }
        }
    }

    private func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
    }

    private mutating func add(_ entry: ClaudeEntry, line: Int, to batch: inout RecordBatch) {
        let sessionId = entry.sessionId
        batch.facts(sessionId) { facts in
            facts.see(entry.timestamp)
            if facts.cwd == nil { facts.cwd = entry.cwd }
            if let branch = entry.gitBranch, !branch.isEmpty { facts.gitBranch = branch }
            if let version = entry.version { facts.version = version }
            if entry.isPrompt, !entry.isSidechain,
               facts.firstPromptAt.map({ (entry.timestamp ?? .max) < $0 }) ?? (facts.firstPrompt == nil) {
                facts.firstPrompt = String(entry.text.prefix(200))
                facts.firstPromptAt = entry.timestamp
            }
        }

        let agentId = agent(of: entry, batch: &batch)
        batch.messages.append(MessageRecord(sessionId: sessionId, entry: entry, agentId: agentId, line: line))
        if let usage = entry.usage {
            batch.addUsage(UsageRow(sessionId: sessionId, agentId: agentId, timestamp: entry.timestamp, usage: usage))
        }
        for use in entry.toolUses {
            batch.addToolCall(ToolCallRow(sessionId: sessionId, agentId: agentId, messageUuid: entry.uuid,
                                          timestamp: entry.timestamp, use: use))
            if use.name == "Task" || use.name == "Agent" {
                if let prompt = use.subagentPrompt { taskPrompts[prompt] = use.id }
                taskDetails[use.id] = (use.subagentType, use.subagentDescription)
            }
        }
        for result in entry.toolResults {
            batch.addToolResult(ToolResultRow(sessionId: sessionId, timestamp: entry.timestamp, result: result))
        }
        if let spawned = entry.spawnedAgentId, !spawned.isEmpty, let call = entry.toolResults.first?.toolUseId {
            let details = taskDetails[call]
            batch.subagents.append(SubagentRow(sessionId: sessionId, agentId: spawned, agentType: details?.type,
                                               description: details?.description, parentToolUseId: call))
        }
    }

    /// The subagent a message belongs to: the line's own `agentId`, the file's, or for inline
    /// sidechains (1.0.x, no agent ids) a synthetic `sidechain-<root uuid>` for the chain.
    private mutating func agent(of entry: ClaudeEntry, batch: inout RecordBatch) -> String? {
        if let id = entry.agentId ?? fileAgentId, !id.isEmpty {
            if !batch.subagents.contains(where: { $0.agentId == id && $0.sessionId == entry.sessionId && $0.ownsFile }) {
                batch.subagents.append(SubagentRow(sessionId: entry.sessionId, agentId: id, agentType: agentMeta?.type,
                                                   description: agentMeta?.description, ownsFile: id == fileAgentId))
            }
            return id
        }
        guard entry.isSidechain else { return nil }
        if let parent = entry.parentUuid {
            // A known parent: its chain. An unknown one (the file holds part of the chain): the
            // latest chain of the session, rather than a new subagent for every gap.
            if let chain = sidechainAgents[parent] ?? lastSidechain[entry.sessionId] {
                sidechainAgents[entry.uuid] = chain
                return chain
            }
        }
        let chain = "sidechain-" + entry.uuid.prefix(8)
        lastSidechain[entry.sessionId] = chain
        sidechainAgents[entry.uuid] = chain
        let call = entry.role == .user ? taskPrompts[entry.text] : nil
        let details = call.flatMap { taskDetails[$0] }
        batch.subagents.append(SubagentRow(sessionId: entry.sessionId, agentId: chain, agentType: details?.type,
                                           description: details?.description, parentToolUseId: call))
        return chain
    }
}
