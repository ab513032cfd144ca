import AgentLogJSON
import Foundation

/// A labelled sample for the redactor: texts that hold one secret each (and which bytes it is),
/// and texts that hold look-alikes only. Made from templates with random bodies drawn from a
/// fixed seed, so every run sees the same sample and no real key is ever written down.
struct LabelledSamples {
    /// A text and the secret in it.
    struct Secret { var kind: String; var text: String; var secret: String }

    private var random = SplitMix64(state: 0x5EC2E7)

    mutating func draw(_ count: Int, from alphabet: String) -> String {
        let characters = Array(alphabet)
        return String((0..<count).map { _ in characters[Int(random.next() % UInt64(characters.count))] })
    }

    static let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", lower = "abcdefghijklmnopqrstuvwxyz", digits = "0123456789"
    static let alnum = upper + lower + digits, base64url = alnum + "-_", hex = "0123456789abcdef"
    static let passwordCharacters = alnum + "!#%^&*"

    mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }

    /// A password with at least one digit (what people are told to choose).
    mutating func password() -> String { draw(Int(random.next() % 8) + 10, from: Self.passwordCharacters) + draw(2, from: Self.digits) }

    mutating func secrets() -> [Secret] {
        var out: [Secret] = []
        func add(_ kind: String, _ secret: String, _ contexts: [String]) {
            for context in contexts { out.append(Secret(kind: kind, text: context.replacingOccurrences(of: "@@", with: secret), secret: secret)) }
        }
        let places = ["export KEY_VALUE=@@", "my key is @@ please keep it", "{\"header\": \"@@\"}", "curl -H 'x-api-key: @@' https://api.example.com"]
        for _ in 0..<6 { add("anthropic", "sk-ant-api03-" + draw(93, from: Self.base64url) + "AA", [pick(places)]) }
        for _ in 0..<6 { add("anthropic", "sk-ant-admin01-" + draw(80, from: Self.base64url), [pick(places)]) }
        for _ in 0..<10 { add("openai", "sk-proj-" + draw(120, from: Self.base64url), [pick(places)]) }
        for _ in 0..<10 { add("openai", "sk-" + draw(48, from: Self.alnum), [pick(places)]) }
        for _ in 0..<10 { add("aws", pick(["AKIA", "ASIA"]) + draw(16, from: Self.upper + Self.digits), ["aws_access_key_id = @@", "Using @@ for the deploy", "\"AccessKeyId\": \"@@\""].map { $0 }.shuffledPick(&self)) }
        for _ in 0..<10 { add("aws-secret", draw(40, from: Self.alnum + "+/"), [pick(["aws_secret_access_key = @@", "AWS_SECRET_ACCESS_KEY=@@", "\"SecretAccessKey\": \"@@\""])]) }
        for _ in 0..<10 { add("github", pick(["ghp_", "gho_", "ghs_", "ghu_"]) + draw(36, from: Self.alnum), [pick(places + ["git clone https://@@@github.com/o/r.git"])]) }
        for _ in 0..<6 { add("github", "github_pat_" + draw(22, from: Self.alnum) + "_" + draw(59, from: Self.alnum), [pick(places)]) }
        for _ in 0..<8 { add("google", "AIza" + draw(35, from: Self.base64url), [pick(places + ["https://maps.googleapis.com/maps/api/js?key=@@"])]) }
        for _ in 0..<5 { add("google", "GOCSPX-" + draw(28, from: Self.base64url), [pick(places)]) }
        for _ in 0..<5 { add("google", "ya29." + draw(80, from: Self.base64url), [pick(places)]) }
        for _ in 0..<8 { add("slack", "xoxb-" + draw(12, from: Self.digits) + "-" + draw(13, from: Self.digits) + "-" + draw(24, from: Self.alnum), [pick(places)]) }
        for _ in 0..<5 { add("slack", "hooks.slack.com/services/T" + draw(8, from: Self.upper + Self.digits) + "/B" + draw(8, from: Self.upper + Self.digits) + "/" + draw(24, from: Self.alnum), ["curl -X POST https://@@ -d '{}'"]) }
        for _ in 0..<10 { add("stripe", pick(["sk_live_", "sk_test_", "rk_live_", "rk_test_"]) + draw(24, from: Self.alnum), [pick(places)]) }
        for _ in 0..<4 { add("stripe", "whsec_" + draw(32, from: Self.alnum), [pick(places)]) }
        for _ in 0..<12 {
            let label = pick(["RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "PGP PRIVATE KEY BLOCK"])
            let newline = pick(["\n", "\\n"])
            let body = (0..<4).map { _ in draw(64, from: Self.alnum + "+/") }.joined(separator: newline)
            add("private-key", "-----BEGIN \(label)-----\(newline)\(body)\(newline)-----END \(label)-----", [pick(["@@", "{\"content\": \"@@\"}", "cat id_rsa\n@@\n"])])
        }
        for _ in 0..<12 {
            let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + draw(60, from: Self.base64url) + "." + draw(43, from: Self.base64url)
            add("jwt", jwt, [pick(["Authorization: Bearer @@", "token=@@&x=1", "the cookie session=@@ expired", "{\"id_token\": \"@@\"}"])])
        }
        for _ in 0..<20 {
            add("url-password", password(), [pick(["postgres://app:@@@db.internal:5432/prod", "DATABASE_URL=mysql://root:@@@127.0.0.1/app",
                                                  "git remote add origin https://deploy:@@@git.example.com/team/repo.git",
                                                  "redis://:@@@cache.internal:6379/0", "amqp://guest:@@@rabbit:5672"])])
        }
        for _ in 0..<20 {
            add("password", password(), [pick(["DB_PASSWORD=@@", "\"password\": \"@@\"", "password: @@", "mysql -u root --password=@@",
                                              "PGPASSWORD='@@' psql", "admin_pwd = \"@@\"", "{\\\"password\\\":\\\"@@\\\"}"])])
        }
        for _ in 0..<30 {
            let value = pick([draw(32, from: Self.hex), draw(40, from: Self.alnum), draw(50, from: Self.alnum + "!@#%^&*")])
            add("assignment", value, [pick(["client_secret: @@", "SECRET_KEY = '@@'", "api_key=\"@@\"", "auth_token: @@", "\"apiKey\": \"@@\"",
                                           "export SENTRY_AUTH_TOKEN=@@", "signing-key: @@", "Authorization: token @@", "JWT_SECRET=@@",
                                           "encryption_key => '@@'", "\"private_key\": \"@@\"", "OPENAI_API_KEY=@@"])])
        }
        return out
    }

    mutating func lookAlikes() -> [String] {
        var out = [
            "max_tokens = 4096", "\"cache_read_input_tokens\": 28334", "token_count=12", "password = getpass.getpass()",
            "password = os.environ[\"DB_PASSWORD\"]", "api_key = os.getenv('OPENAI_API_KEY')", "TOKEN=$(cat ~/.token)",
            "SECRET_KEY = env(\"SECRET_KEY\")", "password: ${DB_PASSWORD}", "\"password\": \"<redacted>\"", "apiKey: process.env.API_KEY",
            "secret_name = \"prod-db-credentials\"", "token_type: \"Bearer\"", "auth_url = https://example.com/auth",
            "password_file = /etc/app/pass.txt", "Authorization: Bearer $TOKEN", "TOKEN_LIMIT=100000", "if password == confirm:",
            "token: str = Field(...)", "const apiKey = config.apiKey;", "self.token = token", "auth: true", "secret: false",
            "password_min_length = 12", "Set the password to something strong.", "the token expired, log in again",
            "use your API key from the console", "password: must be at least 8 characters", "key = value_for_testing",
            "pk_live_" + "51H8fakePublishableKeyIsPublic", "postgres://user:password@localhost/db", "mysql://root:${MYSQL_PASSWORD}@db/app",
            "https://user:****@host/path", "https://user@github.com/repo", "https://github.com/owner/repo", "postgres://localhost:5432/db",
            "ssh://git@github.com:22/owner/repo.git", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----",
            "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----",
            "eyJhbGciOiJIUzI1NiJ9 is the header alone", "sk-learn is a library", "AKIAEXAMPLE", "ghp_short", "xoxb-123",
            "AIzaShort", "password = 'password'", "the author = \"Jane Doe 1984\"", "\"authorName\": \"bob42\"",
            "\"tokenizer\": \"cl100k_base\"", "the secret ingredient is love", "keyboard: us-intl-2023",
            "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
            "version = \"v1.2.3-beta.4+build.5678\"", "color: #a1b2c3", "x != password_hash", "pwd", "cd $(pwd)/build",
            "echo $PWD", "auth_method: oauth2", "token_endpoint: https://oauth2.googleapis.com/token",
        ]
        for _ in 0..<30 { out.append("commit \(draw(40, from: Self.hex))") }
        for _ in 0..<25 { out.append("\"session_id\": \"\(draw(8, from: Self.hex))-\(draw(4, from: Self.hex))-\(draw(4, from: Self.hex))-\(draw(4, from: Self.hex))-\(draw(12, from: Self.hex))\"") }
        for _ in 0..<25 { out.append("\"tool_use_id\": \"toolu_01\(draw(22, from: Self.alnum))\"") }
        for _ in 0..<20 { out.append("\"requestId\": \"req_011C\(draw(20, from: Self.alnum))\"") }
        for _ in 0..<20 { out.append("sha256:\(draw(64, from: Self.hex))") }
        for _ in 0..<20 { out.append("max_tokens: \(random.next() % 200_000)") }
        for _ in 0..<15 { out.append("\"input_tokens\": \(random.next() % 90_000), \"output_tokens\": \(random.next() % 9_000)") }
        return out
    }
}

extension Array where Element == String {
    /// One element, drawn from the sample's generator.
    func shuffledPick(_ samples: inout LabelledSamples) -> [String] { [samples.pick(self)] }
}
