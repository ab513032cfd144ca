import AgentLogJSON
import Foundation

extension DemoHistory {
    /// Token counts of one API response.
    struct Usage: Sendable {
        var input: Int
        var creation: Int
        var read: Int
        var oneHour: Bool

        func json(output: Int) -> JSON {
            [
                "input_tokens": .int(input), "cache_creation_input_tokens": .int(creation),
                "cache_read_input_tokens": .int(read), "output_tokens": .int(output), "service_tier": "standard",
                "cache_creation": [
                    "ephemeral_5m_input_tokens": .int(oneHour ? 0 : creation),
                    "ephemeral_1h_input_tokens": .int(oneHour ? creation : 0),
                ],
            ]
        }
    }

    /// Plays a script into transcript lines: the chain of uuids, the clock and the token counts.
    struct Recorder {
        var rng: SplitMix64
        var clock: Int64
        let session: Session
        let cwd: String
        let sessionId: String
        var agentId: String?
        var model: String
        var lines: [String] = []
        /// Subagent transcripts and meta files, paths relative to the project folder.
        var files: [OutputFile] = []
        var last: String?
        var context: Int
        var pending: Int
        var prompts = 0
        var toolUses = 0
        var lastTotal = 0
        var lastUsage: JSON = nil
        var queued: String?

        init(rng: SplitMix64, clock: Int64, session: Session, cwd: String, sessionId: String) {
            self.rng = rng
            self.clock = clock
            self.session = session
            self.cwd = cwd
            self.sessionId = sessionId
            self.model = session.model
            // The system prompt and tools are usually cached already; the first prompt adds CLAUDE.md etc.
            self.context = self.rng.int(11_000...15_500)
            self.pending = self.rng.int(2_500...7_000)
        }

        var text: String { lines.map { $0 + "\n" }.joined() }

        var common: [(String, JSON)] {
            [("userType", "external"), ("entrypoint", "cli"), ("cwd", .string(cwd)), ("sessionId", .string(sessionId)),
             ("version", .string(DemoHistory.version(daysAgo: session.daysAgo))), ("gitBranch", .string(session.branch))]
        }

        var head: [(String, JSON)] {
            var pairs: [(String, JSON)] = [("parentUuid", last.map { .string($0) } ?? .null), ("isSidechain", .bool(agentId != nil))]
            if let agentId { pairs.append(("agentId", .string(agentId))) }
            return pairs
        }

        var now: JSON { .string(DemoHistory.timestamp(clock)) }

        mutating func advance(_ range: ClosedRange<Int>) { clock += Int64(rng.int(range)) }
        mutating func emit(_ pairs: [(String, JSON)]) { lines.append(JSON.object(pairs + common).encoded) }
        mutating func bookkeeping(_ pairs: [(String, JSON)]) { lines.append(JSON.object(pairs).encoded) }

        mutating func run(_ steps: [Step]) {
            for step in steps {
                switch step {
                case .prompt(let text): prompt(text)
                case .response(let thinking, let text, let tools): respond(thinking: thinking, text: text, tools: tools)
                case .compact(let summary): compact(summary)
                case .apiError(let message): apiError(message)
                case .queued(let text):
                    queued = text
                    advance(300...900)
                    bookkeeping([("type", "queue-operation"), ("operation", "enqueue"), ("timestamp", now),
                                 ("sessionId", .string(sessionId)), ("content", .string(text))])
                case .title(let title):
                    bookkeeping([("type", "custom-title"), ("customTitle", .string(title)), ("sessionId", .string(sessionId))])
                }
            }
        }

        mutating func prompt(_ text: String, typed: Bool = true) {
            if prompts > 0 && typed { advance(40_000...540_000) }
            prompts += 1
            let id = rng.uuid()
            if agentId == nil {
                bookkeeping([("type", "file-history-snapshot"), ("messageId", .string(id)),
                             ("snapshot", ["messageId": .string(id), "trackedFileBackups": [:], "timestamp": now]),
                             ("isSnapshotUpdate", false)])
            }
            emit(head + [("type", "user"), ("message", ["role": "user", "content": .string(text)]),
                         ("uuid", .string(id)), ("timestamp", now)])
            last = id
            pending += text.utf8.count / 4 + 10
        }

