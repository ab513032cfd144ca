import Foundation
import Testing
@testable import AgentLogIngest

/// Reads `lines` as one rollout into one batch (ended as the sync ends a batch).
func readCodexRollout(_ lines: [String]) -> RecordBatch {
    var reader = CodexTranscriptReader(sessionId: nil, model: nil)
    var batch = RecordBatch(agent: .codex)
    var offset: Int64 = 0
    for (index, line) in lines.enumerated() {
        Array(line.utf8).withUnsafeBytes { reader.add(line: $0, number: index + 1, offset: offset, to: &batch) }
        offset += Int64(line.utf8.count + 1)
    }
    reader.endBatch(&batch)
    return batch
}

@Suite("Codex rollout reader")
struct CodexReaderTests {
    private func read(_ lines: [String]) -> RecordBatch { readCodexRollout(lines) }

    private let meta = #"{"timestamp":"2026-01-01T10:00:00.000Z","type":"session_meta","payload":{"id":"s1","cwd":"/w","timestamp":"2026-01-01T10:00:00.000Z"}}"#
    private let turn = #"{"timestamp":"2026-01-01T10:00:01.000Z","type":"turn_context","payload":{"model":"gpt-5"}}"#

    private func item(_ payload: String, at second: Int = 2) -> String {
        #"{"timestamp":"2026-01-01T10:00:0\#(second).000Z","type":"response_item","payload":\#(payload)}"#
    }

    private let reasoning = #"{"type":"reasoning","summary":[{"type":"summary_text","text":"**Thinking** about it"}],"encrypted_content":"AAAA"}"#

    @Test("a reasoning item followed by the assistant's message becomes that message's thinking: one row")
    func reasoningFoldsIntoReply() {
        let batch = read([meta, turn, item(reasoning, at: 2),
                          item(#"{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Done."}]}"#, at: 3)])
        #expect(batch.messages.count == 1)
        #expect(batch.messages.first?.entry.text == "Done.")
        #expect(batch.messages.first?.entry.thinking == "**Thinking** about it")
        #expect(batch.messages.first?.entry.timestamp == Timestamp.milliseconds(fromISO8601: "2026-01-01T10:00:02.000Z"))
    }

    @Test("a reasoning item followed by a tool call, or left at the end of a batch, stays a row of its own, in order")
    func reasoningBeforeCallStays() {
        let call = item(#"{"type":"function_call","name":"shell","arguments":"{\"command\":[\"ls\"]}","call_id":"c1"}"#)
        let batch = read([meta, turn, item(reasoning), call, item(reasoning)])
        #expect(batch.messages.count == 2)
        #expect(batch.messages.allSatisfy { $0.entry.thinking == "**Thinking** about it" && $0.entry.text.isEmpty })
        #expect(batch.messages.map(\.line) == [3, 5])
        #expect(batch.toolCalls.count == 1)
    }

    @Test("a call's exit code marks errors, in JSON outputs and in exec_command text")
    func exitCodes() {
        let calls = (1...4).map { item(#"{"type":"function_call","name":"shell","arguments":"{}","call_id":"c\#($0)"}"#) }
        let outputs = [
            #"{"type":"function_call_output","call_id":"c1","output":"{\"output\":\"ok\\n\",\"metadata\":{\"exit_code\":0,\"duration_seconds\":0.1}}"}"#,
            #"{"type":"function_call_output","call_id":"c2","output":"{\"output\":\"boom\",\"metadata\":{\"exit_code\":2}}"}"#,
            #"{"type":"function_call_output","call_id":"c3","output":"Chunk ID: 1\nProcess exited with code 1\nOutput:\nfail"}"#,
            #"{"type":"function_call_output","call_id":"c4","output":"Process exited with code 0\nOutput:\nfine"}"#,
        ].map { item($0) }
        let batch = read([meta, turn] + calls + outputs)
        let results = Dictionary(uniqueKeysWithValues: batch.toolCalls.map { ($0.use.id, $0.result) })
        #expect(results["c1"]??.isError == false)
        #expect(results["c1"]??.outputPreview == "ok\n")
        #expect(results["c1"]??.outputLength == 3)
        #expect(results["c2"]??.isError == true)
        #expect(results["c2"]??.outputPreview == "boom")
        #expect(results["c3"]??.isError == true)
        #expect(results["c4"]??.isError == false)
    }

    @Test("apply_patch headers name the files touched, relative paths resolved against the workdir or cwd")
    func patchFiles() {
        let patch = #"*** Begin Patch\n*** Add File: docs/new.md\n+hello\n*** Update File: /abs/x.swift\n@@\n-a\n+b\n*** Delete File:  old.txt \n*** End Patch"#
        let direct = item(#"{"type":"custom_tool_call","name":"apply_patch","input":"\#(patch)","call_id":"p1"}"#)
        let viaShell = item(#"{"type":"function_call","name":"shell","arguments":"{\"command\":[\"apply_patch\",\"\#(patch.replacingOccurrences(of: #"\n"#, with: #"\\n"#))\"],\"workdir\":\"/other\"}","call_id":"p2"}"#)
        let batch = read([meta, turn, direct, viaShell])
        let files = Dictionary(uniqueKeysWithValues: batch.toolCalls.map { ($0.use.id, $0.use.touchedFiles.map { "\($0.operation.rawValue) \($0.path)" }) })
        #expect(files["p1"] == ["write /w/docs/new.md", "edit /abs/x.swift", "delete /w/old.txt"])
        #expect(files["p2"] == ["write /other/docs/new.md", "edit /abs/x.swift", "delete /other/old.txt"])
    }
}
