import AgentLogJSON
import Foundation
import Testing

@Suite("JSON output")
struct JSONOutputTests {
    @Test("JSON output escapes quotes, newlines and control characters")
    func escapes() {
        #expect(JSONOutput.string("a\"\n\u{1}").text() == #""a\"\n\u0001""#)
        // Long strings are scanned eight bytes at a time: specials at every offset, among
        // multi-byte characters, must still be escaped.
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", "bcdefgh", "é", "😀", "\"", "\\", "\n", "\u{1F}", "\t", "€uro", " ", "\u{7F}"]
        for _ in 0..<50 {
            let text = (0..<Int.random(in: 0...200, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let json = JSONOutput.array([.string(text)]).text(indent: nil)
            let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
            #expect(parsed == [text], "\(json)")
        }
    }

    @Test("keys keep their order, and indentation is optional")
    func order() {
        let value = JSONOutput.object([("schema", .string("agentlog.x.v1")), ("b", .int(2)), ("a", .array([.null, .bool(true)]))])
        #expect(value.text(indent: nil) == #"{"schema":"agentlog.x.v1","b":2,"a":[null,true]}"#)
        #expect(value.text() == "{\n  \"schema\": \"agentlog.x.v1\",\n  \"b\": 2,\n  \"a\": [\n    null,\n    true\n  ]\n}")
        #expect(JSONOutput.quoted("say \"hi\"") == #""say \"hi\"""#)
    }
}
