/// One pass over UTF-8 bytes that finds secrets (``Redactor`` masks them).
struct SecretScanner {
    let bytes: UnsafeBufferPointer<UInt8>

    /// A provider token: its prefix, its kind, the bytes its body may hold, and the body's
    /// shortest length.
    private struct TokenRule: Sendable {
        let prefix: [UInt8]
        let kind: SecretKind
        let body: @Sendable (UInt8) -> Bool
        let minimum: Int
        var maximum = Int.max
        /// The body must mix letters and digits (a key is random; a word is not): for prefixes
        /// short enough to begin ordinary text (`sk-`).
        var mixed = false
    }

    private static func rule(_ prefix: String, _ kind: SecretKind, _ body: @escaping @Sendable (UInt8) -> Bool, _ minimum: Int,
                             maximum: Int = .max, mixed: Bool = false) -> TokenRule {
        TokenRule(prefix: Array(prefix.utf8), kind: kind, body: body, minimum: minimum, maximum: maximum, mixed: mixed)
    }

    /// Longest prefix first where one starts another (`sk-ant-` before `sk-`).
    private static let rules: [TokenRule] = [
        rule("sk-ant-", .anthropicKey, isBase64URL, 20),
        rule("sk_live_", .stripeKey, isAlphanumeric, 16), rule("sk_test_", .stripeKey, isAlphanumeric, 16),
        rule("rk_live_", .stripeKey, isAlphanumeric, 16), rule("rk_test_", .stripeKey, isAlphanumeric, 16),
        rule("whsec_", .stripeKey, isAlphanumeric, 24),
        rule("sk-", .openAIKey, isBase64URL, 20, mixed: true),
        rule("AKIA", .awsAccessKey, isUpperOrDigit, 16, maximum: 16),
        rule("ASIA", .awsAccessKey, isUpperOrDigit, 16, maximum: 16),
        rule("ghp_", .githubToken, isAlphanumeric, 30), rule("gho_", .githubToken, isAlphanumeric, 30),
        rule("ghu_", .githubToken, isAlphanumeric, 30), rule("ghs_", .githubToken, isAlphanumeric, 30),
        rule("ghr_", .githubToken, isAlphanumeric, 30), rule("github_pat_", .githubToken, isWordByte, 22),
        rule("AIza", .googleKey, isBase64URL, 30), rule("GOCSPX-", .googleKey, isBase64URL, 20),
        rule("ya29.", .googleKey, { isBase64URL($0) || $0 == 0x2E }, 20),
        rule("xoxb-", .slackToken, isTokenWithDash, 10), rule("xoxp-", .slackToken, isTokenWithDash, 10),
        rule("xoxa-", .slackToken, isTokenWithDash, 10), rule("xoxr-", .slackToken, isTokenWithDash, 10),
        rule("xoxs-", .slackToken, isTokenWithDash, 10), rule("xoxe-", .slackToken, isTokenWithDash, 10),
        rule("hooks.slack.com/services/", .slackToken, { isAlphanumeric($0) || $0 == 0x2F }, 20),
    ]

