import AgentLogJSON
import AgentLogHistory
import AgentLogStore
import AgentLogSQLite
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogHooks

/// A database created and migrated by the store, and hooks run against it in-process.
struct HookFixture {
    let folder: TemporaryFolder
    let path: String
    let store: AgentLogStore
    var runner: HookRunner { HookRunner(databasePath: path) }

    init() throws {
        folder = try TemporaryFolder()
        path = folder.path + "/agentlog.db"
        store = try AgentLogStore.open(at: path)
    }

    /// Every payload of a corpus hook file (a JSON array), as the bytes it was logged as. (Some
    /// hold lone UTF-16 surrogate escapes, which Foundation's parser refuses and Claude Code
    /// sends: the array is split with agentlog's own scanner.)
    static func payloads(_ name: String) throws -> [[UInt8]] {
        let bytes = Array(try Data(contentsOf: Corpus.root.appendingPathComponent("hooks/\(name)")))
        return try bytes.withUnsafeBytes { raw in
            let json = JSONScanner(raw)
            let array = try json.scanValue(at: 0)
            var elements: [JSONSpan] = []
            json.elements(of: array, into: &elements)
            return elements.map { Array(bytes[$0.start..<$0.end]) }
        }
    }

    /// What MANIFEST.md says a hook file holds: payloads per event, and records that are not
    /// payloads at all.
    static func manifest(_ name: String) throws -> (events: [String: Int], others: Int) {
        let text = try String(contentsOf: Corpus.root.appendingPathComponent("MANIFEST.md"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("| `hooks/\(name)`") })
        let notable = String(line.split(separator: "|").last ?? "")
        if let range = notable.range(of: "payloads: ") {
            var events: [String: Int] = [:]
            for pair in notable[range.upperBound...].prefix(while: { $0 != ";" }).split(separator: ",") {
                let parts = pair.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                events[parts[0]] = Int(parts[1])
            }
            return (events, 0)
        }
        let count = Int(notable.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }) ?? -1
        return ([:], count)
    }
}

@Suite("Hook events")
struct HookTests {
    static let files = try! FileManager.default.contentsOfDirectory(atPath: Corpus.root.appendingPathComponent("hooks").path).sorted()

    @Test("every payload of every corpus hook file becomes one event of its type; what is not a payload is set aside",
          arguments: files)
    func corpusFile(_ name: String) throws {
        let fixture = try HookFixture()
        let payloads = try HookFixture.payloads(name)
        let (expected, others) = try HookFixture.manifest(name)
        #expect(payloads.count == expected.values.reduce(0, +) + others)
        var rejected = 0
        let start: Int64 = 1_780_000_000_000
        for (index, payload) in payloads.enumerated() {
            // A minute apart: repeated notifications with identical payloads are distinct events.
            let result = fixture.runner.run(payload: payload, receivedAt: start + Int64(index) * 60_000)
            #expect(result.exitCode == 0)
            if result.outcome == "rejected" { rejected += 1 }
        }
        #expect(rejected == others)
        let events = try fixture.store.events(EventQuery())
        #expect(Dictionary(grouping: events, by: \.type).mapValues(\.count) == expected)
        #expect(events.allSatisfy { $0.channel == "hook" })
        // seq counts 1, 2, … within each session.
        for (_, session) in Dictionary(grouping: events, by: \.session) {
            #expect(session.map(\.seq).sorted() == Array(1...Int64(session.count)))
        }
        if others > 0 {
            let kept = try FileManager.default.contentsOfDirectory(atPath: fixture.path + ".spool/rejected")
            #expect(kept.count == others)
        }
    }

    @Test("the same payload delivered twice at once is one event; identical payloads a minute apart are two")
    func duplicateDelivery() throws {
        let fixture = try HookFixture()
        let notification = try HookFixture.payloads("pwd__notification.json")[0]
        let time: Int64 = 1_780_000_000_000
        #expect(fixture.runner.run(payload: notification, receivedAt: time).outcome == "stored")
        #expect(fixture.runner.run(payload: notification, receivedAt: time + 4).outcome == "duplicate")
        #expect(fixture.runner.run(payload: notification, receivedAt: time + 60_000).outcome == "stored")
        #expect(try fixture.store.events(EventQuery()).count == 2)
    }