        mutating func respond(thinking: String?, text: String?, tools: [Tool]) {
            advance(2_500...11_000)
            var blocks: [JSON] = []
            if let thinking {
                blocks.append(["type": "thinking", "thinking": .string(thinking), "signature": .string(rng.signature())])
            }
            if let text { blocks.append(["type": "text", "text": .string(text)]) }
            var toolIds: [String] = []
            for tool in tools {
                let id = "toolu_01" + rng.base62(22)
                toolIds.append(id)
                blocks.append(["type": "tool_use", "id": .string(id), "name": .string(tool.name), "input": tool.input])
            }
            let written = (thinking?.count ?? 0) + (text?.count ?? 0) + tools.reduce(0) { $0 + $1.input.encoded.count }
            // Thinking is redacted-length in transcripts but billed in full: add its tokens.
            let thinkingTokens = thinking == nil ? 0 : rng.int(120...1_400)
            let output = min(3_000, max(50, written / 3 + thinkingTokens + rng.int(20...160)))
            let input = rng.int(0...7) == 0 ? rng.int(10...50) : rng.int(1...8)
            let creation = min(20_000, max(500, pending + rng.int(0...300)))
            let usage = Usage(input: input, creation: creation, read: context, oneHour: model.contains("opus"))
            context += creation
            pending = max(0, pending - creation) + output
            let early = rng.int(1...min(48, output - 1))
            let messageId = "msg_01" + rng.base62(22), requestId = "req_011C" + rng.base62(20)
            var toolLines: [String] = []
            for (index, block) in blocks.enumerated() {
                let isLast = index == blocks.count - 1
                if index > 0 { advance(150...1_300) }
                if index == 0 { clock += Int64(thinkingTokens * rng.int(14...24)) }
                if isLast { clock += Int64((output - thinkingTokens) * rng.int(14...24)) }
                let stop: JSON = isLast ? (tools.isEmpty ? "end_turn" : "tool_use") : nil
                let message: JSON = [
                    "model": .string(model), "id": .string(messageId), "type": "message", "role": "assistant",
                    "content": [block], "stop_reason": stop, "stop_sequence": nil,
                    "usage": usage.json(output: isLast ? output : early),
                ]
                let id = rng.uuid()
                emit(head + [("message", message), ("requestId", .string(requestId)), ("type", "assistant"),
                             ("uuid", .string(id)), ("timestamp", now)])
                last = id
                if index >= blocks.count - tools.count { toolLines.append(id) }
            }
            lastUsage = usage.json(output: output)
            lastTotal = input + creation + usage.read + output
            for (index, tool) in tools.enumerated() { runTool(tool, id: toolIds[index], line: toolLines[index]) }
            if tools.isEmpty, let text = queued {
                queued = nil
                advance(80...400)
                bookkeeping([("type", "queue-operation"), ("operation", "dequeue"), ("timestamp", now),
                             ("sessionId", .string(sessionId))])
                advance(5...40)
                prompt(text, typed: false)
            }
        }

        mutating func runTool(_ tool: Tool, id: String, line: String) {
            toolUses += 1
            var content: JSON = .string(tool.output)
            var result = tool.result
            if let agent = tool.agent {
                (content, result) = runAgent(agent)
            } else {
                clock += Int64(tool.seconds * 1000) + Int64(rng.int(20...240))
            }
            let block: JSON = ["tool_use_id": .string(id), "type": "tool_result", "content": content, "is_error": .bool(tool.isError)]
            let uuid = rng.uuid()
            emit(head + [("type", "user"), ("message", ["role": "user", "content": [block]]), ("uuid", .string(uuid)),
                         ("timestamp", now), ("toolUseResult", result), ("sourceToolAssistantUUID", .string(line))])
            last = uuid
            let bulk = tool.agent == nil ? session.bulk * rng.int(70...130) / 100 : 0
            pending += tool.output.utf8.count / 3 + bulk
        }

