import AgentLogTestSupport
import Foundation
import Testing
import AgentLogHistory
@testable import AgentLogStore

@Suite("Library: app sessions, messages, events and settings")
struct LibrarySessionTests {
    @Test("an app session: created, messages appended in order and saved at once, reloaded whole by another connection")
    func sessionRoundTrip() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/app.db"
        let store = try await AgentLogStore.open(path: path)
        let project = try await store.upsertProject(directory: "/work/app")
        let session = try await store.createSession(agent: "my-agent", projectId: project.id, title: "Refactor", at: 1_000)
        #expect(session.agent == "my-agent" && session.messageCount == 0 && session.title == "Refactor")
        var appended: [AppMessage] = []
        for index in 1...5 {
            let message = AppMessage(role: index % 2 == 1 ? "user" : "assistant", text: "message \(index) ✓", model: index % 2 == 0 ? "m1" : nil,
                                     metadata: index == 3 ? #"{"tool":"Edit"}"# : nil, timestamp: 1_000 + Int64(index))
            appended.append(try await store.appendMessage(message, to: session))
        }
        #expect(appended.map(\.seq) == [1, 2, 3, 4, 5])
        // Another connection (as after a restart) sees every message.
        let reopened = try AgentLogStore.open(at: path)
        let (loaded, messages) = try #require(try await reopened.loadSession(id: session.id))
        #expect(loaded.messageCount == 5 && loaded.lastSeq == 5 && loaded.updatedAt == 1_005)
        #expect(messages == appended)
        #expect(messages[2].metadata == #"{"tool":"Edit"}"#)
        #expect(try await reopened.loadSession(id: "nope") == nil)
        // The same session id twice for one agent is refused.
        await #expect(throws: StoreError.self) { try await store.createSession(agent: "my-agent", id: session.id) }
        // It is a session like any other: listed by `agentlog sessions`.
        #expect(try store.sessions(SessionQuery()).contains { $0.sessionId == session.id && $0.messages == 5 })
    }

    @Test("sessions are listed by recency; the message cap drops the oldest; deleting removes the messages")
    func recencyCapDelete() async throws {
        var store = try AgentLogStore.inMemory()
        store.messageCap = 3
        let old = try await store.createSession(id: "old", at: 1_000)
        let new = try await store.createSession(id: "new", at: 2_000)
        for index in 1...5 { try await store.appendMessage(AppMessage(role: "user", text: "\(index)", timestamp: 3_000 + Int64(index)), to: old) }
        #expect(try await store.appSessions().map(\.id) == ["old", "new"], "old was updated last")
        let (capped, messages) = try #require(try await store.loadSession(id: "old"))
        #expect(messages.map(\.text) == ["3", "4", "5"])
        #expect(messages.map(\.seq) == [3, 4, 5])
        #expect(capped.messageCount == 3 && capped.lastSeq == 5)
        #expect(try await store.appSessions(limit: 1).map(\.id) == ["old"])
        #expect(try await store.deleteSession(capped))
        #expect(try await store.loadSession(id: "old") == nil)
        await #expect(throws: StoreError.self) { try await store.appendMessage(AppMessage(role: "user", text: "x"), to: capped) }
        #expect(try await store.appSessions().map(\.id) == [new.id])

        // A batch larger than the cap keeps its newest messages, all or nothing.
        let batch = try await store.appendMessages((1...7).map { AppMessage(role: "assistant", text: "b\($0)") }, to: new)
        #expect(batch.map(\.seq) == Array(1...7))
        #expect(try await store.loadSession(id: new.id)?.messages.map(\.text) == ["b5", "b6", "b7"])
        store.messageCap = 0
        #expect(store.messageCap == 1, "a cap below 1 keeps one message")
        try await store.appendMessage(AppMessage(role: "user", text: "last"), to: new)
        let (one, kept) = try #require(try await store.loadSession(id: new.id))
        #expect(kept.map(\.text) == ["last"] && kept.first?.seq == 8 && one.messageCount == 1 && one.lastSeq == 8)
    }

    @Test("events get the next seq atomically, even from many writers at once; read after a seq")
    func eventsSeq() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/events.db"
        let first = try await AgentLogStore.open(path: path)
        let second = try AgentLogStore.open(at: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                let store = index % 2 == 0 ? first : second
                group.addTask { _ = try await store.appendEvent(session: "s", type: "tick", payload: #"{"n":\#(index)}"#) }
            }
            try await group.waitForAll()
        }
        let events = try await first.events(session: "s")
        #expect(events.map(\.seq) == Array(1...40))
        #expect(Set(events.map(\.payload)).count == 40)
        #expect(try await first.events(session: "s", after: 35).map(\.seq) == [36, 37, 38, 39, 40])
        #expect(try await first.appendEvent(session: "other", type: "x").seq == 1)
        await #expect(throws: StoreError.self) { try await first.appendEvent(session: "s", type: "bad", payload: "not json") }
    }

    @Test("observing events yields what this and other connections append, in order, after the seq given")
    func observe() async throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/observe.db"
        let store = try await AgentLogStore.open(path: path)
        try await store.appendEvent(session: "live", type: "before")
        let watcher = Task {
            var seen: [String] = []
            for try await event in store.observeEvents(session: "live", after: 1, pollInterval: .milliseconds(10)) {
                seen.append(event.type)
                if seen.count == 3 { break }
            }
            return seen
        }
        let other = try AgentLogStore.open(at: path)
        try await store.appendEvent(session: "live", type: "one")
        try await other.appendEvent(session: "live", type: "two")
        try await other.appendEvent(session: "elsewhere", type: "ignored")
        try await store.appendEvent(session: "live", type: "three")
        // A regression fails here instead of hanging the suite.
        let deadline = Task { try await Task.sleep(for: .seconds(10)); watcher.cancel() }
        #expect(try await watcher.value == ["one", "two", "three"])
        deadline.cancel()
    }

    struct Theme: Codable, Equatable { var dark: Bool; var fontSize: Int }

    @Test("settings: JSON by category, the app's own and each user's, replaced, listed and removed")
    func settings() async throws {
        let store = try AgentLogStore.inMemory()
        try await store.setSetting(Theme(dark: true, fontSize: 13), category: "appearance", user: "ana")
        try await store.setSetting(Theme(dark: false, fontSize: 11), category: "appearance")
        try await store.setSetting(json: #"{"model":"claude-opus-4-5"}"#, category: "defaults")
        #expect(try await store.setting(Theme.self, category: "appearance", user: "ana") == Theme(dark: true, fontSize: 13))
        #expect(try await store.setting(Theme.self, category: "appearance") == Theme(dark: false, fontSize: 11))
        #expect(try await store.setting(Theme.self, category: "appearance", user: "bo") == nil)
        try await store.setSetting(Theme(dark: true, fontSize: 20), category: "appearance", user: "ana")
        #expect(try await store.setting(Theme.self, category: "appearance", user: "ana")?.fontSize == 20)
        #expect(try await store.settings().keys.sorted() == ["appearance", "defaults"])
        #expect(try await store.settingJSON(category: "defaults") == #"{"model":"claude-opus-4-5"}"#)
        await #expect(throws: StoreError.self) { try await store.setSetting(json: "{oops", category: "broken") }
        await #expect(throws: StoreError.self) { try await store.setting(Theme.self, category: "defaults") }
        #expect(try await store.removeSetting(category: "appearance", user: "ana"))
        #expect(try await store.settings(user: "ana").isEmpty)
        #expect(try await store.removeSetting(category: "appearance", user: "ana") == false)
    }
}
