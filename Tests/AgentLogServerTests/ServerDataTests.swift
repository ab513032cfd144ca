import AgentLogStore
import AgentLogTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AgentLogServer

@Suite("Settings, workspaces, layouts and the log through the API")
struct ServerDataTests {
    let folder: TemporaryFolder
    let store: AgentLogStore

    init() throws {
        folder = try TemporaryFolder()
        store = try AgentLogStore.open(at: folder.path + "/agentlog.db")
    }

    func json(_ body: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    @Test("settings by category, the app's and a user's, are stored, read, replaced and removed; bad bodies are 400s")
    func settings() async throws {
        let options = ServerOptions()
        let put = try await send("/api/v1/settings/ui", method: .put, body: #"{"theme":"dark"}"#, options: options, store: store)
        #expect(put.status == 200 && json(put.body)["schema"] as? String == "agentlog.settings.v1")
        _ = try await send("/api/v1/settings/ui?user=ana", method: .put, body: #"{"theme":"light"}"#, options: options, store: store)
        #expect(try await store.settingJSON(category: "ui") == #"{"theme":"dark"}"#)
        #expect(try await store.settingJSON(category: "ui", user: "ana") == #"{"theme":"light"}"#)
        let read = json(try await send("/api/v1/settings?user=ana", options: options, store: store).body)
        #expect(((read["rows"] as? [[String: Any]])?.first?["value"] as? [String: Any])?["theme"] as? String == "light")
        #expect(try await send("/api/v1/settings/ui", method: .put, body: "{not json", options: options, store: store).status == 400)
        #expect(try await send("/api/v1/settings/ui", method: .delete, options: options, store: store).status == 200)
        #expect(try await send("/api/v1/settings/ui", method: .delete, options: options, store: store).status == 404)
    }

    @Test("a workspace is new, inactive once a session ran under it, active while a run runs there, archived after 30 idle days")
    func workspaces() async throws {
        let options = ServerOptions()
        let added = try await send("/api/v1/workspaces", method: .post, body: #"{"path":"/code/app","name":"App"}"#, options: options, store: store)
        #expect(added.status == 201)
        #expect(try await store.workspaces().first?.status == .new)
        let project = try await store.upsertProject(directory: "/code/app/server")
        let run = try await store.createRun(NewRun(projectId: project.id, args: ["swift", "test"]))
        #expect(try await store.workspaces().first?.status == .active)
        _ = try await store.updateRunStatus(id: run.id, .completed, exitCode: 0)
        let now = AgentLogStore.now()
        #expect(try await store.workspaces(at: now).first?.status == .inactive)
        #expect(try await store.workspaces(at: now + 31 * 86_400_000).first?.status == .archived)
        // A folder whose name only starts the same is not under it.
        _ = try await store.addWorkspace(name: "Other", path: "/code/ap")
        #expect(try await store.workspaces().first { $0.name == "Other" }?.status == .new)
        #expect(try await send("/api/v1/workspaces", method: .post, body: #"{"path":"relative"}"#, options: options, store: store).status == 400)
        let id = try #require(try await store.workspaces().first?.id)
        #expect(try await send("/api/v1/workspaces/\(id)", method: .delete, options: options, store: store).status == 200)
        #expect(try await send("/api/v1/workspaces/\(id)", method: .delete, options: options, store: store).status == 404)
    }

    @Test("a client's tiles are stored and read back; the log is read after an id and by level")
    func layoutsAndLogs() async throws {
        let options = ServerOptions()
        _ = try await send("/api/v1/layouts/phone/usage", method: .put, body: #"{"x":0,"w":2}"#, options: options, store: store)
        let layout = json(try await send("/api/v1/layouts/phone", options: options, store: store).body)
        #expect((layout["tiles"] as? [[String: Any]])?.first?["tile"] as? String == "usage")
        #expect(try await send("/api/v1/layouts/phone/usage", method: .delete, options: options, store: store).status == 200)
        let first = try await store.log(.info, component: "serve", "started")
        try await store.log(.error, component: "sync", "a file vanished", data: #"{"file":"/x.jsonl"}"#)
        let after = json(try await send("/api/v1/logs?after=\(first.id)", options: options, store: store).body)
        #expect((after["rows"] as? [[String: Any]])?.map { $0["message"] as? String } == ["a file vanished"])
        let errors = json(try await send("/api/v1/logs?level=error", options: options, store: store).body)
        #expect((errors["rows"] as? [Any])?.count == 1)
        #expect(try await send("/api/v1/logs?level=loud", options: options, store: store).status == 400)
    }
}
