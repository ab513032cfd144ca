import AgentLogJSON
/// Reads Gemini CLI chats (`~/.gemini/tmp/<projectHash>/chats/session-*.json`): either one JSON
/// document that the CLI rewrites in place (read whole, again, whenever it changes), or the newer
/// JSONL update log (a header line, message records, `$set` lines that patch the header; a
/// message written again with the same id replaces the earlier one).
///
/// Messages are keyed by their own ids, so reading a rewritten document again only adds what is
/// new. Token counts `{input, output, cached, thoughts, tool}` go into the disjoint buckets:
/// input excludes cached input (read from cache) and includes tool-use prompt tokens; output
/// includes thoughts, which are billed as output.
///
/// ```swift
/// var batch = RecordBatch(agent: .gemini)
/// let rejection = bytes.withUnsafeBytes { GeminiSessionReader.readDocument($0, into: &batch) }
/// ```
public struct GeminiSessionReader {
    /// The chat's session, from its header or as seeded by the caller.
    public private(set) var sessionId: String?
    private var top: [JSONScanner.Member] = []

    /// `sessionId` seeds a read of a JSONL log that starts after its header line.
    public init(sessionId: String?) { self.sessionId = sessionId }

    /// Reads a whole JSON session document; returns why it could not, if it could not.
    public static func readDocument(_ bytes: UnsafeRawBufferPointer, into batch: inout RecordBatch) -> String? {
        let json = JSONScanner(bytes)
        var members: [JSONScanner.Member] = []
        do {
            try json.scanObject(into: &members)
        } catch {
            return "invalid JSON: \(error.description)"
        }
        guard let sessionId = json.value("sessionId", in: members).flatMap({ json.string($0) }), !sessionId.isEmpty else {
            return "session file without a sessionId"
        }
        header(json, members, sessionId: sessionId, into: &batch)
        guard let messages = json.value("messages", in: members) else { return nil }
        var items: [JSONSpan] = []
        json.elements(of: messages, into: &items)
        for (index, item) in items.enumerated() where item.kind == .object {
            var fields: [JSONScanner.Member] = []
            json.members(of: item, into: &fields)
            message(json, fields, sessionId: sessionId, line: index + 1, into: &batch)
        }
        return nil
    }

    /// Parses one line of a JSONL session log and adds what it holds to `batch`.
    public mutating func add(line: UnsafeRawBufferPointer, number: Int, offset: Int64, to batch: inout RecordBatch) {
        guard let json = batch.scan(line, number: number, offset: offset, into: &top) else { return }
        if let set = json.value("$set", in: top) {
            // A patch of the header: only its time matters here.
            if let sessionId, set.kind == .object {
                var fields: [JSONScanner.Member] = []
                json.members(of: set, into: &fields)
                let updated = json.value("lastUpdated", in: fields).flatMap { json.string($0) }.flatMap(Timestamp.milliseconds(fromISO8601:))
                batch.facts(sessionId) { $0.see(updated) }
            }
            batch.skippedCount += 1
        } else if json.value("id", in: top) == nil, let id = json.value("sessionId", in: top).flatMap({ json.string($0) }) {
            sessionId = id
            Self.header(json, top, sessionId: id, into: &batch)
            batch.skippedCount += 1
        } else if let sessionId {
            Self.message(json, top, sessionId: sessionId, line: number, into: &batch)
        } else {
            batch.rejected.append(RejectedLine(line: number, byteOffset: offset, reason: "message before the session header line"))
        }
    }

    private static func header(_ json: JSONScanner, _ members: [JSONScanner.Member], sessionId: String, into batch: inout RecordBatch) {
        let started = json.value("startTime", in: members).flatMap { json.string($0) }.flatMap(Timestamp.milliseconds(fromISO8601:))
        let updated = json.value("lastUpdated", in: members).flatMap { json.string($0) }.flatMap(Timestamp.milliseconds(fromISO8601:))
        batch.facts(sessionId) { facts in
            facts.see(started)
            facts.see(updated)
        }
    }

