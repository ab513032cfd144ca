import AgentLogStore
import AgentLogTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import AgentLogServer

/// A Server-Sent Events client over a plain loopback socket: it sends one GET with the given
/// headers and collects the `id:` of each event it reads. Its blocking reads run on a thread of
/// their own, never on the task threads that the server in the same process needs.
final class EventStreamClient: @unchecked Sendable {
    private let descriptor: Int32
    private var text = ""

    init(port: Int, path: String, lastEventID: String? = nil) throws {
        guard let descriptor = LoopbackSocket.connect(port: port) else { throw POSIXError(.ECONNREFUSED) }
        self.descriptor = descriptor
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
            + (lastEventID.map { "Last-Event-ID: \($0)\r\n" } ?? "") + "\r\n"
        LoopbackSocket.send(request, on: descriptor)
    }

    deinit { close(descriptor) }

    /// Reads for up to `seconds`, or until `until` holds for the ids read so far; returns the
    /// event ids read in all.
    @discardableResult
    func read(for seconds: Double, until: @escaping @Sendable ([Int64]) -> Bool = { _ in false }) async -> [Int64] {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.readBlocking(for: seconds, until: until)) }.start()
        }
    }

    private func readBlocking(for seconds: Double, until: ([Int64]) -> Bool) -> [Int64] {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline, !until(ids) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 { text += String(decoding: buffer.prefix(count), as: UTF8.self) }
            if count == 0 { break }
        }
        return ids
    }

    /// The ids of the events read so far.
    var ids: [Int64] {
        // By bytes: the chunked framing's "\r\n" is one Character to a String.
        text.utf8.split(separator: UInt8(ascii: "\n")).compactMap { line in
            line.starts(with: "id: ".utf8) ? Int64(String(decoding: line.dropFirst(4), as: UTF8.self)) : nil
        }
    }

    /// The whole response so far.
    var received: String { text }
}

@Suite("Live events over Server-Sent Events", .serialized)
struct LiveEventTests {
    /// The debug `agentlog-hook` that `swift test` builds.
    static let hook: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent(".build/debug/agentlog-hook").path
    }()

    /// Runs `body` with a live server on a free loopback port over a new database: the port, the
    /// database's path and the store.
    static func withServer(_ body: @escaping @Sendable (Int, String, AgentLogStore) async throws -> Void) async throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/agentlog.db"
        let store = try AgentLogStore.open(at: path)
        let app = AgentLogServer.application(store: store, options: ServerOptions(host: "127.0.0.1", port: 0))
        try await app.test(.live) { client in try await body(try #require(client.port), path, store) }
        withExtendedLifetime(folder) {}
    }

    /// Runs the real `agentlog-hook` process with one PostToolUse payload for `session`.
    static func runHook(db: String, session: String, file: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: hook)
        process.arguments = ["--db", db]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(#"{"hook_event_name":"PostToolUse","session_id":"\#(session)","cwd":"/p","tool_name":"Edit","tool_use_id":"\#(file)","tool_input":{"file_path":"/p/\#(file)"}}"#.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("a hook event written by a separate agentlog-hook process reaches a connected client")
    func hookEventReachesClient() async throws {
        try await Self.withServer { port, path, store in
            let stream = try EventStreamClient(port: port, path: "/api/v1/events/stream")
            await stream.read(for: 10) { _ in stream.received.contains("retry: 1000") }
            #expect(stream.received.hasPrefix("HTTP/1.1 200"))
            #expect(stream.received.lowercased().contains("content-type: text/event-stream"))
            try Self.runHook(db: path, session: "live-1", file: "a.swift")
            // How fast is measured by Benchmarks/live-load.py, on a quiet machine; here the
            // whole suite runs at once, so the bound only catches an event that never comes.
            let ids = await stream.read(for: 10) { !$0.isEmpty }
            #expect(ids.count == 1, "\(stream.received)")
            #expect(stream.received.contains(#""session":"live-1""#))
            // The same event reaches a stream of that one session, with its seq as the id.
            let session = try EventStreamClient(port: port, path: "/api/v1/sessions/live-1/events/stream?after=0")
            #expect(await session.read(for: 10) { !$0.isEmpty } == [1])
        }
    }

    /// Connects a client, writes one event with a hook process, and returns the event's id as
    /// the client saw it; the client then disconnects.
    static func firstEvent(port: Int, db: String) async throws -> Int64 {
        let client = try EventStreamClient(port: port, path: "/api/v1/events/stream")
        await client.read(for: 10) { _ in client.received.contains("retry") }
        try runHook(db: db, session: "s1", file: "one.swift")
        return try #require(await client.read(for: 10) { !$0.isEmpty }.last)
    }

    @Test("a client that reconnects with Last-Event-ID gets exactly the events it missed, no more")
    func reconnectGetsWhatWasMissed() async throws {
        try await Self.withServer { port, path, store in
            let seen = try await Self.firstEvent(port: port, db: path)  // and that client goes away
            for name in ["two.swift", "three.swift"] { try Self.runHook(db: path, session: "s2", file: name) }
            try Self.runHook(db: path, session: "s1", file: "four.swift")
            let all = try store.events(EventQuery()).map(\.id)
            let missed = all.filter { $0 > seen }
            #expect(missed.count == 3)
            let second = try EventStreamClient(port: port, path: "/api/v1/events/stream", lastEventID: String(seen))
            // Read on for a while after the last one arrived: nothing more may come.
            await second.read(for: 10) { $0.count >= missed.count }
            #expect(await second.read(for: 0.5) == missed)
            // Per session, the seq is the id: s1's stream after seq 1 has only four.swift.
            let session = try EventStreamClient(port: port, path: "/api/v1/sessions/s1/events/stream", lastEventID: "1")
            await session.read(for: 10) { !$0.isEmpty }
            #expect(await session.read(for: 0.3) == [2])
            #expect(session.received.contains("four.swift") && !session.received.contains("one.swift"))
        }
    }

    @Test("a change by another process is announced as event: change, and a bad Last-Event-ID is a 400")
    func changeNoticeAndBadHeader() async throws {
        try await Self.withServer { port, path, store in
            let stream = try EventStreamClient(port: port, path: "/api/v1/events/stream")
            await stream.read(for: 10) { _ in stream.received.contains("retry") }
            let other = try AgentLogStore.open(at: path)
            try await other.setSetting(json: #"{"theme":"dark"}"#, category: "ui")
            await stream.read(for: 10) { _ in stream.received.contains("event: change") }
            #expect(stream.received.contains("event: change"))
            let bad = try EventStreamClient(port: port, path: "/api/v1/events/stream", lastEventID: "yesterday")
            await bad.read(for: 10) { _ in bad.received.contains("}") }
            #expect(bad.received.hasPrefix("HTTP/1.1 400") && bad.received.contains("Last-Event-ID"))
            let unknown = try EventStreamClient(port: port, path: "/api/v1/sessions/nobody/events/stream")
            await unknown.read(for: 10) { _ in unknown.received.contains("}") }
            #expect(unknown.received.hasPrefix("HTTP/1.1 404"))
        }
    }
}
