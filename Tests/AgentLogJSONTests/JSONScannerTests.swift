import Foundation
import Testing
@testable import AgentLogJSON

@Suite("JSON scanner")
struct JSONScannerTests {
    /// Scans `text` as a line and returns the members' keys and decoded string values.
    private func scan(_ bytes: [UInt8]) throws -> [String: String] {
        try bytes.withUnsafeBytes { raw in
            let json = JSONScanner(raw)
            var members: [JSONScanner.Member] = []
            try json.scanObject(into: &members)
            var result: [String: String] = [:]
            for member in members {
                result[json.string(member.key)!] = json.string(member.value) ?? json.raw(member.value)
            }
            return result
        }
    }

    private func rejects(_ bytes: [UInt8]) -> Bool {
        (try? scan(bytes)) == nil
    }

    @Test("a document is one value of any kind with whitespace around it, nothing after it")
    func documents() {
        for valid in ["{}", " [1, 2] ", "\"text\"", "3.5", "null", "\n{\"a\":{\"b\":[true]}}\t"] {
            #expect(JSONScanner.isDocument(valid), "\(valid)")
        }
        for invalid in ["", "   ", "{", "{} {}", "[1,]", "not json", "{\"a\":1} x"] {
            #expect(!JSONScanner.isDocument(invalid), "\(invalid)")
        }
    }

