import AgentLogJSON
/// Turns one line of a Claude Code transcript (`~/.claude/projects/<project>/<session>.jsonl`)
/// into a ``ClaudeLine``: a pure function of the bytes.
///
/// The parser reuses scratch buffers between lines, so keep one per file being read:
///
/// ```swift
/// var parser = ClaudeLineParser()
/// let result = bytes.withUnsafeBytes { parser.parse($0) }
/// ```
public struct ClaudeLineParser {
    private var top: [JSONScanner.Member] = []
    private var message: [JSONScanner.Member] = []
    private var block: [JSONScanner.Member] = []
    private var inner: [JSONScanner.Member] = []
    private var blocks: [JSONSpan] = []
    private var parts: [JSONSpan] = []
    /// What was wrong with the last parsed line that did not stop it being ingested (a usage
    /// count that is not a count): one sentence each, for the line's rejection list.
    public private(set) var problems: [String] = []

    /// A parser with empty scratch buffers.
    public init() {}

    /// Parses one line (without its newline). Blank lines are the caller's business.
    public mutating func parse(_ bytes: UnsafeRawBufferPointer) -> Result<ClaudeLine, LineRejection> {
        let json = JSONScanner(bytes)
        problems.removeAll(keepingCapacity: true)
        do {
            try json.scanObject(into: &top)
        } catch {
            return .failure(LineRejection("invalid JSON: \(error.description)"))
        }
        var type: String?
        var sessionId: String?
        var uuid: String?
        var timestamp: Int64?
        var messageSpan: JSONSpan?
        var entry = ClaudeEntry(sessionId: "", uuid: "", role: .user)
        var requestId = ""
        var toolUseResult: JSONSpan?
        var compactMetadata: JSONSpan?
        var systemContent: JSONSpan?
        var titleText: String?
        var summaryText: String?
        var leafUuid: String?

        for member in top {
            let key = member.key
            let value = member.value
            if json.equals(key, "type") {
                type = json.string(value)
            } else if json.equals(key, "sessionId") {
                sessionId = json.string(value)
            } else if json.equals(key, "uuid") {
                uuid = json.string(value)
            } else if json.equals(key, "parentUuid") {
                entry.parentUuid = json.string(value)
            } else if json.equals(key, "timestamp") {
                timestamp = timestampValue(json, value)
            } else if json.equals(key, "message") {
                messageSpan = value
            } else if json.equals(key, "isSidechain") {
                entry.isSidechain = json.bool(value) ?? false
            } else if json.equals(key, "agentId") {
                entry.agentId = json.string(value)
            } else if json.equals(key, "cwd") {
                entry.cwd = json.string(value)
            } else if json.equals(key, "gitBranch") {
                entry.gitBranch = json.string(value)
            } else if json.equals(key, "version") {
                entry.version = json.string(value)
            } else if json.equals(key, "isMeta") {
                entry.isMeta = json.bool(value) ?? false
            } else if json.equals(key, "isCompactSummary") {
                entry.isCompactSummary = json.bool(value) ?? false
            } else if json.equals(key, "isApiErrorMessage") {
                entry.isApiError = json.bool(value) ?? false
            } else if json.equals(key, "requestId") {
                requestId = json.string(value) ?? ""
            } else if json.equals(key, "toolUseResult") {
                toolUseResult = value
            } else if json.equals(key, "subtype") {
                entry.subtype = json.string(value)
            } else if json.equals(key, "compactMetadata") {
                compactMetadata = value
            } else if json.equals(key, "content") {
                systemContent = value
            } else if json.equals(key, "customTitle") || json.equals(key, "aiTitle") || json.equals(key, "title") {
                titleText = json.string(value, maxBytes: 1024)
            } else if json.equals(key, "summary") {
                summaryText = json.string(value, maxBytes: 4096)
            } else if json.equals(key, "leafUuid") {
                leafUuid = json.string(value)
            }
        }

        let role: MessageRole
        switch type {
        case "user": role = .user
        case "assistant": role = .assistant
        case "system": role = .system
        case "summary":
            guard let leafUuid, let summaryText else {
                return .success(.bookkeeping(type: "summary", sessionId: sessionId, timestamp: timestamp))
            }
            return .success(.summary(leafUuid: leafUuid, summary: summaryText))
        case "custom-title", "ai-title":
            guard let sessionId, !sessionId.isEmpty, let titleText else {
                return .success(.bookkeeping(type: type ?? "", sessionId: sessionId, timestamp: timestamp))
            }
            return .success(.title(sessionId: sessionId, title: titleText, isCustom: type == "custom-title"))
        default:
            guard let type, ClaudeLine.bookkeepingTypes.contains(type) else {
                return .success(.unknown(type: type ?? "", sessionId: sessionId, timestamp: timestamp))
            }
            return .success(.bookkeeping(type: type, sessionId: sessionId, timestamp: timestamp))
        }
        guard let sessionId, !sessionId.isEmpty else { return .failure(LineRejection("\(role.rawValue) line without a sessionId")) }
        guard let uuid, !uuid.isEmpty else { return .failure(LineRejection("\(role.rawValue) line without a uuid")) }
        entry.sessionId = sessionId
        entry.uuid = uuid
        entry.role = role
        entry.timestamp = timestamp

        if let messageSpan {
            readMessage(json, messageSpan, into: &entry, requestId: requestId)
        } else if role == .system, let systemContent, systemContent.kind == .string {
            entry.text = json.string(systemContent, maxBytes: PreviewLimits.text) ?? ""
            entry.textLength = json.decodedByteCount(systemContent)
        }
        if let toolUseResult, toolUseResult.kind == .object {
            json.members(of: toolUseResult, into: &inner)
            if let agent = json.value("agentId", in: inner) { entry.spawnedAgentId = json.string(agent) }
        }
        if let compactMetadata, compactMetadata.kind == .object {
            json.members(of: compactMetadata, into: &inner)
            if let trigger = json.value("trigger", in: inner) { entry.compactTrigger = json.string(trigger) }
            if let pre = json.value("preTokens", in: inner) { entry.compactPreTokens = json.int(pre) }
        }
        return .success(.entry(entry))
    }

