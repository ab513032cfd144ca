import AgentLogTestSupport
import Foundation
import Testing
import AgentLogHistory
import AgentLogStore

@Suite("Library: the README's example")
struct LibraryReadmeTests {
    @Test("the README's library example runs as written, on a new file")
    func readmeExample() async throws {
        let folder = try TemporaryFolder()
        let store = try await AgentLogStore.open(path: folder.path + "/app.db")
        defer { try? store.close() }

        let project = try await store.upsertProject(directory: "/work/app", defaultCommand: ["claude", "-p"])
        let crashed = try await store.detectCrashedRuns()
        let run = try await store.createRun(NewRun(projectId: project.id, args: CommandLine.arguments))

        let session = try await store.createSession(agent: "my-agent", projectId: project.id, title: "Rename the parser")
        try await store.appendMessage(AppMessage(role: "user", text: "Rename Parser to Tokenizer"), to: session)
        let (restored, messages) = try await store.loadSession(id: session.id)!

        try await store.appendEvent(session: session.id, type: "job.started", payload: #"{"run":1}"#)
        var observed: [Int64] = []
        for try await event in store.observeEvents(session: session.id, after: 0) { observed.append(event.seq); break }

        let job = try await store.recordJob(CompletedJob(
            projectId: project.id, runId: run.id, prompt: "Rename Parser to Tokenizer", model: "claude-sonnet-4-5",
            tokens: JobTokens(input: 1_800, output: 950), costMicros: 31_250,
            toolCalls: [JobToolCall(name: "Edit", filePath: "Sources/Tokenizer.swift")],
            filesModified: ["Sources/Tokenizer.swift"]))
        let touched = try await store.jobs(modifying: "Sources/")
        try await store.updateRunStatus(id: run.id, .completed, exitCode: 0)

        try await store.setSetting(["theme": "dark"], category: "appearance", user: "ana")

        #expect(crashed.isEmpty)
        #expect(restored.id == session.id && messages.map(\.text) == ["Rename Parser to Tokenizer"])
        #expect(observed == [1])
        #expect(touched.map(\.id) == [job.id])
        #expect(try await store.run(id: run.id)?.status == .completed)
        #expect(try await store.setting([String: String].self, category: "appearance", user: "ana") == ["theme": "dark"])
    }
}
