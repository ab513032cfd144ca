/// Finds and masks secrets in text: provider keys and tokens (Anthropic, OpenAI, AWS, GitHub,
/// Google, Slack, Stripe), private keys, JWTs, passwords in URLs, and high-entropy values
/// assigned to names that say they are secret. Pure and allocation-free until something is
/// found: one pass over the UTF-8 bytes, looking closer only at the few bytes a secret can
/// start with, so it runs on every text a sync or hook stores.
///
/// Masks never contain quotes or backslashes, and a secret never ends inside a JSON escape, so
/// JSON text stays JSON once masked.
public enum Redactor {
    /// `text` with every secret replaced by its kind's mask, and what was found (offsets in the
    /// original text). The same string, untouched, when nothing is.
    public static func redact(_ text: String) -> (text: String, findings: [SecretFinding]) {
        var text = text
        let found = text.withUTF8 { SecretScanner(bytes: $0).findings() }
        guard !found.isEmpty else { return (text, []) }
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        out.reserveCapacity(bytes.count)
        var position = 0
        for finding in found {
            out += bytes[position..<finding.start]
            out += Array(finding.kind.mask.utf8)
            position = finding.start + finding.length
        }
        out += bytes[position...]
        return (String(decoding: out, as: UTF8.self), found)
    }

    /// The secrets in `text`, in order, without masking them.
    public static func findings(in text: String) -> [SecretFinding] {
        var text = text
        return text.withUTF8 { SecretScanner(bytes: $0).findings() }
    }

    /// Whether `text` holds a secret.
    public static func containsSecret(_ text: String) -> Bool { !findings(in: text).isEmpty }
}