    /// Bytes a secret can start with: the rules' first bytes, `-` (private keys), `e` (JWTs),
    /// `:` (URL passwords and assignments) and `=` (assignments).
    private static let starts: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for rule in rules { table[Int(rule.prefix[0])] = true }
        for byte in Array("-e:=".utf8) { table[Int(byte)] = true }
        return table
    }()

    func findings() -> [SecretFinding] {
        var found: [SecretFinding] = []
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            guard Self.starts[Int(byte)], let finding = match(at: index) else {
                index += 1
                continue
            }
            // Findings never overlap (a match inside one already found is skipped).
            if let last = found.last, finding.start < last.start + last.length {
                index += 1
                continue
            }
            found.append(finding)
            index = max(index + 1, finding.start + finding.length)
        }
        return found
    }

    private func match(at index: Int) -> SecretFinding? {
        switch bytes[index] {
        case 0x2D: return privateKey(at: index)
        case 0x3A: return urlPassword(at: index) ?? assignment(at: index)
        case 0x3D: return assignment(at: index)
        case 0x65: if let jwt = jwt(at: index) { return jwt }
        default: break
        }
        return token(at: index)
    }

    // MARK: Provider tokens

    func token(at index: Int) -> SecretFinding? {
        guard index == 0 || !Self.isWordByte(bytes[index - 1]) || afterEscape(index) else { return nil }
        for rule in Self.rules where has(rule.prefix, at: index) {
            let bodyStart = index + rule.prefix.count
            var end = bodyStart
            while end < bytes.count, rule.body(bytes[end]) { end += 1 }
            let length = end - bodyStart
            guard length >= rule.minimum, length <= rule.maximum,
                  end == bytes.count || !Self.isAlphanumeric(bytes[end]),
                  !rule.mixed || mixesLettersAndDigits(bodyStart, end) else { continue }
            let prefix = String(decoding: rule.prefix, as: UTF8.self)
            return SecretFinding(kind: rule.kind, start: index, length: end - index, hint: "\(prefix)… (\(end - index) chars)")
        }
        return nil
    }

    /// Whether `index` follows a JSON escape of a line break or tab (`\n`, `\r`, `\t`): an odd
    /// run of backslashes, then the letter.
    func afterEscape(_ index: Int) -> Bool {
        guard index >= 2, bytes[index - 1] == 0x6E || bytes[index - 1] == 0x72 || bytes[index - 1] == 0x74 else { return false }
        var backslashes = 0
        while index - 2 - backslashes >= 0, bytes[index - 2 - backslashes] == 0x5C { backslashes += 1 }
        return backslashes % 2 == 1
    }

    // MARK: Private keys

    private static let begin = Array("-----BEGIN ".utf8), end = Array("-----END ".utf8)
    private static let privateKeyLabel = Array("PRIVATE KEY".utf8), fence = Array("-----".utf8)

    private func privateKey(at index: Int) -> SecretFinding? {
        guard has(Self.begin, at: index) else { return nil }
        // The label (`RSA PRIVATE KEY`, `OPENSSH PRIVATE KEY`, `PGP PRIVATE KEY BLOCK`) ends at the next fence.
        var labelEnd = index + Self.begin.count
        while labelEnd < bytes.count, labelEnd - index < 60, !has(Self.fence, at: labelEnd) { labelEnd += 1 }
        guard labelEnd < bytes.count, has(Self.fence, at: labelEnd),
              contains(Self.privateKeyLabel, from: index + Self.begin.count, to: labelEnd) else { return nil }
        // The body: base64 and line breaks, raw or JSON-escaped (`\n`); then the end line, if it
        // is there. A key cut short ends where its body does, never past a quote.
        var stop = labelEnd + Self.fence.count
        while stop < bytes.count {
            let byte = bytes[stop]
            if Self.isAlphanumeric(byte) || byte == 0x2B || byte == 0x2F || byte == 0x3D || byte == 0x0A || byte == 0x0D {
                stop += 1
            } else if byte == 0x5C, stop + 1 < bytes.count, bytes[stop + 1] == 0x6E || bytes[stop + 1] == 0x72 {
                stop += 2
            } else {
                break
            }
        }
        if has(Self.end, at: stop) {
            var close = stop + Self.end.count
            while close < bytes.count, close - stop < 80, !has(Self.fence, at: close) { close += 1 }
            if has(Self.fence, at: close) { stop = close + Self.fence.count }
        }
        // Trailing line breaks stay outside the mask.
        while stop > labelEnd + Self.fence.count, bytes[stop - 1] == 0x0A || bytes[stop - 1] == 0x0D { stop -= 1 }
        return SecretFinding(kind: .privateKey, start: index, length: stop - index, hint: "-----BEGIN … (\(stop - index) chars)")
    }

    // MARK: JWTs

    private static let jwtStart = Array("eyJ".utf8)

    private func jwt(at index: Int) -> SecretFinding? {
        guard has(Self.jwtStart, at: index), index == 0 || !Self.isBase64URL(bytes[index - 1]) || afterEscape(index) else { return nil }
        var position = index
        for part in 0..<3 {
            if part == 1 && !has(Self.jwtStart, at: position) { return nil }
            let start = position
            while position < bytes.count, Self.isBase64URL(bytes[position]) { position += 1 }
            guard position - start >= 10 else { return nil }
            if part < 2 {
                guard position < bytes.count, bytes[position] == 0x2E else { return nil }
                position += 1
            }
        }
        return SecretFinding(kind: .jwt, start: index, length: position - index, hint: "eyJ… (\(position - index) chars)")
    }

    // MARK: Passwords in URLs

    private static let placeholderPasswords: Set<String> = ["password", "pass", "passwd", "pwd", "secret", "xxx", "xxxx", "****", "changeme", "your_password", "yourpassword"]

    /// `scheme://user:password@host`, seen from the `:` of `://`: masks the password only.
    private func urlPassword(at index: Int) -> SecretFinding? {
        guard index + 3 < bytes.count, bytes[index + 1] == 0x2F, bytes[index + 2] == 0x2F,
              index > 0, Self.isLetter(bytes[index - 1]) else { return nil }
        var position = index + 3, colon: Int?
        while position < bytes.count, position - index < 300 {
            let byte = bytes[position]
            if byte == 0x40 { break }
            if byte == 0x3A, colon == nil { colon = position }
            if byte <= 0x20 || byte == 0x2F || byte == 0x22 || byte == 0x27 || byte == 0x5C || byte == 0x3C || byte == 0x3E
 { return nil }
            position += 1
        }
        guard position < bytes.count, bytes[position] == 0x40, let colon, position - colon > 1 else { return nil }
        let password = String(decoding: bytes[(colon + 1)..<position], as: UTF8.self)
        guard !isPlaceholder(password) else { return nil }
        return SecretFinding(kind: .urlPassword, start: colon + 1, length: position - colon - 1,
                             hint: "password in a URL (\(position - colon - 1) chars)")
    }

    private func isPlaceholder(_ value: String) -> Bool {
        guard let first = value.utf8.first else { return true }
        // `$VAR`, `{{var}}`, `<password>`, `%s`, or a mask already put there (`[REDACTED:…]`).
        return first == 0x24 || first == 0x7B || first == 0x3C || first == 0x25 || first == 0x5B || Self.placeholderPasswords.contains(value.lowercased())
            || value.utf8.allSatisfy { $0 == 0x2A || $0 == 0x78 || $0 == 0x58 || $0 == 0x2E }
    }
}
