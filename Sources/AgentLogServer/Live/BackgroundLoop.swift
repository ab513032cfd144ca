import NIOPosix
import ServiceLifecycle

/// Work the server repeats while it runs — `serve --sync` syncs transcripts with it — now and
/// then every `interval` after a round ends, until the server shuts down. Each round runs on
/// NIO's thread pool, so that a long sync never holds an event loop or a task thread.
public struct BackgroundLoop: Service {
    /// The time between the end of one round and the start of the next.
    public var interval: Duration
    /// One round; it reports its own problems (the loop goes on).
    public var work: @Sendable () -> Void

    /// A loop that runs `work` now and then every `interval`.
    public init(every interval: Duration, _ work: @escaping @Sendable () -> Void) {
        self.interval = interval
        self.work = work
    }

    /// Runs rounds until the service is shut down or cancelled.
    public func run() async throws {
        let work = self.work
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await NIOThreadPool.singleton.runIfActive { work() }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
