import AgentLogTestSupport
import Foundation
import GRDB
import Testing
import AgentLogHistory
@testable import AgentLogStore

@Suite("Library: jobs and daily metrics")
struct LibraryJobTests {
    static func sampleJob(projectId: Int64?, completedAt: Int64 = 1_764_590_400_000) -> CompletedJob {
        CompletedJob(projectId: projectId, prompt: "Fix the flaky parser test", originalPrompt: "Fix the parser", reuseCount: 2,
                     summary: "Fixed an off-by-one in the tokenizer", model: "claude-sonnet-4-5", effort: "high",
                     tokens: JobTokens(input: 1200, output: 800, cacheCreation: 3000, cacheRead: 50_000), contextWindow: 200_000,
                     costMicros: 123_456,
                     toolCalls: [
                        JobToolCall(name: "Read", input: #"{"file_path":"Sources/Parser.swift"}"#, durationMs: 4, filePath: "Sources/Parser.swift"),
                        JobToolCall(name: "Bash", input: #"{"command":"swift test"}"#, output: "1 failure", isError: true, durationMs: 9000),
                        JobToolCall(name: "Edit", durationMs: 12, filePath: "Sources/Parser.swift"),
                        JobToolCall(name: "Bash", input: #"{"command":"swift test"}"#, output: "ok", durationMs: 8000),
                     ],
                     subagents: [JobSubagent(agentType: "Explore", description: "find the tokenizer", status: "completed", toolCalls: 5,
                                             totalTokens: 9000, durationMs: 30_000)],
                     filesModified: ["Tests/ParserTests.swift", "Sources/Parser.swift", "Tests/ParserTests.swift"],
                     userMessages: 3, assistantMessages: 7, startedAt: completedAt - 60_000, completedAt: completedAt)
    }

    static func count(_ store: AgentLogStore, _ table: String) throws -> Int {
        try store.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)")! }
    }

    @Test("a completed job is stored whole: counts, primary tool, tool calls in order, subagents, files, daily metrics")
    func recordJob() async throws {
        let store = try AgentLogStore.inMemory()
        let project = try await store.upsertProject(directory: "/work/parser")
        let job = try await store.recordJob(Self.sampleJob(projectId: project.id))
        #expect(job.toolCallCount == 4 && job.failedToolCalls == 1)
        #expect(job.primaryTool == "Bash")
        #expect(job.filesModified == ["Tests/ParserTests.swift", "Sources/Parser.swift"], "each once, in the order given")
        #expect(job.prompt == "Fix the flaky parser test" && job.originalPrompt == "Fix the parser" && job.reuseCount == 2)
        #expect(job.tokens.total == 55_000 && job.costMicros == 123_456 && job.contextWindow == 200_000)
        #expect(try await store.job(id: job.id) == job)
        let calls = try await store.jobToolCalls(jobId: job.id)
        #expect(calls == Self.sampleJob(projectId: nil).toolCalls)
        #expect(try await store.jobSubagents(jobId: job.id) == Self.sampleJob(projectId: nil).subagents)

        _ = try await store.recordJob(Self.sampleJob(projectId: project.id))
        let metrics = try await store.dailyMetrics()
        #expect(metrics.count == 1)
        #expect(metrics.first?.day == "2025-12-01" && metrics.first?.project == "/work/parser")
        #expect(metrics.first?.jobs == 2 && metrics.first?.toolCalls == 8 && metrics.first?.failedToolCalls == 2)
        #expect(metrics.first?.costMicros == 246_912 && metrics.first?.tokens.cacheRead == 100_000)
        #expect(try await store.dailyMetrics(since: "2025-12-02").isEmpty)
    }

    @Test("jobs are found by a file they modified (or a folder) and by a tool they used, in any case")
    func searchJobs() async throws {
        let store = try AgentLogStore.inMemory()
        let parser = try await store.recordJob(Self.sampleJob(projectId: nil))
        var other = Self.sampleJob(projectId: nil, completedAt: 1_764_600_000_000)
        other.toolCalls = [JobToolCall(name: "WebFetch")]
        other.filesModified = ["Sourcesx/Other.swift"]
        let fetched = try await store.recordJob(other)
        #expect(try await store.jobs(modifying: "Sources/Parser.swift").map(\.id) == [parser.id])
        #expect(try await store.jobs(modifying: "Sources/").map(\.id) == [parser.id], "a folder matches what is under it only")
        #expect(try await store.jobs(modifying: "Sources/Nope.swift").isEmpty)
        #expect(try await store.jobs(usingTool: "webfetch").map(\.id) == [fetched.id])
        #expect(try await store.jobs(usingTool: "Edit").map(\.id) == [parser.id])
        #expect(try await store.jobs().map(\.id) == [fetched.id, parser.id])
    }

    @Test("a job that fails half-way leaves nothing behind: no job, tool calls, subagents, files or metrics")
    func atomicJob() async throws {
        let store = try AgentLogStore.inMemory()
        _ = try await store.recordJob(Self.sampleJob(projectId: nil))
        let tables = ["jobs", "job_tool_calls", "job_subagents", "job_files"]
        let before = try tables.map { try Self.count(store, $0) }
        let metricsBefore = try await store.dailyMetrics()
        // The job, its tool calls and subagents are written before the files; an empty path fails there.
        var broken = Self.sampleJob(projectId: nil)
        broken.filesModified = ["Sources/Parser.swift", ""]
        await #expect(throws: StoreError.invalidValue(what: "job", reason: "a file modified has an empty path")) {
            try await store.recordJob(broken)
        }
        // A project or run that does not exist is named.
        await #expect(throws: StoreError.notFound(what: "project with id 4242")) { try await store.recordJob(Self.sampleJob(projectId: 4242)) }
        var unknownRun = Self.sampleJob(projectId: nil)
        unknownRun.runId = 77
        await #expect(throws: StoreError.notFound(what: "run with id 77")) { try await store.recordJob(unknownRun) }
        #expect(try tables.map { try Self.count(store, $0) } == before)
        #expect(try await store.dailyMetrics() == metricsBefore)
    }
}