        /// Runs a subagent into `<session>/subagents/agent-<id>.jsonl`; returns the Task result's content and toolUseResult.
        mutating func runAgent(_ agent: Agent) -> (JSON, JSON) {
            let agentId = "a" + rng.hex(16)
            let start = clock + Int64(rng.int(40...200))
            var child = Recorder(rng: rng, clock: start, session: session, cwd: cwd, sessionId: sessionId)
            child.agentId = agentId
            child.model = "claude-haiku-4-5-20251001"
            child.prompt(agent.prompt)
            child.run(agent.steps)
            child.respond(thinking: nil, text: agent.report, tools: [])
            rng = child.rng
            clock = child.clock + Int64(rng.int(60...300))
            let folder = "\(sessionId)/subagents/agent-\(agentId)"
            let meta: JSON = ["agentType": "general-purpose", "description": .string(agent.description)]
            files.append(OutputFile(path: folder + ".meta.json", text: meta.encoded, modified: start))
            files.append(OutputFile(path: folder + ".jsonl", text: child.text, modified: child.clock))
            let duration = Int(clock - start)
            let report: JSON = ["type": "text", "text": .string(agent.report)]
            let footer = "agentId: \(agentId)\n<usage>total_tokens: \(child.lastTotal)\ntool_uses: \(child.toolUses)\nduration_ms: \(duration)</usage>"
            let content: JSON = [report, ["type": "text", "text": .string(footer)]]
            let result: JSON = [
                "status": "completed", "prompt": .string(agent.prompt), "agentId": .string(agentId),
                "agentType": "general-purpose", "content": [report], "totalDurationMs": .int(duration),
                "totalTokens": .int(child.lastTotal), "totalToolUseCount": .int(child.toolUses), "usage": child.lastUsage,
            ]
            return (content, result)
        }

        mutating func compact(_ summary: String) {
            advance(30_000...75_000)
            let boundary = rng.uuid()
            emit([("parentUuid", nil), ("logicalParentUuid", last.map { .string($0) } ?? nil), ("isSidechain", false),
                  ("type", "system"), ("subtype", "compact_boundary"), ("content", "Conversation compacted"),
                  ("isMeta", false), ("timestamp", now), ("uuid", .string(boundary)), ("level", "info"),
                  ("compactMetadata", ["trigger": "auto", "preTokens": .int(context + pending)])])
            clock += 1
            let id = rng.uuid()
            let text = "This session continues an earlier conversation that ran out of context. "
                + "Here is a summary of the earlier part:\n\n" + summary
            emit([("parentUuid", .string(boundary)), ("isSidechain", false), ("type", "user"),
                  ("message", ["role": "user", "content": .string(text)]), ("isVisibleInTranscriptOnly", true),
                  ("isCompactSummary", true), ("uuid", .string(id)), ("timestamp", now)])
            last = id
            context = rng.int(11_000...15_000)
            pending = text.utf8.count / 4 + rng.int(1_500...3_000)
        }

        mutating func apiError(_ message: String) {
            advance(3_000...25_000)
            let zero: JSON = [
                "input_tokens": 0, "output_tokens": 0, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                "service_tier": nil, "cache_creation": ["ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0],
            ]
            let body: JSON = [
                "id": .string(rng.uuid()), "container": nil, "model": "<synthetic>", "role": "assistant",
                "stop_reason": "stop_sequence", "stop_sequence": "", "type": "message", "usage": zero,
                "content": [["type": "text", "text": .string(message)]],
            ]
            let id = rng.uuid()
            emit(head + [("type", "assistant"), ("uuid", .string(id)), ("timestamp", now), ("message", body),
                         ("isApiErrorMessage", true)])
            last = id
        }
    }
}