    @Test("a locked database spools the payload within about a second; the next hook replays it exactly once")
    func spoolWhenLocked() throws {
        let fixture = try HookFixture()
        let payloads = try HookFixture.payloads("pwd__pre_tool_use.json")
        // Another writer holds the database.
        let blocker = try AgentLogStore.open(at: fixture.path)
        let started = Date()
        let blocked = try blocker.holdingWriteLock { fixture.runner.run(payload: payloads[0]) }
        #expect(blocked.outcome == "spooled", "\(blocked.stderr)")
        #expect(blocked.exitCode == 0)
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(try fixture.store.events(EventQuery()).isEmpty)
        // A missing database is created by the hook itself, with the whole schema.
        let elsewhere = HookRunner(databasePath: fixture.folder.path + "/new/not-yet.db")
        #expect(elsewhere.run(payload: payloads[1]).outcome == "stored")
        let created = try AgentLogStore.open(at: fixture.folder.path + "/new/not-yet.db", migrate: false)
        #expect(try created.migrations().allSatisfy(\.applied))
        #expect(try created.events(EventQuery()).count == 1)

        #expect(fixture.runner.run(payload: payloads[2]).outcome == "stored")
        let events = try fixture.store.events(EventQuery())
        #expect(events.count == 2)
        #expect(Set(events.map { try? JSONSerialization.jsonObject(with: Data($0.payload.utf8)) as? [String: Any] }
            .compactMap { $0?["tool_use_id"] as? String }).count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.path + ".spool").filter { $0.hasSuffix(".hook") }.isEmpty)
        // Replaying again (the file is gone) adds nothing.
        #expect(try fixture.runner.replayAll() == 0)
        #expect(try fixture.store.events(EventQuery()).count == 2)
    }

    @Test("a spool beside the database that cannot be written falls back to this user's folder under /tmp, and replay reads both")
    func fallbackSpool() throws {
        let folder = try TemporaryFolder()
        // A database folder that is a file: neither the database nor the spool beside it can be made.
        _ = try folder.write("blocked", Data("not a folder".utf8))
        let path = folder.path + "/blocked/agentlog.db"
        let spool = HookSpool(databasePath: path)
        defer { try? FileManager.default.removeItem(atPath: spool.fallback) }
        let result = HookRunner(databasePath: path).run(payload: try HookFixture.payloads("pwd__pre_tool_use.json")[0])
        #expect(result.outcome == "spooled" && result.exitCode == 0)
        #expect(result.stderr.contains(spool.fallback), "\(result.stderr)")
        #expect(spool.hasPending && spool.pending(limit: 10).count == 1)
        var info = stat()
        #expect(lstat(HookSpool.fallbackRoot, &info) == 0 && info.st_mode & 0o777 == 0o700)
        // A fallback folder others may write to is never read (they could plant events).
        chmod(spool.fallback, 0o777)
        #expect(!spool.hasPending && spool.pending(limit: 10).isEmpty)
        chmod(spool.fallback, 0o700)
        // Once the database can be made, replay takes the payload from the fallback.
        try FileManager.default.removeItem(atPath: folder.path + "/blocked")
        try FileManager.default.createDirectory(atPath: folder.path + "/blocked", withIntermediateDirectories: false)
        #expect(try HookRunner(databasePath: path).replayAll() == 1)
        #expect(!spool.hasPending)
        #expect(try AgentLogStore.open(at: path).events(EventQuery()).count == 1)
    }

    @Test("a secret in a payload is masked in the stored event and its summary, recorded, and a second delivery is still one event")
    func payloadSecretsAreMasked() throws {
        let fixture = try HookFixture()
        let token = "ghp_" + String(repeating: "k3Y", count: 12)
        let payload = Array(#"{"hook_event_name":"UserPromptSubmit","session_id":"sec","cwd":"/p","prompt":"deploy with \#(token) now"}"#.utf8)
        #expect(fixture.runner.run(payload: payload).outcome == "stored")
        #expect(fixture.runner.run(payload: payload).outcome == "duplicate")
        let events = try fixture.store.events(EventQuery(session: "sec"))
        #expect(events.count == 1 && !events[0].payload.contains(token) && events[0].payload.contains("[REDACTED:github-token]"))
        #expect(try JSONSerialization.jsonObject(with: Data(events[0].payload.utf8)) is [String: Any])
        let secrets = try fixture.store.maskedSecrets()
        #expect(secrets.total == 1 && secrets.rows[0].location == "events.payload" && secrets.rows[0].kind == "github-token")
        let connection = try SQLiteConnection(path: fixture.path, busyMilliseconds: 1_000)
        let summaries = try connection.statement("SELECT COUNT(*) FROM hook_runs WHERE summary LIKE '%k3Yk3Y%'").runReturningInt()
        #expect(summaries == 0)
        // A failure whose error text holds the secret: the error log keeps it masked too.
        let failure = Array(#"{"hook_event_name":"PostToolUseFailure","session_id":"sec","cwd":"/p","tool_name":"Bash","tool_use_id":"t1","tool_input":{"command":"gh auth"},"error":"bad credentials \#(token)"}"#.utf8)
        #expect(fixture.runner.run(payload: failure).outcome == "stored")
        let errors = try connection.statement("SELECT error FROM tool_errors WHERE session_id = 'sec'")
        #expect(try errors.step() && errors.text(0) == "bad credentials [REDACTED:github-token]")
    }

    @Test("agents, file claims and the error log follow the events")
    func derivedState() throws {
        let fixture = try HookFixture()
        let time: Int64 = 1_780_000_000_000
        func hook(_ json: String, at offset: Int64) {
            let result = fixture.runner.run(payload: Array(json.utf8), receivedAt: time + offset)
            #expect(result.outcome == "stored", "\(result.stderr)")
        }
        hook(#"{"hook_event_name":"SessionStart","session_id":"s1","cwd":"/p","source":"startup"}"#, at: 0)
        hook(#"{"hook_event_name":"SubagentStart","session_id":"s1","cwd":"/p","agent_id":"a1","agent_type":"Explore"}"#, at: 1)
        hook(#"{"hook_event_name":"PostToolUse","session_id":"s1","cwd":"/p","agent_id":"a1","tool_name":"Edit","tool_use_id":"t1","tool_input":{"file_path":"/p/x.swift"}}"#, at: 2)
        hook(#"{"hook_event_name":"PostToolUseFailure","session_id":"s1","cwd":"/p","tool_name":"Bash","tool_use_id":"t2","tool_input":{"command":"swift test"},"error":"Tests failed"}"#, at: 3)
        hook(#"{"hook_event_name":"PostToolUseFailure","session_id":"s1","cwd":"/p","tool_name":"Bash","tool_use_id":"t3","tool_input":{"command":"swift test"},"error":"Tests failed"}"#, at: 4)
        hook(#"{"hook_event_name":"SubagentStop","session_id":"s1","cwd":"/p","agent_id":"a1","agent_type":"Explore"}"#, at: 5)
        let agents = try fixture.store.agents(now: time + 10)
        #expect(agents.count == 2)
        #expect(agents.first { $0.agentId == "a1" }?.status == "completed")
        #expect(agents.first { $0.agentId == "" }?.status == "running")
        let claims = try fixture.store.fileClaims()
        #expect(claims.map(\.path) == ["/p/x.swift"])
        #expect(claims.first?.agentId == "a1")
        // Two failed test runs are attempts 1 and 2; a passing run resolves both.
        hook(#"{"hook_event_name":"PostToolUse","session_id":"s1","cwd":"/p","tool_name":"Bash","tool_use_id":"t4","tool_input":{"command":"swift test"}}"#, at: 6)
        hook(#"{"hook_event_name":"SessionEnd","session_id":"s1","cwd":"/p","reason":"exit"}"#, at: 7)
        #expect(try fixture.store.agents(now: time + 10).first { $0.agentId == "" }?.status == "completed")
        // Without events for the idle limit, a running agent is shown as aborted.
        hook(#"{"hook_event_name":"SessionStart","session_id":"s2","cwd":"/p","source":"startup"}"#, at: 8)
        #expect(try fixture.store.agents(staleAfterMs: 1_000, now: time + 60_000).first { $0.session == "s2" }?.status == "aborted_stale")
    }

    @Test("a hooked session with no SessionEnd and no event for the idle limit is abandoned; an ended one is not")
    func abandonedSessions() async throws {
        let fixture = try HookFixture()
        let time: Int64 = 1_780_000_000_000
        for (json, offset) in [
            (#"{"hook_event_name":"SessionStart","session_id":"quiet","cwd":"/p","source":"startup"}"#, Int64(0)),
            (#"{"hook_event_name":"PreToolUse","session_id":"quiet","cwd":"/p","tool_name":"Bash","tool_use_id":"q1","tool_input":{"command":"ls"}}"#, 1_000),
            (#"{"hook_event_name":"SessionStart","session_id":"ended","cwd":"/p","source":"startup"}"#, 0),
            (#"{"hook_event_name":"SessionEnd","session_id":"ended","cwd":"/p","reason":"exit"}"#, 2_000),
            (#"{"hook_event_name":"SessionStart","session_id":"busy","cwd":"/p","source":"startup"}"#, 50 * 60_000),
        ] {
            #expect(fixture.runner.run(payload: Array(json.utf8), receivedAt: time + offset).outcome == "stored")
        }
        let abandoned = try await fixture.store.abandonedSessions(idleLimitMs: 30 * 60_000, at: time + 55 * 60_000)
        #expect(abandoned.map(\.session) == ["quiet"])
        #expect(abandoned.first?.status == "abandoned" && abandoned.first?.lastEventAt == time + 1_000)
        #expect(try await fixture.store.abandonedSessions(idleLimitMs: 60 * 60_000, at: time + 55 * 60_000).isEmpty)
    }

    @Test("after a compaction, SessionStart answers with the errors still open and the files other agents are editing")
    func additionalContextAfterCompaction() throws {
        let fixture = try HookFixture()
        let now = HookRunner.nowMilliseconds()
        func hook(_ json: String) -> HookRunner.Result { fixture.runner.run(payload: Array(json.utf8), receivedAt: now) }
        _ = hook(#"{"hook_event_name":"SessionStart","session_id":"other","cwd":"/p","source":"startup"}"#)
        _ = hook(#"{"hook_event_name":"PostToolUse","session_id":"other","cwd":"/p","tool_name":"Write","tool_use_id":"w1","tool_input":{"file_path":"/p/shared.swift"}}"#)
        _ = hook(#"{"hook_event_name":"UserPromptSubmit","session_id":"me","cwd":"/p","prompt":"make the tests pass"}"#)
        _ = hook(#"{"hook_event_name":"PostToolUseFailure","session_id":"me","cwd":"/p","tool_name":"Bash","tool_use_id":"b1","tool_input":{"command":"npm test"},"error":"3 tests failed\nexpected 2"}"#)
        #expect(hook(#"{"hook_event_name":"PreCompact","session_id":"me","cwd":"/p","trigger":"auto"}"#).stdout.isEmpty)
        let answer = hook(#"{"hook_event_name":"SessionStart","session_id":"me","cwd":"/p","source":"compact"}"#)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(answer.stdout)) as? [String: Any])
        let output = try #require(json["hookSpecificOutput"] as? [String: Any])
        #expect(output["hookEventName"] as? String == "SessionStart")
        let context = try #require(output["additionalContext"] as? String)
        #expect(context.contains("npm test") || context.contains("Bash (test error"))
        #expect(context.contains("3 tests failed"))
        #expect(context.contains("/p/shared.swift"))
        // A plain start says nothing.
        #expect(hook(#"{"hook_event_name":"SessionStart","session_id":"me2","cwd":"/q","source":"startup"}"#).stdout.isEmpty)
    }

    @Test("--guard-claims warns, or in strict mode blocks, an edit of a file another running agent of the project wrote")
    func guardClaims() throws {
        let fixture = try HookFixture()
        let now = HookRunner.nowMilliseconds()
        var runner = fixture.runner
        func hook(_ json: String, _ runner: HookRunner) -> HookRunner.Result { runner.run(payload: Array(json.utf8), receivedAt: now) }
        _ = hook(#"{"hook_event_name":"SessionStart","session_id":"a","cwd":"/p","source":"startup"}"#, runner)
        _ = hook(#"{"hook_event_name":"PostToolUse","session_id":"a","cwd":"/p","tool_name":"Write","tool_use_id":"w1","tool_input":{"file_path":"/p/app.swift"}}"#, runner)
        let edit = #"{"hook_event_name":"PreToolUse","session_id":"b","cwd":"/p","tool_name":"Edit","tool_use_id":"EDIT","tool_input":{"file_path":"/p/app.swift"}}"#
        // Off by default.
        #expect(hook(edit.replacingOccurrences(of: "EDIT", with: "e0"), runner).stdout.isEmpty)
        runner.claimGuard = .warn
        let warned = hook(edit.replacingOccurrences(of: "EDIT", with: "e1"), runner)
        #expect(warned.exitCode == 0)
        let json = try JSONSerialization.jsonObject(with: Data(warned.stdout)) as? [String: Any]
        let context = (json?["hookSpecificOutput"] as? [String: Any])?["additionalContext"] as? String
        #expect(context?.contains("/p/app.swift") == true)
        runner.claimGuard = .strict
        let blocked = hook(edit.replacingOccurrences(of: "EDIT", with: "e2"), runner)
        #expect(blocked.exitCode == 2)
        #expect(blocked.stderr.contains("/p/app.swift"))
        // Its own file, another file, or once the other agent ended: nothing to say. The same
        // file from another working directory is still the same file.
        #expect(hook(edit.replacingOccurrences(of: "\"b\"", with: "\"a\"").replacingOccurrences(of: "EDIT", with: "e3"), runner).exitCode == 0)
        #expect(hook(edit.replacingOccurrences(of: "/p/app.swift", with: "/p/other.swift").replacingOccurrences(of: "EDIT", with: "e4"), runner).exitCode == 0)
        #expect(hook(edit.replacingOccurrences(of: "\"/p\"", with: "\"/q\"").replacingOccurrences(of: "EDIT", with: "e6"), runner).exitCode == 2)
        _ = hook(#"{"hook_event_name":"SessionEnd","session_id":"a","cwd":"/p","reason":"exit"}"#, runner)
        #expect(hook(edit.replacingOccurrences(of: "EDIT", with: "e5"), runner).exitCode == 0)
        // Every call was stored, blocked or not.
        #expect(try fixture.store.events(EventQuery(session: "b")).count == 6)  // e3 was session a's
    }

    @Test("--guard-claims also sees a claim announced through the store (MCP's claim_files) until it is released or expires")
    func guardAnnouncedClaims() throws {
        let fixture = try HookFixture()
        var runner = fixture.runner
        runner.claimGuard = .strict
        let edit = #"{"hook_event_name":"PreToolUse","session_id":"b","cwd":"/p","tool_name":"Edit","tool_use_id":"EDIT","tool_input":{"file_path":"/p/app.swift"}}"#
        func attempt(_ id: String) -> HookRunner.Result {
            runner.run(payload: Array(edit.replacingOccurrences(of: "EDIT", with: id).utf8), receivedAt: HookRunner.nowMilliseconds())
        }
        let claim = try fixture.store.claimFiles(["/p/app.swift"], by: ClaimHolder(session: "a"), project: "/p", intent: "renaming the view",
                                                 ttlSeconds: 600)
        #expect(claim.claimed == ["/p/app.swift"] && claim.conflicts.isEmpty)
        let blocked = attempt("e1")
        #expect(blocked.exitCode == 2)
        #expect(blocked.stderr.contains("claimed by another agent") && blocked.stderr.contains("renaming the view"))
        // The other agent asking through the store gets the same answer, and cannot claim it.
        #expect(try fixture.store.checkClaims(["/p/app.swift"], by: ClaimHolder(session: "b")).map(\.holder.session) == ["a"])
        #expect(try fixture.store.claimFiles(["/p/app.swift"], by: ClaimHolder(session: "b"), project: "/p", intent: nil, ttlSeconds: 60).claimed.isEmpty)
        #expect(try fixture.store.releaseFiles(nil, by: ClaimHolder(session: "a")) == 1)
        #expect(attempt("e2").exitCode == 0)
        // An announced claim past its time holds no more.
        let now = HookRunner.nowMilliseconds()
        _ = try fixture.store.claimFiles(["/p/app.swift"], by: ClaimHolder(session: "a"), project: "/p", intent: nil, ttlSeconds: 60, now: now - 120_000)
        #expect(attempt("e3").exitCode == 0)
        #expect(try fixture.store.checkClaims(["/p/app.swift"], by: ClaimHolder(session: "b")).isEmpty)
        // Nor one of an agent that has ended.
        _ = try fixture.store.claimFiles(["/p/app.swift"], by: ClaimHolder(session: "a"), project: "/p", intent: nil, ttlSeconds: 600)
        #expect(attempt("e4").exitCode == 2)
        _ = runner.run(payload: Array(#"{"hook_event_name":"SessionEnd","session_id":"a","cwd":"/p","reason":"exit"}"#.utf8),
                       receivedAt: HookRunner.nowMilliseconds())
        #expect(attempt("e5").exitCode == 0)
    }
}
