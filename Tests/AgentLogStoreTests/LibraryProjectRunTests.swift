import AgentLogProcess
import AgentLogTestSupport
import Foundation
import Testing
import AgentLogHistory
@testable import AgentLogStore

@Suite("Library: store, projects and runs")
struct LibraryProjectRunTests {
    @Test("a store opens at a path or in memory, and once closed refuses work")
    func openAndClose() async throws {
        let folder = try TemporaryFolder()
        let store = try await AgentLogStore.open(path: folder.path + "/app.db")
        #expect(try await store.projects().isEmpty)
        try store.close()
        await #expect(throws: StoreError.self) { try await store.projects() }
        let memory = try AgentLogStore.inMemory()
        #expect(try await memory.upsertProject(directory: "/m").directory == "/m")
        try memory.close()
    }

    @Test("projects: upsert creates, then updates only what is given; get by directory and id; ordered by last run")
    func projects() async throws {
        let store = try AgentLogStore.inMemory()
        let created = try await store.upsertProject(directory: "/work/billing", defaultCommand: ["make", "test"])
        #expect(created.name == "billing")
        #expect(created.defaultCommand == ["make", "test"])
        let renamed = try await store.upsertProject(directory: "/work/billing", name: "Billing", defaultPrompt: "fix it")
        #expect(renamed.id == created.id)
        #expect(renamed.name == "Billing")
        #expect(renamed.defaultCommand == ["make", "test"], "a command not given is kept")
        #expect(renamed.defaultPrompt == "fix it")
        #expect(try await store.project(directory: "/work/billing") == renamed)
        #expect(try await store.project(id: created.id) == renamed)
        #expect(try await store.project(directory: "/nowhere") == nil)

        let other = try await store.upsertProject(directory: "/work/web")
        let never = try await store.upsertProject(directory: "/work/never")
        _ = try await store.createRun(NewRun(projectId: other.id, startedAt: 1_000))
        _ = try await store.createRun(NewRun(projectId: created.id, startedAt: 2_000))
        #expect(try await store.projects().map(\.id) == [created.id, other.id, never.id])
        #expect(try await store.project(id: created.id)?.lastRunAt == 2_000)
    }

    @Test("deleting a project deletes its runs; other projects keep theirs")
    func deleteCascades() async throws {
        let store = try AgentLogStore.inMemory()
        let doomed = try await store.upsertProject(directory: "/a")
        let kept = try await store.upsertProject(directory: "/b")
        let run = try await store.createRun(NewRun(projectId: doomed.id))
        let survivor = try await store.createRun(NewRun(projectId: kept.id))
        #expect(try await store.deleteProject(id: doomed.id))
        #expect(try await store.project(id: doomed.id) == nil)
        #expect(try await store.run(id: run.id) == nil)
        #expect(try await store.run(id: survivor.id) == survivor)
        #expect(try await store.deleteProject(id: doomed.id) == false)
    }

    @Test("runs: create, get by id and pid, running runs, runs of a project, status updates set the end time, delete")
    func runs() async throws {
        let store = try AgentLogStore.inMemory()
        let project = try await store.upsertProject(directory: "/p")
        let me = ProcessIdentity.current
        let run = try await store.createRun(NewRun(projectId: project.id, name: "nightly", args: ["claude", "-p", "go"], startedAt: 5_000))
        #expect(run.status == .running && run.endedAt == nil)
        #expect(run.pid == me.pid && run.pidStart == me.startToken && run.host == ProcessIdentity.hostName)
        #expect(run.args == ["claude", "-p", "go"])
        #expect(try await store.run(id: run.id) == run)
        #expect(try await store.run(pid: me.pid) == run)
        #expect(try await store.run(pid: me.pid, host: "elsewhere") == nil)
        #expect(try await store.runningRuns() == [run])
        await #expect(throws: StoreError.self) { try await store.createRun(NewRun(projectId: 999)) }

        let second = try await store.createRun(NewRun(projectId: project.id, process: nil, startedAt: 6_000))
        try await store.setRunProcess(id: second.id, ProcessIdentity(pid: 42, startToken: "t"))
        #expect(try await store.run(id: second.id)?.pid == 42)
        #expect(try await store.runs(projectId: project.id).map(\.id) == [second.id, run.id])

        let done = try await store.updateRunStatus(id: run.id, .completed, exitCode: 0, at: 9_000)
        #expect(done.status == .completed && done.exitCode == 0 && done.endedAt == 9_000)
        let crashed = try await store.markRunCrashed(id: second.id, at: 9_500)
        #expect(crashed.status == .crashed && crashed.endedAt == 9_500)
        #expect(try await store.runningRuns().isEmpty)
        #expect(try await store.runs(status: .crashed).map(\.id) == [second.id])
        let crashes = try await store.crashedRuns()
        let stored = try await store.project(id: project.id)
        #expect(crashes.map(\.run.id) == [second.id] && crashes.first?.project == stored)
        await #expect(throws: StoreError.self) { try await store.updateRunStatus(id: 12345, .failed) }

        let overview = try #require(try await store.projectOverview(directory: "/p"))
        #expect(overview.runCount == 2 && overview.completed == 1 && overview.crashed == 1 && overview.failed == 0)
        #expect(overview.latestRun?.id == second.id)
        #expect(try await store.projectOverviews().map(\.project.id) == [project.id])

        #expect(try await store.deleteRun(id: run.id))
        #expect(try await store.run(id: run.id) == nil)
        #expect(try await store.projectOverview(directory: "/p")?.runCount == 1)
    }

    @Test("the crash sweep marks runs whose process is gone or whose pid was reused; live and other hosts' runs stay")
    func crashSweepWithRealProcesses() async throws {
        let store = try AgentLogStore.inMemory()
        let project = try await store.upsertProject(directory: "/p")
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["30"]
        try sleeper.run()
        defer { if sleeper.isRunning { kill(sleeper.processIdentifier, SIGKILL) } }
        let live = ProcessIdentity.of(pid: sleeper.processIdentifier)
        #expect(live.startToken != nil)
        let alive = try await store.createRun(NewRun(projectId: project.id, process: live))
        // The same pid, but recorded as started at another time: the pid now belongs to someone else.
        let reused = try await store.createRun(NewRun(projectId: project.id, process: ProcessIdentity(pid: live.pid, startToken: "0:1")))
        let remote = try await store.createRun(NewRun(projectId: project.id, process: ProcessIdentity(pid: 1, startToken: "x"), host: "other-host"))
        // A wrapper alive keeps a run whose own process is gone alive.
        let wrapped = try await store.createRun(NewRun(projectId: project.id, process: ProcessIdentity(pid: 999_999, startToken: "gone"),
                                                       wrapper: .current))

        // No process recorded yet (created before its process started): not judged.
        let unstarted = try await store.createRun(NewRun(projectId: project.id, process: nil))

        var marked = try await store.detectCrashedRuns(at: 50_000)
        #expect(marked.map(\.id) == [reused.id])
        #expect(marked.first?.status == .crashed && marked.first?.endedAt == 50_000)

        kill(sleeper.processIdentifier, SIGKILL)
        sleeper.waitUntilExit()
        marked = try await store.detectCrashedRuns()
        #expect(marked.map(\.id) == [alive.id])
        #expect(try await store.run(id: remote.id)?.status == .running)
        #expect(try await store.run(id: wrapped.id)?.status == .running)
        #expect(try await store.run(id: unstarted.id)?.status == .running)
        #expect(try await store.detectCrashedRuns().isEmpty, "a second sweep finds nothing new")
    }
}
