import Hummingbird
import NIOCore

/// The context of every request this server handles: Hummingbird's own, plus the address the
/// request came from (pairing records it; a request from this machine needs no token).
public struct ServerRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The peer's address, when the connection has one.
    public let remoteAddress: SocketAddress?

    /// The context of a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Whether the request came from this machine (a loopback address).
    public var isFromLoopback: Bool {
        guard let ip = remoteAddress?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }

    /// The peer's IP address as text, if it has one.
    public var peer: String? { remoteAddress?.ipAddress }
}
