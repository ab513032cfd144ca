import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to 127.0.0.1 for the tests that must write a request byte for byte
/// (an HTTP client sets `Host` itself) or read a stream as it comes.
public enum LoopbackSocket {
    /// A socket connected to 127.0.0.1:`port`, or nil when nothing listens there. The caller
    /// closes it.
    public static func connect(port: Int) -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            return nil
        }
        // A server that never answers ends the wait after 30 s instead of hanging the run.
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }

    /// Sends `text` whole on `descriptor`.
    public static func send(_ text: String, on descriptor: Int32) {
        _ = Array(text.utf8).withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// The first line of what answers `request` on 127.0.0.1:`port` (a status line), or "" when
    /// nothing listens.
    ///
    /// The socket is read on a thread of its own: a test blocked in `recv` on one of the few
    /// cooperative threads could starve the very server it waits for (its handlers are tasks).
    public static func statusLine(port: Int, request: String) async -> String {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: blockingStatusLine(port: port, request: request)) }
        }
    }

    private static func blockingStatusLine(port: Int, request: String) -> String {
        guard let descriptor = connect(port: port) else { return "" }
        defer { close(descriptor) }
        send(request, on: descriptor)
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).components(separatedBy: "\r\n").first ?? ""
    }
}