    @Test("reads members of a valid object, nested values kept raw")
    func readsMembers() throws {
        let members = try scan(Array(#" {"a": "x", "b" : [1, 2.5e3, {"c": null}], "d": true, "e": -0.5} "#.utf8))
        #expect(members["a"] == "x")
        #expect(members["b"] == #"[1, 2.5e3, {"c": null}]"#)
        #expect(members["d"] == "true")
        #expect(members["e"] == "-0.5")
    }

    @Test("rejects what Python's json.loads rejects", arguments: [
        #"{"a": "unterminated"#, #"{"a": 1"#, #"{"a": 1,}"#, #"{"a" 1}"#, #"[1, 2]"#, #""just a string""#,
        #"{"a": tru}"#, #"{"a": 01}"#, #"{"a": 1.}"#, #"{"a": "\x"}"#, #"{"a": "\u12G4"}"#, #"{"a": 1} extra"#,
        "", "   ", #"{"a": -}"#, #"{'a': 1}"#,
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(rejects(Array(text.utf8)))
    }

    @Test("rejects control characters and invalid UTF-8 inside strings")
    func rejectsBadBytes() {
        let prefix = Array(#"{"a": "ok"#.utf8)
        let suffix = Array(#""}"#.utf8)
        for bad: [UInt8] in [[0x01], [0x0A], [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80]] {
            #expect(rejects(prefix + bad + suffix), "bytes \(bad) should be rejected")
        }
        #expect(!rejects(prefix + [0xE2, 0x82, 0xAC] + suffix))  // €
        #expect(!rejects(prefix + [0xF0, 0x9F, 0x98, 0x80] + suffix))  // 😀
    }

    @Test("rejects nesting deeper than the limit instead of overflowing the stack")
    func rejectsDeepNesting() {
        let deep = "{\"a\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(rejects(Array(deep.utf8)))
    }

    @Test("decodes escapes, surrogate pairs and lone surrogates")
    func decodesEscapes() throws {
        let members = try scan(Array(#"{"s": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00\ud800x"}"#.utf8))
        #expect(members["s"] == "a\"b\\c/d\n\té😀\u{FFFD}x")
    }

    @Test("the decoded byte count agrees with decoding for surrogate escapes, paired or not")
    func surrogateByteCounts() throws {
        for text in [#"{"s": "\ud83d\ude00"}"#, #"{"s": "\ud800\u0041x"}"#, #"{"s": "\udc00\ud800"}"#, #"{"s": "\u00e9\u20ac"}"#] {
            try Array(text.utf8).withUnsafeBytes { raw in
                let json = JSONScanner(raw)
                var members: [JSONScanner.Member] = []
                try json.scanObject(into: &members)
                #expect(json.decodedByteCount(members[0].value) == json.string(members[0].value)!.utf8.count, "\(text)")
            }
        }
    }

    @Test("the decoded byte count matches the decoded text for random strings")
    func decodedByteCountMatches() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [String] = ["a", "\"", "\\", "\n", "é", "😀", "\u{1}", "/", "€", " "]
        for _ in 0..<200 {
            let text = (0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            let encoded = try JSONSerialization.data(withJSONObject: ["s": text])
            try [UInt8](encoded).withUnsafeBytes { raw in
                let json = JSONScanner(raw)
                var members: [JSONScanner.Member] = []
                try json.scanObject(into: &members)
                let value = members[0].value
                #expect(json.string(value) == text)
                #expect(json.decodedByteCount(value) == text.utf8.count)
                for limit in [0, 1, 3, 7] {
                    let prefix = json.string(value, maxBytes: limit)!
                    #expect(prefix.utf8.count <= limit)
                    #expect(text.hasPrefix(prefix))
                }
            }
        }
    }

    @Test("reads integers, and large or fractional numbers without trapping")
    func readsIntegers() throws {
        let line = Array(#"{"a": 123, "b": -7, "c": 1.9, "d": 99999999999999999999999, "e": 2e3}"#.utf8)
        try line.withUnsafeBytes { raw in
            let json = JSONScanner(raw)
            var members: [JSONScanner.Member] = []
            try json.scanObject(into: &members)
            #expect(members.map { json.int($0.value) } == [123, -7, 1, nil, 2000])
        }
    }

    @Test("a repeated key resolves to its last value")
    func repeatedKey() throws {
        let line = Array(#"{"a": 1, "a": 2}"#.utf8)
        try line.withUnsafeBytes { raw in
            let json = JSONScanner(raw)
            var members: [JSONScanner.Member] = []
            try json.scanObject(into: &members)
            #expect(json.value("a", in: members).flatMap { json.int($0) } == 2)
        }
    }
}

@Suite("JSON scanner, nested members")
struct JSONScannerNestedTests {
    @Test("the members of one named object are collected in the same pass; the last repeat wins")
    func nestedMembers() throws {
        let line = Array(#"{"type":"x","payload":{"a":1,"b":"two"},"payload":{"c":[1,{"d":2}]},"z":0}"#.utf8)
        try line.withUnsafeBytes { raw in
            let json = JSONScanner(raw)
            var members: [JSONScanner.Member] = []
            var nested: [JSONScanner.Member] = []
            try json.scanObject(into: &members, nestedIn: "payload", into: &nested)
            #expect(members.count == 4)
            #expect(nested.count == 1)
            #expect(json.equals(nested[0].key, "c"))
            #expect(json.raw(nested[0].value) == #"[1,{"d":2}]"#)
        }
    }

    @Test("a named member that is not an object leaves the nested list empty, and invalid nesting is still rejected")
    func nestedNotObject() throws {
        let line = Array(#"{"payload":{"a":1},"payload":"text"}"#.utf8)
        try line.withUnsafeBytes { raw in
            let json = JSONScanner(raw)
            var members: [JSONScanner.Member] = []
            var nested: [JSONScanner.Member] = []
            try json.scanObject(into: &members, nestedIn: "payload", into: &nested)
            #expect(nested.isEmpty)
        }
        let broken = Array(#"{"payload":{"a":01}}"#.utf8)
        broken.withUnsafeBytes { raw in
            var members: [JSONScanner.Member] = []
            var nested: [JSONScanner.Member] = []
            #expect(throws: JSONSyntaxError.self) { try JSONScanner(raw).scanObject(into: &members, nestedIn: "payload", into: &nested) }
        }
    }

    @Test("decoding into bytes stops on a character boundary within the limit")
    func decodeLimit() throws {
        let line = Array(#"{"s":"ab\n\u00e9\u00e9cd"}"#.utf8)
        try line.withUnsafeBytes { raw in
            let json = JSONScanner(raw)
            var members: [JSONScanner.Member] = []
            try json.scanObject(into: &members)
            var out: [UInt8] = []
            json.decode(members[0].value, maxBytes: 4, into: &out)  // "ab\n" + half of "é" → cut before it
            #expect(out == Array("ab\n".utf8))
            json.decode(members[0].value, maxBytes: 100, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == "ab\néécd")
        }
    }
}
