import Foundation
import Testing
@testable import AgentLogRedaction

@Suite("Redactor: secrets masked, look-alikes kept")
struct RedactorTests {
    @Test("the labelled sample: at least 99% of 200+ secrets caught, at most 1% of 200+ look-alikes touched")
    func labelledSample() {
        var samples = LabelledSamples()
        let secrets = samples.secrets(), lookAlikes = samples.lookAlikes()
        #expect(secrets.count >= 200 && lookAlikes.count >= 200)
        var missed: [String] = [], falsePositives: [String] = []
        for sample in secrets {
            let (masked, findings) = Redactor.redact(sample.text)
            if findings.isEmpty || masked.contains(sample.secret) { missed.append("\(sample.kind): \(sample.text)") }
        }
        for text in lookAlikes where !Redactor.findings(in: text).isEmpty {
            falsePositives.append("\(text) → \(Redactor.redact(text).text)")
        }
        let catchRate = Double(secrets.count - missed.count) / Double(secrets.count)
        let falseRate = Double(falsePositives.count) / Double(lookAlikes.count)
        print("redaction: \(secrets.count - missed.count)/\(secrets.count) secrets caught (\(catchRate * 100)%), "
              + "\(falsePositives.count)/\(lookAlikes.count) look-alikes masked (\(falseRate * 100)%)")
        #expect(catchRate >= 0.99, "missed: \(missed)")
        #expect(falseRate <= 0.01, "masked: \(falsePositives)")
        // Every kind of secret is among those caught.
        let kinds = Set(secrets.flatMap { Redactor.findings(in: $0.text).map(\.kind) })
        #expect(kinds == Set(SecretKind.allCases), "\(Set(SecretKind.allCases).subtracting(kinds))")
    }

    @Test("a mask keeps JSON text JSON, names the kind, and a hint shows no secret")
    func masksKeepJSON() throws {
        let key = "sk-ant-api03-" + String(repeating: "aB3", count: 30)
        let json = #"{"tool_input":{"command":"export ANTHROPIC_API_KEY=\#(key) && curl https://admin:Hunter2Hunter2@example.com/x"}}"#
        let (masked, findings) = Redactor.redact(json)
        #expect(findings.map(\.kind) == [.anthropicKey, .urlPassword])
        #expect(masked.contains("[REDACTED:anthropic-key]") && !masked.contains(key) && !masked.contains("Hunter2Hunter2"))
        #expect(try JSONSerialization.jsonObject(with: Data(masked.utf8)) is [String: Any])
        #expect(findings.allSatisfy { !$0.hint.contains("aB3aB3") && !$0.hint.contains("Hunter2") })
        #expect(findings[0].hint == "sk-ant-… (\(key.utf8.count) chars)")
        let escaped = #"{"content":"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n"}"#
        let maskedKey = Redactor.redact(escaped).text
        #expect(maskedKey == #"{"content":"[REDACTED:private-key]\n"}"#)
    }

    @Test("text without secrets comes back as it was; masked text has nothing left to mask; offsets are exact")
    func untouchedAndIdempotent() {
        let plain = "Refactor the parser: max_tokens = 4096, see https://github.com/o/r and commit 3f2a9c1e0b."
        #expect(Redactor.redact(plain).text == plain && Redactor.redact(plain).findings.isEmpty)
        let token = "ghp_" + String(repeating: "Zx9", count: 12)
        let text = "é ünïcödé first, then \(token) at the end"
        let (masked, findings) = Redactor.redact(text)
        #expect(findings.count == 1)
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[findings[0].start..<(findings[0].start + findings[0].length)], as: UTF8.self) == token)
        #expect(Redactor.findings(in: masked).isEmpty)
        let url = Redactor.redact("psql postgres://app:S3cretPassw0rd@db/prod && export API_KEY=\(token)").text
        #expect(url == "psql postgres://app:[REDACTED:url-password]@db/prod && export API_KEY=[REDACTED:github-token]")
        #expect(Redactor.findings(in: url).isEmpty, "masking twice changes nothing")
        // Cut-off and odd input never traps.
        for odd in ["-----BEGIN RSA PRIVATE KEY-----", "eyJ", "sk-", "://", ":", "=", "a=", "password=", "x://u:@h", String(repeating: "=", count: 10_000)] {
            _ = Redactor.redact(odd)
        }
        #expect(Redactor.redact("-----BEGIN RSA PRIVATE KEY-----\nMIIE").text == "[REDACTED:private-key]")
    }

    @Test("review findings: a key with no end line stops at its body, a token after a JSON escape is caught, a long value is masked whole")
    func edgesFromReview() throws {
        // Found in review: with no END line the mask ran to the end of the text and broke JSON.
        let prompt = #"{"prompt":"why is -----BEGIN OPENSSH PRIVATE KEY----- rejected?","session_id":"s"}"#
        let masked = Redactor.redact(prompt).text
        #expect(masked == #"{"prompt":"why is [REDACTED:private-key] rejected?","session_id":"s"}"#)
        #expect(try JSONSerialization.jsonObject(with: Data(masked.utf8)) is [String: Any])
        let token = "ghp_" + String(repeating: "Ab1", count: 12)
        let escaped = #"{"output":"line one\n\#(token)\nline three"}"#
        #expect(Redactor.redact(escaped).text == #"{"output":"line one\n[REDACTED:github-token]\nline three"}"#)
        // An escaped backslash before `n` is no line break: the token is glued to the word `n`.
        #expect(Redactor.findings(in: #"path\\n"# + token).isEmpty)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let long = "export SECRET_KEY=" + String((0..<1200).map { alphabet[($0 * 7919 + 13) % alphabet.count] })
        #expect(Redactor.redact(long).text == "export SECRET_KEY=[REDACTED:secret-assignment]")
    }
}

