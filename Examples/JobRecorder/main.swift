// An agent app that keeps its work in agentlog's store, as an embedding app would: it starts a
// job, saves every message and event as it goes, crashes on purpose half-way, and on the next
// start finds the crashed run, restores the conversation and the event log, and finishes the job.
//
//   swift run agentlog-example --db /tmp/example.db    # works, then crashes (kill -9 of itself)
//   swift run agentlog-example --db /tmp/example.db    # recovers and finishes
import AgentLogProcess
import AgentLogStore
import Foundation

let arguments = CommandLine.arguments
let databasePath = arguments.firstIndex(of: "--db").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    ?? NSTemporaryDirectory() + "agentlog-example.db"
let agent = "example-agent"

let store = try await AgentLogStore.open(path: databasePath)
let project = try await store.upsertProject(directory: FileManager.default.currentDirectoryPath, defaultPrompt: "Rename the parser")

// 1. Whatever ran before and vanished is marked crashed.
let crashed = try await store.detectCrashedRuns()
for run in crashed { print("found run #\(run.id) (pid \(run.pid ?? 0)) crashed: it ended without a word") }

// 2. A session left unfinished is restored whole; otherwise a new job starts.
let unfinished = try await store.appSessions(agent: agent, limit: 1).first.flatMap { session in
    crashed.isEmpty ? nil : session
}
let run = try await store.createRun(NewRun(projectId: project.id, name: "example", args: arguments))
let script: [(role: String, text: String)] = [
    ("user", "Rename Parser to Tokenizer across the package."),
    ("assistant", "I'll find every use of Parser first."),
    ("tool", "grep -rn Parser Sources: 14 matches in 5 files"),
    ("assistant", "Renaming the type and its file, then updating the 14 uses."),
    ("tool", "swift build: Build complete!"),
    ("assistant", "Done: Parser is now Tokenizer; the build passes."),
]

let session: AppSession
var messages: [AppMessage]
if let unfinished, let restored = try await store.loadSession(id: unfinished.id) {
    session = restored.session
    messages = restored.messages
    let events = try await store.events(session: session.id)
    print("recovered session \(session.id.prefix(8)): \(messages.count) messages, \(events.count) events (last: \(events.last?.type ?? "none"))")
    try await store.appendEvent(session: session.id, type: "job.resumed", payload: #"{"run":\#(run.id)}"#)
} else {
    session = try await store.createSession(agent: agent, projectId: project.id, title: "Rename Parser to Tokenizer")
    messages = []
    try await store.appendEvent(session: session.id, type: "job.started", payload: #"{"run":\#(run.id)}"#)
    print("started session \(session.id.prefix(8)) in run #\(run.id)")
}

// 3. Work: every message is saved the moment it exists.
for step in script.dropFirst(messages.count) {
    let message = try await store.appendMessage(AppMessage(role: step.role, text: step.text), to: session)
    messages.append(message)
    try await store.appendEvent(session: session.id, type: "message.saved", payload: #"{"seq":\#(message.seq)}"#)
    print("  saved #\(message.seq) \(step.role): \(step.text)")
    if unfinished == nil, message.seq == 3 {
        print("crashing on purpose (kill -9) after message #3")
        fflush(nil)
        kill(getpid(), SIGKILL)
    }
}

// 4. The job is recorded whole, in one transaction, and the run completed.
let job = try await store.recordJob(CompletedJob(
    projectId: project.id, runId: run.id, sessionId: session.id, prompt: script[0].text,
    summary: messages.last?.text, model: "claude-sonnet-4-5",
    tokens: JobTokens(input: 1_800, output: 950, cacheRead: 24_000), costMicros: 31_250,
    toolCalls: [JobToolCall(name: "Bash", input: "grep -rn Parser Sources"), JobToolCall(name: "Edit", filePath: "Sources/Tokenizer.swift"),
                JobToolCall(name: "Bash", input: "swift build")],
    filesModified: ["Sources/Tokenizer.swift"],
    userMessages: messages.filter { $0.role == "user" }.count, assistantMessages: messages.filter { $0.role == "assistant" }.count))
try await store.appendEvent(session: session.id, type: "job.completed", payload: #"{"job":\#(job.id)}"#)
try await store.updateRunStatus(id: run.id, .completed, exitCode: 0)
print("job #\(job.id) recorded: \(job.toolCallCount) tool calls, primary tool \(job.primaryTool ?? "none"); run #\(run.id) completed")
try store.close()
