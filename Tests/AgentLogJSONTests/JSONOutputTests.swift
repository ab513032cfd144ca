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

@Suite("Encodable values as JSON output")
struct JSONOutputEncoderTests {
    struct Step: Encodable { var name: String; var done: Bool }
    struct Plan: SchemaResult {
        static let schema = "agentlog.plan.v1"
        var title: String
        var owner: String?
        var steps: [Step]
        var counts: [Int]
        var payload: JSONOutput
    }

    @Test("members keep the order the value encodes them; schema comes first; nil optionals are left out")
    func document() throws {
        let plan = Plan(title: "t", owner: nil, steps: [Step(name: "a", done: true), Step(name: "b", done: false)], counts: [1, 2],
                        payload: .raw(#"{"x":[1,2]}"#))
        let text = try JSONOutput.document(plan).text(indent: nil)
        #expect(text == #"{"schema":"agentlog.plan.v1","title":"t","steps":[{"name":"a","done":true},{"name":"b","done":false}],"counts":[1,2],"payload":{"x":[1,2]}}"#)
    }

    @Test("a value that is already JSON output, or a single value, is written as it is")
    func singleValues() throws {
        #expect(try JSONOutput.encoding(JSONOutput.number("12.345678")).text() == "12.345678")
        #expect(try JSONOutput.encoding("quote \"me\"").text() == #""quote \"me\"""#)
        #expect(try JSONOutput.encoding([Int64.max]).text(indent: nil) == "[\(Int64.max)]")
        #expect(try JSONOutput.encoding(Optional<Int>.none).text() == "null")
    }

    @Test("Foundation's encoder gets the same structure from JSON output")
    func foundationEncoder() throws {
        let value = JSONOutput.object([("b", .int(1)), ("a", .array([.string("x"), .null, .bool(true)]))])
        let data = try JSONEncoder().encode(value)
        let parsed = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(parsed?["b"] as? Int == 1)
        #expect((parsed?["a"] as? [Any])?.count == 3)
    }
}
