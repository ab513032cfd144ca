import AgentLogJSON

/// Reads the lines of one Codex CLI rollout (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`)
/// into ``RecordBatch``es, in order.
///
/// A rollout names its session once (`session_meta`) and its model per turn (`turn_context`),
/// so the reader carries both from line to line; a sync that starts mid-file seeds them from
/// the store. Items have no ids of their own: a message is keyed by the byte offset of its line
/// (stable, rollouts are only appended to). Token counts arrive as cumulative snapshots: each
/// distinct snapshot becomes one usage row, keyed by the snapshot's totals so that repeats
/// collapse, holding that turn's own counts in the same disjoint buckets as Claude's.
///
/// ```swift
/// var reader = CodexTranscriptReader(sessionId: nil, model: nil)
/// var batch = RecordBatch(agent: .codex)
/// line.withUnsafeBytes { reader.add(line: $0, number: 1, offset: 0, to: &batch) }
/// ```
public struct CodexTranscriptReader {
    /// The rollout's session, from its `session_meta` line or as seeded by the caller.
    public private(set) var sessionId: String?
    /// The current turn's model, from the latest `turn_context` line or as seeded by the caller.
    public private(set) var model: String?
    private var cwd: String?
    /// Whether a turn has started: user items before the first turn are injected context.
    private var turnStarted: Bool
    private var previousTotals: Snapshot?
    /// Each rate-limit window's last reading, so repeats are not stored again.
    private var previousLimits: [String: RateLimitRow] = [:]
    private var top: [JSONScanner.Member] = []
    private var payload: [JSONScanner.Member] = []
    private var inner: [JSONScanner.Member] = []
    private var fields: [JSONScanner.Member] = []
    /// A reasoning item waiting to see whether an assistant message follows it, to become that
    /// message's thinking (one row, like a Claude response) rather than a row of its own.
    private var pendingReasoning: MessageRecord?
    private var decoded: [UInt8] = []

    /// `sessionId` and `model` seed a read that starts after the file's first line.
    public init(sessionId: String?, model: String?) {
        self.sessionId = sessionId
        self.model = model
        turnStarted = sessionId != nil
    }

    /// Parses one line (without its newline) and adds what it holds to `batch`.
    public mutating func add(line: UnsafeRawBufferPointer, number: Int, offset: Int64, to batch: inout RecordBatch) {
        guard let json = batch.scan(line, number: number, offset: offset, into: &top, nestedIn: "payload", into: &payload) else { return }
        let type = json.value("type", in: top).flatMap { json.string($0) } ?? ""
        let timestamp = json.value("timestamp", in: top).flatMap { json.string($0) }.flatMap(Timestamp.milliseconds(fromISO8601:))
        guard let payloadSpan = json.value("payload", in: top), payloadSpan.kind == .object else {
            reject(number, offset, type.isEmpty ? "line has no record type" : "\(type) line without a payload", &batch)
            return
        }
        let kind = json.value("type", in: payload).flatMap { json.string($0) } ?? ""

        switch type {
        case "session_meta":
            guard let id = json.value("id", in: payload).flatMap({ json.string($0) }), !id.isEmpty else {
                reject(number, offset, "session_meta without an id", &batch)
                return
            }
            sessionId = id
            cwd = json.value("cwd", in: payload).flatMap { json.string($0) }
            let version = json.value("cli_version", in: payload).flatMap { json.string($0) }
            var branch: String?
            if let git = json.value("git", in: payload), git.kind == .object {
                json.members(of: git, into: &inner)
                branch = json.value("branch", in: inner).flatMap { json.string($0) }
            }
            let started = json.value("timestamp", in: payload).flatMap { json.string($0) }.flatMap(Timestamp.milliseconds(fromISO8601:))
            batch.facts(id) { facts in
                facts.see(started ?? timestamp)
                if facts.cwd == nil { facts.cwd = self.cwd }
                if let branch, !branch.isEmpty { facts.gitBranch = branch }
                if let version { facts.version = version }
            }
            batch.skippedCount += 1
        case "turn_context":
            if let value = json.value("model", in: payload).flatMap({ json.string($0) }) { model = value }
            turnStarted = true
            see(timestamp, &batch)
            batch.skippedCount += 1
        case "response_item":
            guard let sessionId else {
                reject(number, offset, "\(kind) item before the rollout's session_meta line", &batch)
                return
            }
            if kind != "reasoning", !(kind == "message" && json.value("role", in: payload).map({ json.equals($0, "assistant") }) == true) {
                endBatch(&batch)
            }
            see(timestamp, &batch)
            responseItem(json, kind: kind, sessionId: sessionId, line: number, offset: offset, timestamp: timestamp, batch: &batch)
        case "event_msg":
            see(timestamp, &batch)
            if kind == "task_started" || kind == "user_message" { turnStarted = true }
            if kind == "token_count", let sessionId {
                tokenCount(json, sessionId: sessionId, timestamp: timestamp, line: number, offset: offset, batch: &batch)
            }
            batch.skippedCount += 1  // mirrors of items (user_message, agent_message, …) and bookkeeping
        case "compacted":
            endBatch(&batch)
            guard let sessionId else {
                reject(number, offset, "compacted line before the rollout's session_meta line", &batch)
                return
            }
            see(timestamp, &batch)
            var entry = ClaudeEntry(sessionId: sessionId, uuid: "o\(offset)", role: .system)
            entry.subtype = "compact_boundary"
            entry.timestamp = timestamp
            entry.text = "Conversation compacted"
            entry.textLength = entry.text.utf8.count
            batch.messages.append(MessageRecord(sessionId: sessionId, entry: entry, agentId: nil, line: number))
        default:
            reject(number, offset, type.isEmpty ? "line has no record type" : "unknown record type '\(type.prefix(80))' (kept in the archive)", &batch)
        }
    }