    /// One message record: `{id, timestamp, type: user|gemini|info|error, content, thoughts,
    /// tokens, model, toolCalls}`.
    private static func message(_ json: JSONScanner, _ fields: [JSONScanner.Member], sessionId: String, line: Int,
                                into batch: inout RecordBatch) {
        guard let id = json.value("id", in: fields).flatMap({ json.string($0) }), !id.isEmpty else {
            batch.rejected.append(RejectedLine(line: line, byteOffset: 0, reason: "message without an id"))
            return
        }
        let type = json.value("type", in: fields).flatMap { json.string($0) } ?? ""
        let timestamp = json.value("timestamp", in: fields).flatMap { json.string($0) }.flatMap(Timestamp.milliseconds(fromISO8601:))
        var entry = ClaudeEntry(sessionId: sessionId, uuid: id, role: type == "user" ? .user : type == "gemini" ? .assistant : .system)
        entry.subtype = entry.role == .system ? type : nil
        entry.timestamp = timestamp
        entry.model = json.value("model", in: fields).flatMap { json.string($0) }
        if let content = json.value("content", in: fields) {
            if content.kind == .string {
                entry.text = json.string(content, maxBytes: PreviewLimits.text) ?? ""
                entry.textLength = json.decodedByteCount(content)
            } else {
                json.appendTexts(ofObjectsIn: content, key: "text", to: &entry.text, length: &entry.textLength, limit: PreviewLimits.text)
            }
        }
        if let thoughts = json.value("thoughts", in: fields) {
            var ignored = 0
            json.appendTexts(ofObjectsIn: thoughts, key: "description", to: &entry.thinking, length: &ignored, limit: PreviewLimits.thinking)
        }
        batch.facts(sessionId) { facts in
            facts.see(timestamp)
            if entry.isPrompt, facts.firstPromptAt.map({ (timestamp ?? .max) < $0 }) ?? (facts.firstPrompt == nil) {
                facts.firstPrompt = String(entry.text.prefix(200))
                facts.firstPromptAt = timestamp
            }
        }
        if let calls = json.value("toolCalls", in: fields) {
            var items: [JSONSpan] = []
            json.elements(of: calls, into: &items)
            for item in items where item.kind == .object {
                if let (use, result) = toolCall(json, item) {
                    entry.toolUses.append(use)
                    batch.addToolCall(ToolCallRow(sessionId: sessionId, agentId: nil, messageUuid: id, timestamp: timestamp, use: use))
                    batch.addToolResult(ToolResultRow(sessionId: sessionId, timestamp: timestamp, result: result))
                }
            }
        }
        if let tokens = json.value("tokens", in: fields), tokens.kind == .object {
            var counts: [JSONScanner.Member] = []
            json.members(of: tokens, into: &counts)
            func count(_ name: StaticString) -> Int {
                guard let value = json.value(name, in: counts), value.kind != .null else { return 0 }
                switch json.count(value) {
                case .success(let count): return count
                case .failure(let error):
                    batch.rejected.append(RejectedLine(line: line, byteOffset: 0,
                                                       reason: "usage field tokens.\(name): \(error); not counted (the rest of the message is kept)"))
                    return 0
                }
            }
            let cached = count("cached")
            let usage = TokenCounts(input: max(0, count("input") - cached) + count("tool"), output: count("output") + count("thoughts"),
                                    cacheCreation: 0, cacheCreation1h: 0, cacheRead: cached)
            entry.usage = UsageRecord(messageId: "gemini:" + sessionId + ":" + id, requestId: "", model: entry.model ?? "", tokens: usage)
            batch.addUsage(UsageRow(sessionId: sessionId, agentId: nil, timestamp: timestamp, usage: entry.usage!))
        }
        batch.messages.append(MessageRecord(sessionId: sessionId, entry: entry, agentId: nil, line: line, replacesEarlier: true))
    }

    /// `{id, name, args, result: [{functionResponse: {response: {output}}}], status, resultDisplay}`.
    private static func toolCall(_ json: JSONScanner, _ span: JSONSpan) -> (ToolUse, ToolResult)? {
        var fields: [JSONScanner.Member] = []
        json.members(of: span, into: &fields)
        guard let id = json.value("id", in: fields).flatMap({ json.string($0) }), !id.isEmpty else { return nil }
        let name = json.value("name", in: fields).flatMap { json.string($0) } ?? ""
        var use = ToolUse(id: id, name: name, inputPreview: "", inputLength: 0)
        if let args = json.value("args", in: fields) {
            use.inputPreview = json.raw(args, maxBytes: PreviewLimits.tool)
            use.inputLength = args.end - args.start
            if args.kind == .object {
                var arguments: [JSONScanner.Member] = []
                json.members(of: args, into: &arguments)
                let path = (json.value("file_path", in: arguments) ?? json.value("absolute_path", in: arguments)).flatMap { json.string($0) }
                switch name {
                case "write_file": use.fileOperation = .write
                case "replace", "edit": use.fileOperation = .edit
                case "read_file": use.fileOperation = .read
                default: break
                }
                if use.fileOperation != nil, let path, !path.isEmpty { use.filePath = path } else { use.fileOperation = nil }
            }
        }
        let status = json.value("status", in: fields).flatMap { json.string($0) } ?? ""
        var preview = ""
        var length = 0
        if let result = json.value("result", in: fields) {
            length = result.end - result.start
            preview = json.raw(result, maxBytes: PreviewLimits.tool)
        }
        if let display = json.value("resultDisplay", in: fields), display.kind == .string {
            preview = json.string(display, maxBytes: PreviewLimits.tool) ?? preview
        }
        return (use, ToolResult(toolUseId: id, isError: status == "error", outputPreview: preview, outputLength: length))
    }

}
