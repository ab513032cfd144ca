import AgentLogIngest
import AgentLogJSON

/// What Claude Code sends its statusline command on stdin, as far as agentlog uses it. Every
/// field may be missing (older versions send fewer; `rate_limits` only comes for subscribers
/// after a session's first response).
///
/// ```swift
/// let payload = try StatuslinePayload(bytes: Array(#"{"session_id":"s1","model":{"display_name":"Opus"}}"#.utf8))
/// ```
public struct StatuslinePayload: Sendable, Equatable {
    /// One rate-limit window's reading.
    public struct RateLimit: Sendable, Equatable {
        /// How much of the window is used, 0–100.
        public var usedPercent: Double
        /// When the window resets, ms since 1970, where given.
        public var resetsAt: Int64?
    }

    /// Claude Code's session id ("" when missing).
    public var sessionId = ""
    /// The model's id (`claude-opus-4-6`).
    public var modelId = ""
    /// The model's display name (`Opus 4.6`).
    public var modelName = ""
    /// The working folder: `workspace.current_dir`, else `cwd`.
    public var directory = ""
    /// The project folder: `workspace.project_dir`, else ``directory``.
    public var projectDirectory = ""
    /// `cost.total_cost_usd` in micro-dollars, as Claude Code computed it.
    public var sessionCostMicros: Int64?
    /// `context_window.used_percentage`, or the share of `context_window_size` the current
    /// usage's prompt takes.
    public var contextUsedPercent: Double?
    /// `context_window.context_window_size`.
    public var contextWindowSize: Int?
    /// `rate_limits.five_hour`.
    public var fiveHour: RateLimit?
    /// `rate_limits.seven_day`.
    public var sevenDay: RateLimit?
    /// The payload as received.
    public var bytes: [UInt8] = []

    /// Reads a payload; throws a ``StatuslineError`` when it is not a JSON object.
    public init(bytes: [UInt8]) throws(StatuslineError) {
        self.bytes = bytes
        let result: Result<StatuslinePayload, StatuslineError> = bytes.withUnsafeBytes { raw in
            let json = JSONScanner(raw)
            let document: JSONSpan
            do { document = try json.scanDocument() } catch {
                return .failure(StatuslineError("the statusline payload is not JSON: \(error)"))
            }
            guard document.kind == .object else { return .failure(StatuslineError("the statusline payload is not a JSON object")) }
            return .success(StatuslinePayload(json, document))
        }
        self = try result.get()
        self.bytes = bytes
    }

    /// An empty payload (nothing known).
    public init() {}

    private init(_ json: JSONScanner, _ document: JSONSpan) {
        let top = Self.members(json, document)
        func text(_ span: JSONSpan?) -> String { span.flatMap { $0.kind == .string ? json.string($0, maxBytes: 4096) : nil } ?? "" }
        sessionId = text(json.value("session_id", in: top))
        if let model = json.value("model", in: top) {
            if model.kind == .string {
                modelId = text(model)
            } else {
                let fields = Self.members(json, model)
                modelId = text(json.value("id", in: fields))
                modelName = text(json.value("display_name", in: fields))
            }
        }
        let workspace = Self.members(json, json.value("workspace", in: top))
        directory = text(json.value("current_dir", in: workspace))
        if directory.isEmpty { directory = text(json.value("cwd", in: top)) }
        projectDirectory = text(json.value("project_dir", in: workspace))
        if projectDirectory.isEmpty { projectDirectory = directory }
        let cost = Self.members(json, json.value("cost", in: top))
        if let usd = json.value("total_cost_usd", in: cost).flatMap(json.double), usd >= 0, usd < 1e9 {
            sessionCostMicros = Int64((usd * 1_000_000).rounded())
        }
        let context = Self.members(json, json.value("context_window", in: top))
        contextWindowSize = json.value("context_window_size", in: context).flatMap(json.int).flatMap { $0 > 0 ? $0 : nil }
        contextUsedPercent = json.value("used_percentage", in: context).flatMap(json.double).map(Self.percent)
        if contextUsedPercent == nil, let size = contextWindowSize {
            let usage = Self.members(json, json.value("current_usage", in: context))
            let prompt = ["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"]
                .compactMap { name in usage.first { json.string($0.key) == name }.flatMap { json.int($0.value) } }
                .filter { $0 >= 0 }.reduce(0.0) { $0 + Double($1) }
            if !usage.isEmpty { contextUsedPercent = Self.percent(prompt * 100 / Double(size)) }
        }
        let limits = Self.members(json, json.value("rate_limits", in: top))
        fiveHour = Self.rateLimit(json, json.value("five_hour", in: limits))
        sevenDay = Self.rateLimit(json, json.value("seven_day", in: limits))
    }

    private static func members(_ json: JSONScanner, _ span: JSONSpan?) -> [JSONScanner.Member] {
        guard let span, span.kind == .object else { return [] }
        var members: [JSONScanner.Member] = []
        json.members(of: span, into: &members)
        return members
    }

    private static func percent(_ value: Double) -> Double { min(max(value, 0), 1000) }

    private static func rateLimit(_ json: JSONScanner, _ span: JSONSpan?) -> RateLimit? {
        let fields = members(json, span)
        guard let used = json.value("used_percentage", in: fields).flatMap(json.double) else { return nil }
        return RateLimit(usedPercent: percent(used), resetsAt: json.value("resets_at", in: fields).flatMap { instant(json, $0) })
    }

    /// A time given as seconds or milliseconds since 1970, or as ISO 8601 text.
    static func instant(_ json: JSONScanner, _ span: JSONSpan) -> Int64? {
        if span.kind == .string { return json.string(span, maxBytes: 64).flatMap(Timestamp.milliseconds(fromISO8601:)) }
        guard let value = json.double(span), value > 0, value < 1e14 else { return nil }
        return Int64(value < 1e11 ? value * 1000 : value)
    }
}

/// A statusline failure, as one sentence.
public struct StatuslineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sentence.
    public var description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
