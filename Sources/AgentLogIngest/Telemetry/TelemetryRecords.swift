/// One model call as Claude Code's own telemetry reported it (`claude_code.api_request`): the
/// numbers the bill is made of, which a transcript may lack or hold as placeholders.
public struct TelemetryRequest: Sendable, Equatable {
    /// What makes a repeat of this event recognisable: the request id, or the session, event
    /// sequence and time when there is none.
    public var key: String
    /// The API request id (`req_…`), shared with the transcript's `requestId`; "" when absent.
    public var requestId: String
    /// Claude Code's session id (`session.id`); "" when absent.
    public var sessionId: String
    /// The prompt the call answered (`prompt.id`), when given.
    public var promptId: String?
    /// The model that answered.
    public var model: String
    /// When the call was made, ms since 1970.
    public var timestamp: Int64
    /// Input, output, cache read and cache write tokens (telemetry does not split cache writes by
    /// lifetime: `cacheCreation1h` is 0).
    public var tokens: TokenCounts
    /// Claude Code's own cost of the call in pico-dollars, when it sent one.
    public var costPico: Int64?
    /// How long the call took, in ms.
    public var durationMs: Int64?
    /// Which part of Claude Code made the call (`query_source`), when given.
    public var querySource: String?

    /// A call with every field given.
    public init(key: String, requestId: String, sessionId: String, promptId: String? = nil, model: String, timestamp: Int64,
                tokens: TokenCounts, costPico: Int64?, durationMs: Int64? = nil, querySource: String? = nil) {
        self.key = key
        self.requestId = requestId
        self.sessionId = sessionId
        self.promptId = promptId
        self.model = model
        self.timestamp = timestamp
        self.tokens = tokens
        self.costPico = costPico
        self.durationMs = durationMs
        self.querySource = querySource
    }
}

/// A failed model call (`claude_code.api_error`).
public struct TelemetryError: Sendable, Equatable {
    /// What makes a repeat recognisable (see ``TelemetryRequest/key``).
    public var key: String
    /// The API request id, "" when absent.
    public var requestId: String
    /// Claude Code's session id, "" when absent.
    public var sessionId: String
    /// The model asked, "" when absent.
    public var model: String
    /// When it failed, ms since 1970.
    public var timestamp: Int64
    /// The error message.
    public var message: String
    /// The HTTP status, when there was one.
    public var statusCode: Int?
    /// How long the call took before failing, in ms.
    public var durationMs: Int64?
    /// Which attempt this was (1 for the first).
    public var attempt: Int?

    /// An error with every field given.
    public init(key: String, requestId: String, sessionId: String, model: String, timestamp: Int64, message: String,
                statusCode: Int? = nil, durationMs: Int64? = nil, attempt: Int? = nil) {
        self.key = key
        self.requestId = requestId
        self.sessionId = sessionId
        self.model = model
        self.timestamp = timestamp
        self.message = message
        self.statusCode = statusCode
        self.durationMs = durationMs
        self.attempt = attempt
    }
}

/// How a metric point's value relates to the points before it (OTLP's aggregation temporality).
public enum MetricTemporality: Int, Sendable, Equatable {
    /// Not said (or a gauge).
    case unspecified = 0
    /// The amount since the previous point: points add up.
    case delta = 1
    /// The total since `start`: the latest point of a series holds the sum.
    case cumulative = 2
}

/// One data point of Claude Code's `claude_code.cost.usage` or `claude_code.token.usage`.
public struct TelemetryMetricPoint: Sendable, Equatable {
    /// The metric's name.
    public var metric: String
    /// Its unit (`USD`, `tokens`), as sent.
    public var unit: String
    /// The session the point counts (`session.id`), "" when absent.
    public var sessionId: String
    /// The model (`model`), "" when absent.
    public var model: String
    /// For token usage: `input`, `output`, `cacheRead` or `cacheCreation`; "" otherwise.
    public var type: String
    /// Delta or cumulative.
    public var temporality: MetricTemporality
    /// Start of the point's interval, ns since 1970 (0 when not sent).
    public var startNanos: Int64
    /// End of the interval, ns since 1970.
    public var timeNanos: Int64
    /// The value.
    public var value: Double

    /// A point with every field given.
    public init(metric: String, unit: String, sessionId: String, model: String, type: String, temporality: MetricTemporality,
                startNanos: Int64, timeNanos: Int64, value: Double) {
        self.metric = metric
        self.unit = unit
        self.sessionId = sessionId
        self.model = model
        self.type = type
        self.temporality = temporality
        self.startNanos = startNanos
        self.timeNanos = timeNanos
        self.value = value
    }
}

/// What one OTLP export request held that agentlog keeps, and what it refused.
public struct TelemetryBatch: Sendable, Equatable {
    /// Successful model calls.
    public var requests: [TelemetryRequest] = []
    /// Failed model calls.
    public var errors: [TelemetryError] = []
    /// Cost and token metric points.
    public var points: [TelemetryMetricPoint] = []
    /// Records or points refused, each with the reason (which record, which attribute).
    public var rejected: [String] = []
    /// Records and points of other kinds (tool results, prompts, other metrics): accepted, not kept.
    public var ignored = 0

    /// An empty batch.
    public init() {}
}
