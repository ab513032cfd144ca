import AgentLogDatabase
import Foundation
import GRDB

/// One tool call of a completed job.
public struct JobToolCall: Sendable, Equatable, Codable {
    /// The name (a tool's, a project's or a run's).
    public var name: String
    /// The input as the app gave it (usually JSON), if kept.
    public var input: String?
    /// The output, or its start, if kept.
    public var output: String?
    /// Whether it failed.
    public var isError: Bool
    /// How long it took, in ms.
    public var durationMs: Int64?
    /// The file it read or wrote, if any.
    public var filePath: String?

    /// Creates a value with these fields.
    public init(name: String, input: String? = nil, output: String? = nil, isError: Bool = false, durationMs: Int64? = nil,
                filePath: String? = nil) {
        self.name = name
        self.input = input
        self.output = output
        self.isError = isError
        self.durationMs = durationMs
        self.filePath = filePath
    }
}

/// A subagent a job started.
public struct JobSubagent: Sendable, Equatable, Codable {
    /// What kind of subagent (`Explore`, `general-purpose`, …).
    public var agentType: String
    /// What it was asked to do.
    public var description: String?
    /// How it ended (`completed`, `failed`, …), if known.
    public var status: String?
    /// Tool calls it made.
    public var toolCalls: Int
    /// Tokens it used, all buckets.
    public var totalTokens: Int
    /// How long it took, in ms.
    public var durationMs: Int64?

    /// Creates a value with these fields.
    public init(agentType: String, description: String? = nil, status: String? = nil, toolCalls: Int = 0, totalTokens: Int = 0,
                durationMs: Int64? = nil) {
        self.agentType = agentType
        self.description = description
        self.status = status
        self.toolCalls = toolCalls
        self.totalTokens = totalTokens
        self.durationMs = durationMs
    }
}

/// Tokens of a job, in disjoint buckets (input excludes cache).
public struct JobTokens: Sendable, Equatable, Codable {
    /// Input tokens, not counting the cache.
    public var input: Int
    /// Output tokens (reasoning included).
    public var output: Int
    /// Tokens written to the prompt cache.
    public var cacheCreation: Int
    /// Tokens read from the prompt cache.
    public var cacheRead: Int

    /// Creates a value with these fields.
    public init(input: Int = 0, output: Int = 0, cacheCreation: Int = 0, cacheRead: Int = 0) {
        self.input = input
        self.output = output
        self.cacheCreation = cacheCreation
        self.cacheRead = cacheRead
    }

    /// Every bucket together.
    public var total: Int { input + output + cacheCreation + cacheRead }
}

/// A job an app finished, to be recorded whole with ``AgentLogStore/recordJob(_:)``.
///
/// ```swift
/// var job = CompletedJob(prompt: "Fix the failing test", model: "claude-sonnet-4-5")
/// job.toolCalls = [JobToolCall(name: "Edit", filePath: "Sources/App/Parser.swift")]
/// job.filesModified = ["Sources/App/Parser.swift"]
/// let recorded = try await store.recordJob(job)
/// ```
public struct CompletedJob: Sendable, Equatable, Codable {
    /// The project (``Project/id``) it belongs to, if any.
    public var projectId: Int64?
    /// The run (``Run/id``) it belongs to, if any.
    public var runId: Int64?
    /// The app session it belongs to (``AppSession/id``).
    public var sessionId: String?
    /// The whole prompt.
    public var prompt: String
    /// When the prompt was reused from an earlier one: that one, and how often it was reused.
    public var originalPrompt: String?
    /// How many times the prompt was reused.
    public var reuseCount: Int
    /// What the job did, in a few lines.
    public var summary: String?
    /// The model that answered, if any.
    public var model: String?
    /// The reasoning effort asked for (`low`, `high`, …).
    public var effort: String?
    /// Tokens by bucket.
    public var tokens: JobTokens
    /// The context window of the model, in tokens.
    public var contextWindow: Int?
    /// Cost in micro-dollars.
    public var costMicros: Int64
    /// Tool calls it made.
    public var toolCalls: [JobToolCall]
    /// The subagents it started.
    public var subagents: [JobSubagent]
    /// Files it modified, each once, in the order given.
    public var filesModified: [String]
    /// The tool used most, unless given.
    public var primaryTool: String?
    /// Messages from the user.
    public var userMessages: Int
    /// Messages from the agent.
    public var assistantMessages: Int
    /// When it started, ms since 1970.
    public var startedAt: Int64?
    /// When it finished, ms since 1970.
    public var completedAt: Int64