    /// Adds what is still held back (a reasoning item no assistant message followed yet) to
    /// `batch`: called before a batch is handed to the store, so that a file position never
    /// passes a line whose records are not in the store. A reasoning item and its message that
    /// fall into different batches stay two rows.
    public mutating func endBatch(_ batch: inout RecordBatch) {
        if let reasoning = pendingReasoning {
            batch.messages.append(reasoning)
            pendingReasoning = nil
        }
    }

    private func reject(_ line: Int, _ offset: Int64, _ reason: String, _ batch: inout RecordBatch) {
        batch.rejected.append(RejectedLine(line: line, byteOffset: offset, reason: reason))
    }

    private func see(_ timestamp: Int64?, _ batch: inout RecordBatch) {
        guard let sessionId else { return }
        batch.facts(sessionId) { $0.see(timestamp) }
    }

    // MARK: - Items

    private mutating func responseItem(_ json: JSONScanner, kind: String, sessionId: String, line: Int, offset: Int64,
                                       timestamp: Int64?, batch: inout RecordBatch) {
        let uuid = "o\(offset)"
        switch kind {
        case "message":
            let role = json.value("role", in: payload).flatMap { json.string($0) } ?? ""
            var entry = ClaudeEntry(sessionId: sessionId, uuid: uuid, role: role == "assistant" ? .assistant : role == "user" ? .user : .system)
            entry.timestamp = timestamp
            entry.model = role == "assistant" ? model : nil
            if let content = json.value("content", in: payload) { json.appendTexts(ofObjectsIn: content, key: "text", to: &entry.text, length: &entry.textLength, limit: PreviewLimits.text) }
            entry.isMeta = role == "developer" || role == "system" || (role == "user" && (!turnStarted || Self.isInjectedContext(entry.text)))
            if role == "assistant", let reasoning = pendingReasoning?.entry {
                entry.thinking = reasoning.thinking
                entry.timestamp = reasoning.timestamp ?? timestamp
                pendingReasoning = nil
            }
            if entry.isPrompt {
                batch.facts(sessionId) { facts in
                    if facts.firstPromptAt.map({ (timestamp ?? .max) < $0 }) ?? (facts.firstPrompt == nil) {
                        facts.firstPrompt = String(entry.text.prefix(200))
                        facts.firstPromptAt = timestamp
                    }
                }
            }
            batch.messages.append(MessageRecord(sessionId: sessionId, entry: entry, agentId: nil, line: line))
        case "reasoning":
            var entry = ClaudeEntry(sessionId: sessionId, uuid: uuid, role: .assistant)
            entry.timestamp = timestamp
            entry.model = model
            var ignored = 0
            if let summary = json.value("summary", in: payload) { json.appendTexts(ofObjectsIn: summary, key: "text", to: &entry.thinking, length: &ignored, limit: PreviewLimits.thinking) }
            endBatch(&batch)
            pendingReasoning = MessageRecord(sessionId: sessionId, entry: entry, agentId: nil, line: line)
        case "function_call", "custom_tool_call", "local_shell_call", "web_search_call":
            let id = json.value("call_id", in: payload).flatMap { json.string($0) } ?? "\(kind)-\(uuid)"
            let name = kind == "web_search_call" ? "web_search"
                : json.value("name", in: payload).flatMap { json.string($0) } ?? kind
            let input = json.value("arguments", in: payload) ?? json.value("input", in: payload) ?? json.value("action", in: payload)
            var use = ToolUse(id: id, name: name, inputPreview: "", inputLength: 0)
            if let input {
                // Arguments and inputs are JSON or patches inside strings: keep their text.
                if input.kind == .string {
                    use.inputPreview = json.string(input, maxBytes: PreviewLimits.tool) ?? ""
                    use.inputLength = json.decodedByteCount(input)
                } else {
                    use.inputPreview = json.raw(input, maxBytes: PreviewLimits.tool)
                    use.inputLength = input.end - input.start
                }
                // Files touched: apply_patch, called directly or from a shell command.
                if input.kind == .string {
                    let raw = UnsafeRawBufferPointer(start: json.base + input.contentStart, count: input.contentEnd - input.contentStart)
                    var files = CodexPatch.files(inJSONString: raw, relativeTo: cwd)
                    if !files.isEmpty {
                        let first = files.removeFirst()
                        use.filePath = first.path
                        use.fileOperation = first.operation
                        use.otherFiles = files
                    }
                }
            }
            // The call is its own record (tool_calls); no message row is made for it.
            batch.addToolCall(ToolCallRow(sessionId: sessionId, agentId: nil, messageUuid: uuid, timestamp: timestamp, use: use))
            if kind == "web_search_call" {
                let status = json.value("status", in: payload).flatMap { json.string($0) }
                batch.addToolResult(ToolResultRow(sessionId: sessionId, timestamp: timestamp,
                                                  result: ToolResult(toolUseId: id, isError: status == "failed", outputPreview: status ?? "", outputLength: 0)))
            }
        case "function_call_output", "custom_tool_call_output", "local_shell_call_output":
            guard let id = json.value("call_id", in: payload).flatMap({ json.string($0) }) else {
                reject(line, offset, "\(kind) without a call_id", &batch)
                return
            }
            let result = toolOutput(json, id: id)
            batch.addToolResult(ToolResultRow(sessionId: sessionId, timestamp: timestamp, result: result))
        default:
            batch.skippedCount += 1
        }
    }

