#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SecretScanner {
    /// Words of a name that say its value is secret (`API_KEY`, `authToken`, `"password"`).
    private static let secretWords: Set<String> = [
        "secret", "token", "password", "passwd", "pwd", "apikey", "credential", "credentials", "auth",
        "authorization", "passphrase", "privatekey", "accesskey", "secretkey",
    ]
    /// Words that, before `key`, make it a secret key (`api_key`, `signing-key`).
    private static let keyQualifiers: Set<String> = ["api", "access", "private", "secret", "signing", "master", "encryption", "client"]
    /// A name whose last word is one of these holds something about a secret, not the secret
    /// (`token_count`, `secret_name`, `password_file`).
    private static let vetoWords: Set<String> = [
        "count", "type", "name", "file", "path", "url", "uri", "id", "length", "len", "limit", "max", "min", "size",
        "env", "var", "field", "header", "prefix", "kind", "format", "usage", "policy", "mode", "endpoint",
    ]
    private static let passwordWords: Set<String> = ["password", "passwd", "pwd", "passphrase"]
    private static let schemes: [[UInt8]] = ["Bearer ", "bearer ", "Basic ", "token ", "Token "].map { Array($0.utf8) }

    /// `name = value`, `name: value`, `"name": "value"`, seen from the operator: masks a
    /// high-entropy value of a name that says it is secret.
    func assignment(at index: Int) -> SecretFinding? {
        let op = bytes[index]
        if op == 0x3D {
            if index + 1 < bytes.count, bytes[index + 1] == 0x3D { return nil }  // ==
            if index > 0, bytes[index - 1] == 0x3D || bytes[index - 1] == 0x21 || bytes[index - 1] == 0x3C || bytes[index - 1] == 0x3E {
                return nil  // == != <= >=
            }
        }
        guard let words = nameWords(before: index), isSecretName(words) else { return nil }
        var start = index + 1
        if start < bytes.count, (op == 0x3A && bytes[start] == 0x3D) || (op == 0x3D && bytes[start] == 0x3E) { start += 1 }  // := =>
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        if start < bytes.count, bytes[start] == 0x5C { start += 1 }  // \" inside JSON text
        if start < bytes.count, bytes[start] == 0x22 || bytes[start] == 0x27 || bytes[start] == 0x60 { start += 1 }
        for scheme in Self.schemes where has(scheme, at: start) { start += scheme.count }
        // A value that is a provider token is named as one (`ANTHROPIC_API_KEY=sk-ant-…`).
        if start < bytes.count, let token = token(at: start) { return token }
        var end = start
        while end < bytes.count, Self.isValueByte(bytes[end]) { end += 1 }
        // A call, an index or an interpolation is code that fetches the secret, not the secret.
        if end < bytes.count, [0x28, 0x5B, 0x7B, 0x24].contains(bytes[end]) { return nil }
        guard end > start, bytes[start] != 0x24 else { return nil }
        let isPassword = words.contains { word in Self.passwordWords.contains(word) || word.hasSuffix("password") || word.hasSuffix("passwd") }
        guard isPassword ? looksLikePassword(start, end) : looksRandom(start, end) else { return nil }
        return SecretFinding(kind: .secretAssignment, start: start, length: end - start,
                             hint: "\(words.joined(separator: "_")) = … (\(end - start) chars)")
    }

    /// The name before an operator, as lowercase words (split at `_ . -` and camelCase).
    private func nameWords(before index: Int) -> [String]? {
        var position = index - 1
        while position >= 0, bytes[position] == 0x20 || bytes[position] == 0x09 { position -= 1 }
        if position >= 0, bytes[position] == 0x22 || bytes[position] == 0x27 { position -= 1 }
        if position >= 0, bytes[position] == 0x5C { position -= 1 }
        let end = position + 1
        while position >= 0, Self.isWordByte(bytes[position]) || bytes[position] == 0x2E || bytes[position] == 0x2D, end - position <= 64 {
            position -= 1
        }
        let start = position + 1
        guard end > start else { return nil }
        var words: [String] = [], current: [UInt8] = []
        var previousLower = false
        for byte in bytes[start..<end] {
            if byte == 0x5F || byte == 0x2E || byte == 0x2D {
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
                current = []
                previousLower = false
                continue
            }
            let isUpper = byte >= 0x41 && byte <= 0x5A
            if isUpper, previousLower, !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current = []
            }
            current.append(isUpper ? byte + 0x20 : byte)
            previousLower = !isUpper
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    private func isSecretName(_ words: [String]) -> Bool {
        guard let last = words.last, !Self.vetoWords.contains(last) else { return false }
        for (offset, word) in words.enumerated() {
            if Self.secretWords.contains(word) { return true }
            // Run-together names: PGPASSWORD, MYSQL_ROOTPASSWORD, GITHUBTOKEN.
            if word.hasSuffix("password") || word.hasSuffix("passwd") || word.hasSuffix("secret") || word.hasSuffix("token") { return true }
            if word == "key", offset > 0, Self.keyQualifiers.contains(words[offset - 1]) { return true }
        }
        return false
    }

    /// At least 8 bytes, not one repeated class of letters only, some variety.
    private func looksLikePassword(_ start: Int, _ end: Int) -> Bool {
        guard end - start >= 8 else { return false }
        let slice = bytes[start..<end]
        let hasOther = slice.contains { !Self.isLetter($0) }
        return hasOther && entropy(start, end) >= 2.5
    }

    /// At least 16 bytes, letters and digits mixed, and as varied as random text.
    private func looksRandom(_ start: Int, _ end: Int) -> Bool {
        end - start >= 16 && mixesLettersAndDigits(start, end) && entropy(start, end) >= 3.3
    }

    /// Shannon entropy of the bytes, in bits per byte.
    func entropy(_ start: Int, _ end: Int) -> Double {
        let end = min(end, start + 512)  // enough to tell random from words
        var counts = [Int](repeating: 0, count: 256)
        for byte in bytes[start..<end] { counts[Int(byte)] += 1 }
        let total = Double(end - start)
        var bits = 0.0
        for count in counts where count > 0 {
            let p = Double(count) / total
            bits -= p * log2(p)
        }
        return bits
    }

    /// Whether the bytes hold both letters and digits.
    func mixesLettersAndDigits(_ start: Int, _ end: Int) -> Bool {
        var letter = false, digit = false
        for byte in bytes[start..<end] {
            if Self.isLetter(byte) { letter = true } else if byte >= 0x30 && byte <= 0x39 { digit = true }
            if letter && digit { return true }
        }
        return false
    }

    // MARK: Bytes

    func has(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + prefix.count <= bytes.count else { return false }
        for offset in 0..<prefix.count where bytes[index + offset] != prefix[offset] { return false }
        return true
    }

    func contains(_ needle: [UInt8], from start: Int, to end: Int) -> Bool {
        var index = start
        while index + needle.count <= end {
            if has(needle, at: index) { return true }
            index += 1
        }
        return false
    }

    static func isLetter(_ byte: UInt8) -> Bool { (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) }
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || (byte >= 0x30 && byte <= 0x39) }
    static func isWordByte(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == 0x5F }
    static func isBase64URL(_ byte: UInt8) -> Bool { isWordByte(byte) || byte == 0x2D }
    static func isTokenWithDash(_ byte: UInt8) -> Bool { isAlphanumeric(byte) || byte == 0x2D }
    static func isUpperOrDigit(_ byte: UInt8) -> Bool { (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) }
    /// What a secret value may hold: base64 and URL-safe characters and common password symbols.
    static func isValueByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x2B, 0x2F, 0x3D, 0x2E, 0x7E, 0x21, 0x40, 0x23, 0x25, 0x5E, 0x26, 0x2A: return true  // + / = . ~ ! @ # % ^ & *
        default: return isBase64URL(byte)
        }
    }
}