    /// Creates a value with these fields.
    public init(projectId: Int64? = nil, runId: Int64? = nil, sessionId: String? = nil, prompt: String, originalPrompt: String? = nil,
                reuseCount: Int = 0, summary: String? = nil, model: String? = nil, effort: String? = nil, tokens: JobTokens = JobTokens(),
                contextWindow: Int? = nil, costMicros: Int64 = 0, toolCalls: [JobToolCall] = [], subagents: [JobSubagent] = [],
                filesModified: [String] = [], primaryTool: String? = nil, userMessages: Int = 0, assistantMessages: Int = 0,
                startedAt: Int64? = nil, completedAt: Int64 = AgentLogStore.now()) {
        self.projectId = projectId
        self.runId = runId
        self.sessionId = sessionId
        self.prompt = prompt
        self.originalPrompt = originalPrompt
        self.reuseCount = reuseCount
        self.summary = summary
        self.model = model
        self.effort = effort
        self.tokens = tokens
        self.contextWindow = contextWindow
        self.costMicros = costMicros
        self.toolCalls = toolCalls
        self.subagents = subagents
        self.filesModified = filesModified
        self.primaryTool = primaryTool
        self.userMessages = userMessages
        self.assistantMessages = assistantMessages
        self.startedAt = startedAt
        self.completedAt = completedAt
    }

    /// The most used tool (the first used among equals).
    var mostUsedTool: String? {
        var counts: [String: Int] = [:]
        for call in toolCalls { counts[call.name, default: 0] += 1 }
        guard let most = counts.values.max() else { return nil }
        return toolCalls.first { counts[$0.name] == most }?.name
    }
}

/// A recorded job, without its tool calls and subagents (see ``AgentLogStore/jobToolCalls(jobId:)``).
public struct JobRecord: Sendable, Equatable, Codable, Identifiable {
    /// The row id.
    public var id: Int64
    /// The project (``Project/id``) it belongs to, if any.
    public var projectId: Int64?
    /// The run (``Run/id``) it belongs to, if any.
    public var runId: Int64?
    /// The app session it belongs to (``AppSession/id``), if any.
    public var sessionId: String?
    /// The whole prompt.
    public var prompt: String
    /// The prompt it was reused from, if it was.
    public var originalPrompt: String?
    /// How many times the prompt was reused.
    public var reuseCount: Int
    /// What the job did, in a few lines.
    public var summary: String?
    /// The model that answered, if any.
    public var model: String?
    /// The reasoning effort asked for (`low`, `high`, …).
    public var effort: String?
    /// Tokens by bucket.
    public var tokens: JobTokens
    /// The context window of the model, in tokens.
    public var contextWindow: Int?
    /// Cost in micro-dollars.
    public var costMicros: Int64
    /// Tool calls made.
    public var toolCallCount: Int
    /// Tool calls that failed.
    public var failedToolCalls: Int
    /// The tool used most.
    public var primaryTool: String?
    /// Files it modified, each once, in the order given.
    public var filesModified: [String]
    /// Messages from the user.
    public var userMessages: Int
    /// Messages from the agent.
    public var assistantMessages: Int
    /// When it started, ms since 1970.
    public var startedAt: Int64?
    /// When it finished, ms since 1970.
    public var completedAt: Int64
}

/// Jobs summed for one UTC day and project.
public struct DailyMetrics: Sendable, Equatable, Codable {
    /// `YYYY-MM-DD`, UTC.
    public var day: String
    /// The project's directory, or empty for jobs without one.
    public var project: String
    /// Jobs recorded.
    public var jobs: Int
    /// Tokens by bucket.
    public var tokens: JobTokens
    /// Cost in micro-dollars.
    public var costMicros: Int64
    /// Tool calls it made.
    public var toolCalls: Int
    /// Tool calls that failed.
    public var failedToolCalls: Int
}
