/// What kind of secret a ``SecretFinding`` is.
public enum SecretKind: String, Sendable, CaseIterable, Codable {
    /// An Anthropic API or admin key (`sk-ant-…`).
    case anthropicKey = "anthropic-key"
    /// An OpenAI API key (`sk-…`, `sk-proj-…`).
    case openAIKey = "openai-key"
    /// An AWS access key id (`AKIA…`, `ASIA…`).
    case awsAccessKey = "aws-access-key"
    /// A GitHub token (`ghp_…`, `gho_…`, `github_pat_…`).
    case githubToken = "github-token"
    /// A Google API key (`AIza…`), OAuth client secret (`GOCSPX-…`) or access token (`ya29.…`).
    case googleKey = "google-key"
    /// A Slack token (`xoxb-…`) or incoming-webhook URL.
    case slackToken = "slack-token"
    /// A Stripe secret, restricted or webhook key (`sk_live_…`, `rk_test_…`, `whsec_…`).
    case stripeKey = "stripe-key"
    /// A PEM or PGP private key block.
    case privateKey = "private-key"
    /// A JSON Web Token (three base64url parts, the first two JSON objects).
    case jwt
    /// The password part of a URL (`scheme://user:password@host`).
    case urlPassword = "url-password"
    /// A high-entropy value assigned to a name that says it is secret (`API_KEY=…`, `"password": "…"`).
    case secretAssignment = "secret-assignment"

    /// What replaces the secret: `[REDACTED:<kind>]`.
    public var mask: String { "[REDACTED:\(rawValue)]" }
}

/// One secret found in a text.
public struct SecretFinding: Sendable, Equatable {
    /// What it is.
    public var kind: SecretKind
    /// Where it starts in the original text, in UTF-8 bytes.
    public var start: Int
    /// Its length in UTF-8 bytes.
    public var length: Int
    /// A hint that tells findings apart without showing the secret: a public prefix the format
    /// has (`sk-ant-`, `ghp_`, `AKIA`), if any, and the length (`ghp_… (40 chars)`).
    public var hint: String

    /// A finding of `kind` at `start` for `length` bytes.
    public init(kind: SecretKind, start: Int, length: Int, hint: String) {
        self.kind = kind
        self.start = start
        self.length = length
        self.hint = hint
    }
}
