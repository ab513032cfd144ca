import Foundation
import GRDB

/// One tool call of a completed job.
public struct JobToolCall: Sendable, Equatable, Codable {
    public var name: String
    public var input: String?
    public var output: String?
    public var isError: Bool
    public var durationMs: Int64?
    /// The file it read or wrote, if any.
    public var filePath: String?

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
    public var agentType: String
    public var description: String?
    public var status: String?
    public var toolCalls: Int
    public var totalTokens: Int
    public var durationMs: Int64?

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
    public var input: Int
    public var output: Int
    public var cacheCreation: Int
    public var cacheRead: Int

    public init(input: Int = 0, output: Int = 0, cacheCreation: Int = 0, cacheRead: Int = 0) {
        self.input = input
        self.output = output
        self.cacheCreation = cacheCreation
        self.cacheRead = cacheRead
    }

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
    public var projectId: Int64?
    public var runId: Int64?
    /// The app session it belongs to (``AppSession/id``).
    public var sessionId: String?
    /// The whole prompt.
    public var prompt: String
    /// When the prompt was reused from an earlier one: that one, and how often it was reused.
    public var originalPrompt: String?
    public var reuseCount: Int
    public var summary: String?
    public var model: String?
    /// The reasoning effort asked for (`low`, `high`, …).
    public var effort: String?
    public var tokens: JobTokens
    public var contextWindow: Int?
    /// Cost in micro-dollars.
    public var costMicros: Int64
    public var toolCalls: [JobToolCall]
    public var subagents: [JobSubagent]
    public var filesModified: [String]
    /// The tool used most, unless given.
    public var primaryTool: String?
    public var userMessages: Int
    public var assistantMessages: Int
    public var startedAt: Int64?
    public var completedAt: Int64

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
    public var id: Int64
    public var projectId: Int64?
    public var runId: Int64?
    public var sessionId: String?
    public var prompt: String
    public var originalPrompt: String?
    public var reuseCount: Int
    public var summary: String?
    public var model: String?
    public var effort: String?
    public var tokens: JobTokens
    public var contextWindow: Int?
    public var costMicros: Int64
    public var toolCallCount: Int
    public var failedToolCalls: Int
    public var primaryTool: String?
    public var filesModified: [String]
    public var userMessages: Int
    public var assistantMessages: Int
    public var startedAt: Int64?
    public var completedAt: Int64
}

/// Jobs summed for one UTC day and project.
public struct DailyMetrics: Sendable, Equatable, Codable {
    /// `YYYY-MM-DD`, UTC.
    public var day: String
    /// The project's directory, or empty for jobs without one.
    public var project: String
    public var jobs: Int
    public var tokens: JobTokens
    public var costMicros: Int64
    public var toolCalls: Int
    public var failedToolCalls: Int
}
