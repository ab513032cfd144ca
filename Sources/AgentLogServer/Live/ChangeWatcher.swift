import AgentLogSQLite
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Notices every commit to the database, whoever made it — a hook process, `agentlog sync`,
/// `agentlog run`, an embedding app or this server — and wakes the live streams.
///
/// It polls `PRAGMA data_version` on a connection of its own: the value changes whenever another
/// connection, in any process, committed since the last call. In-process observation would see
/// none of the other processes' writes. A poll costs a few microseconds (SQLite reads the WAL
/// index in shared memory), so it runs ten times a second and a change reaches clients well
/// within a second. Every `heartbeat` without a change, subscribers get a ``Signal/heartbeat``
/// so that they write a keep-alive and notice clients that went away.
public final class ChangeWatcher: Service, Sendable {
    /// What a subscriber is woken with.
    public enum Signal: Sendable, Equatable {
        /// The database changed (the watcher's running count of changes).
        case changed(UInt64)
        /// Nothing changed for a while.
        case heartbeat
    }

    private struct State {
        var subscribers: [Int: AsyncStream<Signal>.Continuation] = [:]
        var nextID = 0
        var changes: UInt64 = 0
        var finished = false
    }

    private let path: String
    private let interval: Duration
    private let heartbeat: Duration
    private let state = NIOLockedValueBox(State())

    /// A watcher of the database at `path`, polling every `interval`.
    public init(path: String, interval: Duration = .milliseconds(100), heartbeat: Duration = .seconds(15)) {
        self.path = path
        self.interval = interval
        self.heartbeat = heartbeat
    }

    /// How many changes the watcher has seen so far.
    public var changes: UInt64 { state.withLockedValue { $0.changes } }

    /// A stream of signals, from now until the watcher stops (then the stream ends). A
    /// subscriber that falls behind gets only the latest signal: it reads what is new anyway.
    public func subscribe() -> AsyncStream<Signal> {
        let (stream, continuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingNewest(1))
        let id: Int? = state.withLockedValue { state in
            guard !state.finished else { return nil }
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLockedValue { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// How many streams are open.
    public var subscriberCount: Int { state.withLockedValue { $0.subscribers.count } }

    /// Polls until the service is shut down or cancelled, then ends every stream.
    public func run() async throws {
        defer { finish() }
        try await cancelWhenGracefulShutdown {
            let connection = try SQLiteConnection(path: self.path, busyMilliseconds: 100)
            var version = try Self.dataVersion(connection)
            let clock = ContinuousClock()
            var lastSignal = clock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: self.interval)
                let current = (try? Self.dataVersion(connection)) ?? version
                if current != version {
                    version = current
                    self.broadcast(changed: true)
                    lastSignal = clock.now
                } else if clock.now - lastSignal >= self.heartbeat {
                    self.broadcast(changed: false)
                    lastSignal = clock.now
                }
            }
        }
    }

    private static func dataVersion(_ connection: SQLiteConnection) throws -> Int64 {
        try connection.statement("PRAGMA data_version").runReturningInt() ?? 0
    }

    private func broadcast(changed: Bool) {
        state.withLockedValue { state in
            if changed { state.changes += 1 }
            let signal: Signal = changed ? .changed(state.changes) : .heartbeat
            for continuation in state.subscribers.values { continuation.yield(signal) }
        }
    }

    private func finish() {
        let continuations = state.withLockedValue { state in
            state.finished = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
