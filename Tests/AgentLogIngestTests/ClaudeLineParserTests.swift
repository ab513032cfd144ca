import Testing
@testable import AgentLogIngest

@Suite("Claude Code line parser")
struct ClaudeLineParserTests {
    private func parse(_ text: String) -> Result<ClaudeLine, LineRejection> {
        var parser = ClaudeLineParser()
        return Array(text.utf8).withUnsafeBytes { parser.parse($0) }
    }

    private func entry(_ text: String) throws -> ClaudeEntry {
        guard case .success(.entry(let entry)) = parse(text) else {
            Issue.record("not an entry: \(text)")
            throw LineRejection("not an entry")
        }
        return entry
    }

    @Test("an assistant line yields its usage, model, ids and tool call with file path")
    func assistantLine() throws {
        let entry = try entry(#"""
            {"parentUuid":"p1","isSidechain":false,"cwd":"/w","sessionId":"s1","version":"2.1.81","gitBranch":"main","type":"assistant","uuid":"u1","timestamp":"2026-04-02T12:04:50.623Z","requestId":"req_1","message":{"model":"claude-sonnet-4-6","id":"msg_1","role":"assistant","content":[{"type":"text","text":"Editing."},{"type":"tool_use","id":"toolu_1","name":"Edit","input":{"file_path":"/w/a.swift","old_string":"x","new_string":"y"}}],"usage":{"input_tokens":3,"cache_creation_input_tokens":100,"cache_read_input_tokens":2000,"output_tokens":42,"cache_creation":{"ephemeral_1h_input_tokens":60,"ephemeral_5m_input_tokens":40}}}}
            """#)
        #expect(entry.sessionId == "s1")
        #expect(entry.uuid == "u1")
        #expect(entry.parentUuid == "p1")
        #expect(entry.role == .assistant)
        #expect(entry.timestamp == Timestamp.milliseconds(fromISO8601: "2026-04-02T12:04:50.623Z"))
        #expect(entry.text == "Editing.")
        #expect(entry.usage == UsageRecord(messageId: "msg_1", requestId: "req_1", model: "claude-sonnet-4-6",
                                           tokens: TokenCounts(input: 3, output: 42, cacheCreation: 100, cacheCreation1h: 60, cacheRead: 2000)))
        #expect(entry.toolUses.count == 1)
        #expect(entry.toolUses.first?.filePath == "/w/a.swift")
        #expect(entry.toolUses.first?.fileOperation == .edit)
        #expect(entry.toolUses.first?.inputPreview.contains("old_string") == true)
    }

    @Test("a tool result line yields the result, its error flag, length and the spawned agent id")
    func toolResultLine() throws {
        let entry = try entry(#"""
            {"parentUuid":"u1","sessionId":"s1","type":"user","uuid":"u2","timestamp":"2026-04-02T12:05:00.000Z","message":{"role":"user","content":[{"tool_use_id":"toolu_1","type":"tool_result","content":[{"type":"text","text":"line one\nline two"}],"is_error":true}]},"toolUseResult":{"status":"completed","agentId":"a123"}}
            """#)
        #expect(entry.toolResults == [ToolResult(toolUseId: "toolu_1", isError: true, outputPreview: "line one\nline two", outputLength: 17)])
        #expect(entry.spawnedAgentId == "a123")
        #expect(!entry.isPrompt)
    }

    @Test("a typed prompt is a prompt; meta and compaction summaries are not")
    func prompts() throws {
        #expect(try entry(#"{"sessionId":"s","type":"user","uuid":"u","message":{"role":"user","content":"fix the bug"}}"#).isPrompt)
        #expect(try !entry(#"{"sessionId":"s","type":"user","uuid":"u","isMeta":true,"message":{"role":"user","content":"<cmd>"}}"#).isPrompt)
        let summary = try entry(#"{"sessionId":"s","type":"user","uuid":"u","isCompactSummary":true,"message":{"role":"user","content":"This session is being continued"}}"#)
        #expect(summary.isCompactSummary)
        #expect(!summary.isPrompt)
    }

    @Test("a compact boundary keeps its trigger and token count")
    func compactBoundary() throws {
        let entry = try entry(#"{"parentUuid":null,"logicalParentUuid":"x","type":"system","subtype":"compact_boundary","content":"Conversation compacted","uuid":"u","sessionId":"s","compactMetadata":{"trigger":"manual","preTokens":104682}}"#)
        #expect(entry.subtype == "compact_boundary")
        #expect(entry.compactTrigger == "manual")
        #expect(entry.compactPreTokens == 104_682)
        #expect(entry.text == "Conversation compacted")
    }

    @Test("titles, summaries and bookkeeping lines are recognised")
    func otherLines() {
        #expect(parse(#"{"type":"custom-title","customTitle":"my title","sessionId":"s"}"#) == .success(.title(sessionId: "s", title: "my title", isCustom: true)))
        #expect(parse(#"{"type":"ai-title","aiTitle":"a title","sessionId":"s"}"#) == .success(.title(sessionId: "s", title: "a title", isCustom: false)))
        #expect(parse(#"{"type":"summary","summary":"Did things","leafUuid":"l"}"#) == .success(.summary(leafUuid: "l", summary: "Did things")))
        #expect(parse(#"{"type":"progress","sessionId":"s","timestamp":"2026-01-01T00:00:00.000Z"}"#)
            == .success(.bookkeeping(type: "progress", sessionId: "s", timestamp: Timestamp.milliseconds(fromISO8601: "2026-01-01T00:00:00.000Z"))))
        #expect(parse(#"{"type":"something-new","x":1,"sessionId":"s"}"#) == .success(.unknown(type: "something-new", sessionId: "s", timestamp: nil)))
    }

    @Test("message lines without a session id or uuid, and broken JSON, are rejected with a reason")
    func rejections() {
        for text in [#"{"type":"user","uuid":"u","message":{"role":"user","content":"x"}}"#,
                     #"{"type":"assistant","sessionId":"s","message":{}}"#,
                     #"{"type":"user","sessionId":"s","uuid":"u","message":{"#] {
            guard case .failure(let rejection) = parse(text) else {
                Issue.record("accepted: \(text)")
                continue
            }
            #expect(!rejection.reason.isEmpty)
        }
    }
}