    private func timestampValue(_ json: JSONScanner, _ span: JSONSpan) -> Int64? {
        guard span.kind == .string, !span.hasEscapes else { return nil }
        return Timestamp.milliseconds(fromISO8601: UnsafeRawBufferPointer(
            start: json.base + span.contentStart, count: span.contentEnd - span.contentStart))
    }

    private mutating func readMessage(_ json: JSONScanner, _ span: JSONSpan, into entry: inout ClaudeEntry, requestId: String) {
        json.members(of: span, into: &message)
        var content: JSONSpan?
        var usage: JSONSpan?
        var messageId = ""
        for member in message {
            if json.equals(member.key, "content") {
                content = member.value
            } else if json.equals(member.key, "model") {
                entry.model = json.string(member.value)
            } else if json.equals(member.key, "id") {
                messageId = json.string(member.value) ?? ""
            } else if json.equals(member.key, "usage") {
                usage = member.value
            }
        }
        if let content { readContent(json, content, into: &entry) }
        if entry.role == .assistant, let usage, usage.kind == .object {
            entry.usage = UsageRecord(messageId: messageId, requestId: requestId,
                                      model: entry.model ?? "", tokens: tokenCounts(json, usage))
        }
    }

    private mutating func tokenCounts(_ json: JSONScanner, _ usage: JSONSpan) -> TokenCounts {
        json.members(of: usage, into: &inner)
        var tokens = TokenCounts()
        var split: JSONSpan?
        for member in inner {
            if json.equals(member.key, "input_tokens") {
                tokens.input = count(json, member.value, "input_tokens")
            } else if json.equals(member.key, "output_tokens") {
                tokens.output = count(json, member.value, "output_tokens")
            } else if json.equals(member.key, "cache_creation_input_tokens") {
                tokens.cacheCreation = count(json, member.value, "cache_creation_input_tokens")
            } else if json.equals(member.key, "cache_read_input_tokens") {
                tokens.cacheRead = count(json, member.value, "cache_read_input_tokens")
            } else if json.equals(member.key, "cache_creation") {
                split = member.value
            }
        }
        if let split, split.kind == .object {
            json.members(of: split, into: &inner)
            if let oneHour = json.value("ephemeral_1h_input_tokens", in: inner) {
                tokens.cacheCreation1h = min(count(json, oneHour, "ephemeral_1h_input_tokens"), tokens.cacheCreation)
            }
        }
        return tokens
    }