    /// A call's output: a string that is either plain text or JSON `{"output": …, "metadata":
    /// {"exit_code": …}}`; a non-zero exit code marks an error.
    private mutating func toolOutput(_ json: JSONScanner, id: String) -> ToolResult {
        guard let output = json.value("output", in: payload) else {
            return ToolResult(toolUseId: id, isError: false, outputPreview: "", outputLength: 0)
        }
        guard output.kind == .string else {
            return ToolResult(toolUseId: id, isError: false, outputPreview: json.raw(output, maxBytes: PreviewLimits.tool),
                              outputLength: output.end - output.start)
        }
        let fullLength = json.decodedByteCount(output)
        let isJSON = output.contentStart < output.contentEnd && json.base[output.contentStart] == UInt8(ascii: "{")
        if isJSON, fullLength <= 64 << 10 {
            // JSON inside the string: decode it to bytes and read the output and the exit code.
            json.decode(output, maxBytes: fullLength, into: &decoded)
            var result: ToolResult?
            decoded.withUnsafeBytes { raw in
                let nested = JSONScanner(raw)
                guard (try? nested.scanObject(into: &inner)) != nil else { return }
                var preview: String?
                var length = fullLength
                if let value = nested.value("output", in: inner), let string = nested.string(value, maxBytes: PreviewLimits.tool) {
                    preview = string
                    length = nested.decodedByteCount(value)
                }
                var isError = false
                if let metadata = nested.value("metadata", in: inner), metadata.kind == .object {
                    nested.members(of: metadata, into: &fields)
                    if let code = nested.value("exit_code", in: fields).flatMap({ nested.int($0) }) { isError = code != 0 }
                }
                result = ToolResult(toolUseId: id, isError: isError,
                                    outputPreview: preview ?? json.string(output, maxBytes: PreviewLimits.tool) ?? "", outputLength: length)
            }
            if let result { return result }
        }
        // Plain text: a preview is all that is kept. exec_command output says "Process exited
        // with code N" near the top.
        var isError = false
        let head = UnsafeRawBufferPointer(start: json.base + output.contentStart,
                                          count: min(output.contentEnd - output.contentStart, 4096))
        let phrase = "Process exited with code "
        if let found = CodexPatch.find(Array(phrase.utf8), in: head.baseAddress!.assumingMemoryBound(to: UInt8.self), from: 0, count: head.count) {
            var i = found + phrase.utf8.count
            var code = 0
            var digits = 0
            let negative = i < head.count && head[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            while i < head.count, head[i] &- UInt8(ascii: "0") < 10, digits < 9 {
                code = code * 10 + Int(head[i] &- UInt8(ascii: "0"))
                i += 1
                digits += 1
            }
            isError = digits > 0 && code != 0
        }
        return ToolResult(toolUseId: id, isError: isError, outputPreview: json.string(output, maxBytes: PreviewLimits.tool) ?? "",
                          outputLength: fullLength)
    }

    // MARK: - Tokens

    /// One usage row per distinct cumulative snapshot, holding that turn's counts: the
    /// snapshot's `last_token_usage`, else the difference from the previous snapshot (or the
    /// snapshot itself after the counter restarted).
    private mutating func tokenCount(_ json: JSONScanner, sessionId: String, timestamp: Int64?, line: Int, offset: Int64,
                                     batch: inout RecordBatch) {
        if let timestamp, let limits = json.value("rate_limits", in: payload), limits.kind == .object {
            rateLimits(json, limits, sessionId: sessionId, timestamp: timestamp, batch: &batch)
        }
        guard let info = json.value("info", in: payload), info.kind == .object else { return }  // info: null
        json.members(of: info, into: &inner)
        guard let totalSpan = json.value("total_token_usage", in: inner) else { return }
        let total = counts(json, totalSpan, line: line, offset: offset, batch: &batch)
        let last = json.value("last_token_usage", in: inner).map { counts(json, $0, line: line, offset: offset, batch: &batch) }
        defer { previousTotals = total }
        if total == previousTotals { return }  // a repeat of the previous snapshot
        var turn = last ?? total
        if last == nil, let previous = previousTotals, total.isAtLeast(previous) {
            turn = total.minus(previous)
        }
        // Codex counts cached input inside input, reasoning inside output.
        let tokens = TokenCounts(input: max(0, turn.input - turn.cached), output: turn.output, cacheCreation: 0, cacheCreation1h: 0,
                                 cacheRead: turn.cached)
        batch.addUsage(UsageRow(sessionId: sessionId, agentId: nil, timestamp: timestamp,
                                usage: UsageRecord(messageId: "codex:" + sessionId, requestId: total.key, model: model ?? "", tokens: tokens)))
    }

    /// The `primary` and `secondary` windows of a `rate_limits` object, nested
    /// (`primary.used_percent`, `window_minutes`, `resets_at` in seconds or `resets_in_seconds`)
    /// or flat as older Codex wrote them (`primary_used_percent`, `primary_window_minutes`); a
    /// reading equal to the window's previous one is not repeated.
    private mutating func rateLimits(_ json: JSONScanner, _ limits: JSONSpan, sessionId: String, timestamp: Int64, batch: inout RecordBatch) {
        json.members(of: limits, into: &inner)
        let limitFields = inner
        for window in ["primary", "secondary"] {
            var used: Double?, minutes: Int?, resets: Int64?
            if let nested = limitFields.first(where: { json.string($0.key) == window })?.value, nested.kind == .object {
                json.members(of: nested, into: &fields)
                used = json.value("used_percent", in: fields).flatMap(json.double)
                minutes = json.value("window_minutes", in: fields).flatMap(json.int)
                if let at = json.value("resets_at", in: fields).flatMap(json.double), at > 0, at < 1e11 {
                    resets = Int64(at) * 1000
                } else if let seconds = json.value("resets_in_seconds", in: fields).flatMap(json.double), seconds >= 0, seconds < 1e9 {
                    // Counted from each event, so it moves by fractions of a second: to the minute.
                    resets = (timestamp + Int64(seconds) * 1000 + 30_000) / 60_000 * 60_000
                }
            } else {
                used = limitFields.first(where: { json.string($0.key) == window + "_used_percent" }).flatMap { json.double($0.value) }
                minutes = limitFields.first(where: { json.string($0.key) == window + "_window_minutes" }).flatMap { json.int($0.value) }
            }
            guard let used, used >= 0, used <= 1000 else { continue }
            let reading = RateLimitRow(sessionId: sessionId, window: window, observedAt: timestamp, usedPercent: used,
                                       windowMinutes: minutes.flatMap { $0 > 0 && $0 <= 527_040 ? $0 : nil }, resetsAt: resets)
            if let previous = previousLimits[window], previous.usedPercent == used, previous.resetsAt == resets { continue }
            previousLimits[window] = reading
            batch.rateLimits.append(reading)
        }
    }

    /// The five counters of a Codex token snapshot.
    struct Snapshot: Equatable {
        var input = 0, cached = 0, output = 0, reasoning = 0, total = 0

        /// The snapshot's key among a session's usage rows: its counters joined by `/`.
        var key: String { "\(input)/\(cached)/\(output)/\(reasoning)/\(total)" }

        func isAtLeast(_ other: Snapshot) -> Bool {
            input >= other.input && cached >= other.cached && output >= other.output && reasoning >= other.reasoning
                && total >= other.total
        }

        func minus(_ other: Snapshot) -> Snapshot {
            Snapshot(input: input - other.input, cached: cached - other.cached, output: output - other.output,
                     reasoning: reasoning - other.reasoning, total: total - other.total)
        }
    }

    /// A snapshot's counters; one that is not a count is 0 and reported with the line.
    private mutating func counts(_ json: JSONScanner, _ span: JSONSpan, line: Int, offset: Int64, batch: inout RecordBatch) -> Snapshot {
        json.members(of: span, into: &fields)
        var counts = Snapshot()
        for field in fields {
            let slot: WritableKeyPath<Snapshot, Int>
            if json.equals(field.key, "input_tokens") {
                slot = \.input
            } else if json.equals(field.key, "cached_input_tokens") {
                slot = \.cached
            } else if json.equals(field.key, "output_tokens") {
                slot = \.output
            } else if json.equals(field.key, "reasoning_output_tokens") {
                slot = \.reasoning
            } else if json.equals(field.key, "total_tokens") {
                slot = \.total
            } else {
                continue
            }
            if field.value.kind == .null { continue }
            switch json.count(field.value) {
            case .success(let value): counts[keyPath: slot] = value
            case .failure(let error):
                let name = json.string(field.key) ?? "count"
                batch.rejected.append(RejectedLine(line: line, byteOffset: offset,
                                                   reason: "usage field \(name): \(error); not counted (the rest of the line is kept)"))
            }
        }
        return counts
    }

    // MARK: - Text


    /// Context Codex injects as user items: environment, AGENTS.md and user instructions.
    static func isInjectedContext(_ text: String) -> Bool {
        for tag in ["<environment_context>", "<user_instructions>", "# AGENTS.md", "<permissions instructions>", "<INSTRUCTIONS>"]
        where text.hasPrefix(tag) {
            return true
        }
        return false
    }
}
