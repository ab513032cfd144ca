import Foundation
import ServiceLifecycle

/// Work the server repeats while it runs — `serve --sync` syncs transcripts with it — now and
/// then every `interval` after a round ends, until the server shuts down. Each round runs on a
/// thread of its own, so that a long sync holds no event loop, no task thread and none of the
/// pool the requests use; a server shutting down does not wait for a round to end (the process
/// is ending anyway, and a sync stopped anywhere resumes where it was).
public struct BackgroundLoop: Service {
    /// The time between the end of one round and the start of the next; nil for one round only.
    public var interval: Duration?
    /// One round; it reports its own problems (the loop goes on).
    public var work: @Sendable () -> Void

    /// A loop that runs `work` now and then every `interval` (only now when it is nil).
    public init(every interval: Duration?, _ work: @escaping @Sendable () -> Void) {
        self.interval = interval
        self.work = work
    }

    /// Runs rounds until the service is shut down or cancelled (or after the one round), then
    /// waits for the shutdown: a service that returns early would stop the whole server.
    public func run() async throws {
        let work = self.work
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let (done, finished) = AsyncStream.makeStream(of: Void.self)
            Thread {
                work()
                finished.finish()
            }.start()
            for await _ in done.cancelOnGracefulShutdown() {}
            guard !Task.isShuttingDownGracefully, let interval else { break }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        try? await gracefulShutdown()
    }
}