    /// A usage count, or 0 with the problem noted when the value is not a count (`null` is
    /// an absent count, not a problem).
    private mutating func count(_ json: JSONScanner, _ value: JSONSpan, _ field: String) -> Int {
        if value.kind == .null { return 0 }
        switch json.count(value) {
        case .success(let count): return count
        case .failure(let error):
            problems.append("usage field \(field): \(error); not counted (the rest of the line is kept)")
            return 0
        }
    }

    private mutating func readContent(_ json: JSONScanner, _ content: JSONSpan, into entry: inout ClaudeEntry) {
        if content.kind == .string {
            entry.text = json.string(content, maxBytes: PreviewLimits.text) ?? ""
            entry.textLength = json.decodedByteCount(content)
            return
        }
        json.elements(of: content, into: &blocks)
        for blockSpan in blocks where blockSpan.kind == .object {
            json.members(of: blockSpan, into: &block)
            guard let typeSpan = json.value("type", in: block) else { continue }
            if json.equals(typeSpan, "text") {
                if let text = json.value("text", in: block) { json.append(text, to: &entry.text, length: &entry.textLength, limit: PreviewLimits.text) }
            } else if json.equals(typeSpan, "thinking") {
                if let text = json.value("thinking", in: block) {
                    var ignored = 0
                    json.append(text, to: &entry.thinking, length: &ignored, limit: PreviewLimits.thinking)
                }
            } else if json.equals(typeSpan, "tool_use") || json.equals(typeSpan, "server_tool_use") {
                if let use = toolUse(json) { entry.toolUses.append(use) }
            } else if json.equals(typeSpan, "tool_result") {
                if let result = toolResult(json) { entry.toolResults.append(result) }
            }
        }
    }

    /// Reads the tool_use block in `block`.
    private mutating func toolUse(_ json: JSONScanner) -> ToolUse? {
        guard let idSpan = json.value("id", in: block), let id = json.string(idSpan), !id.isEmpty else { return nil }
        let name = json.value("name", in: block).flatMap { json.string($0) } ?? ""
        guard let input = json.value("input", in: block) else {
            return ToolUse(id: id, name: name, inputPreview: "", inputLength: 0)
        }
        var use = ToolUse(id: id, name: name, inputPreview: json.raw(input, maxBytes: PreviewLimits.tool),
                          inputLength: input.end - input.start)
        guard input.kind == .object else { return use }
        json.members(of: input, into: &inner)
        switch name {
        case "Write", "Edit", "MultiEdit", "Read":
            use.filePath = json.value("file_path", in: inner).flatMap { json.string($0) }
            use.fileOperation = name == "Write" ? .write : name == "Edit" ? .edit : name == "MultiEdit" ? .multiEdit : .read
        case "NotebookEdit":
            use.filePath = (json.value("notebook_path", in: inner) ?? json.value("file_path", in: inner)).flatMap { json.string($0) }
            use.fileOperation = .notebookEdit
        case "Task", "Agent":
            use.subagentType = json.value("subagent_type", in: inner).flatMap { json.string($0, maxBytes: 256) }
            use.subagentDescription = json.value("description", in: inner).flatMap { json.string($0, maxBytes: 1024) }
            use.subagentPrompt = json.value("prompt", in: inner).flatMap { json.string($0, maxBytes: PreviewLimits.text) }
        default:
            break
        }
        if use.filePath?.isEmpty == true { use.filePath = nil; use.fileOperation = nil }
        if use.filePath == nil { use.fileOperation = nil }
        return use
    }

    /// Reads the tool_result block in `block`.
    private mutating func toolResult(_ json: JSONScanner) -> ToolResult? {
        guard let idSpan = json.value("tool_use_id", in: block), let id = json.string(idSpan), !id.isEmpty else { return nil }
        let isError = json.value("is_error", in: block).flatMap { json.bool($0) } ?? false
        var preview = ""
        var length = 0
        if let content = json.value("content", in: block) {
            if content.kind == .string {
                preview = json.string(content, maxBytes: PreviewLimits.tool) ?? ""
                length = json.decodedByteCount(content)
            } else if content.kind == .array {
                json.elements(of: content, into: &parts)
                for part in parts where part.kind == .object {
                    json.members(of: part, into: &inner)
                    guard let text = json.value("text", in: inner), text.kind == .string else { continue }
                    json.append(text, to: &preview, length: &length, limit: PreviewLimits.tool)
                }
            }
        }
        return ToolResult(toolUseId: id, isError: isError, outputPreview: preview, outputLength: length)
    }
}
