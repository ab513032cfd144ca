import AgentLogJSON
import Testing
@testable import AgentLogIngest

@Suite("Usage counts that are not counts")
struct UsageValidationTests {
    private func claude(_ usage: String) -> RecordBatch {
        let line = #"{"type":"assistant","sessionId":"s1","uuid":"u1","timestamp":"2026-04-02T12:04:50.623Z","requestId":"r1","message":{"model":"claude-sonnet-4-6","id":"m1","role":"assistant","content":[{"type":"text","text":"hi"}],"usage":\#(usage)}}"#
        var reader = ClaudeTranscriptReader(fileName: "s1.jsonl")
        var batch = RecordBatch(agent: .claude)
        Array(line.utf8).withUnsafeBytes { reader.add(line: $0, number: 7, offset: 120, to: &batch) }
        return batch
    }

    @Test("a negative, fractional, huge or quoted count is reported with its line and never stored; the line is kept",
          arguments: [("-5", "is negative"), ("1e308", "is not a whole number"), ("12345678901234567890123", "is out of range"),
                      (#""12""#, "is not a number"), ("2.5", "is not a whole number")])
    func claudeBadOutputCount(value: String, reason: String) throws {
        let batch = claude(#"{"input_tokens":3,"output_tokens":\#(value),"cache_read_input_tokens":10}"#)
        let rejected = try #require(batch.rejected.first)
        #expect(batch.rejected.count == 1)
        #expect(rejected.line == 7)
        #expect(rejected.byteOffset == 120)
        #expect(rejected.reason.contains("output_tokens"))
        #expect(rejected.reason.contains(reason))
        #expect(batch.messages.count == 1)
        let usage = try #require(batch.usages.first)
        #expect(usage.usage.tokens.output == 0)
        #expect(usage.usage.tokens.input == 3)
        #expect(usage.usage.tokens.cacheRead == 10)
    }

    @Test("valid counts, zero and null pass without a report")
    func claudeGoodCounts() throws {
        let batch = claude(#"{"input_tokens":0,"output_tokens":1000000,"cache_creation_input_tokens":null}"#)
        #expect(batch.rejected.isEmpty)
        #expect(batch.usages.first?.usage.tokens.output == 1_000_000)
    }

    @Test("a Codex token snapshot with a negative counter reports it and keeps the others")
    func codexNegative() throws {
        let lines = [
            #"{"timestamp":"2026-01-01T10:00:00.000Z","type":"session_meta","payload":{"id":"s1","cwd":"/w","timestamp":"2026-01-01T10:00:00.000Z"}}"#,
            #"{"timestamp":"2026-01-01T10:00:01.000Z","type":"turn_context","payload":{"model":"gpt-5"}}"#,
            #"{"timestamp":"2026-01-01T10:00:02.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":-7,"reasoning_output_tokens":0,"total_tokens":93}}}}"#,
        ]
        let batch = readCodexRollout(lines)
        let rejected = try #require(batch.rejected.first)
        #expect(rejected.line == 3)
        #expect(rejected.reason.contains("output_tokens: -7 is negative"))
        let usage = try #require(batch.usages.first)
        #expect(usage.usage.tokens.output == 0)
        #expect(usage.usage.tokens.input == 60)
        #expect(usage.usage.tokens.cacheRead == 40)
    }

    @Test("the scanner's count accepts exactly the integers from 0 to maxCount")
    func scannerCount() {
        func count(_ text: String) -> Int? {
            Array(text.utf8).withUnsafeBytes { bytes in
                let scanner = JSONScanner(bytes)
                guard let span = try? scanner.scanValue(at: 0) else { return nil }
                return try? scanner.count(span).get()
            }
        }
        #expect(count("0") == 0)
        #expect(count("\(JSONScanner.maxCount)") == JSONScanner.maxCount)
        #expect(count("\(JSONScanner.maxCount + 1)") == nil)
        #expect(count("-0") == nil)
        #expect(count("1.0") == nil)
        #expect(count("true") == nil)
    }
}
