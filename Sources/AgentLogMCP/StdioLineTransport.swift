import AgentLogJSON
import Foundation
import Logging
import MCP

/// MCP's stdio transport, one JSON-RPC message per line, with a thread that blocks in `read`
/// on standard input: a message is handled the moment it arrives. (The SDK's `StdioTransport`
/// polls a non-blocking descriptor every 10 ms, which put 5–10 ms under every call.) At the end
/// of input the stream of messages ends once every request read has been answered, so
/// `echo '{…}' | agentlog mcp` prints its answer.
public actor StdioLineTransport: Transport {
    /// Where the SDK logs transport events: nowhere (standard output is the protocol's).
    public nonisolated let logger = Logger(label: "agentlog.mcp.stdio", factory: { _ in SwiftLogNoOpLogHandler() })
    private let input: Int32
    private let output: Int32
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var started = false
    private let pending = PendingRequests()

    /// A transport over `input` and `output` (standard input and output by default).
    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        self.input = input
        self.output = output
        (messages, continuation) = AsyncThrowingStream.makeStream()
    }

    /// Starts the reading thread; the stream of messages ends at end of input.
    public func connect() async throws {
        guard !started else { return }
        started = true
        let input = self.input, continuation = self.continuation, requests = self.pending
        let reader = Thread {
            var unread: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                unread.append(contentsOf: buffer[..<count])
                var start = 0
                while let newline = unread[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    if newline > start {
                        let message = Data(unread[start..<newline])
                        requests.add(PendingRequests.requests(in: message))
                        continuation.yield(message)
                    }
                    start = newline + 1
                }
                unread.removeFirst(start)
            }
            requests.whenAnswered { continuation.finish() }
        }
        reader.name = "agentlog mcp stdin"
        reader.start()
    }

    /// Ends the stream of messages.
    public func disconnect() async {
        continuation.finish()
    }

    /// Writes `data` and a newline, all of it.
    public func send(_ data: Data) async throws {
        var bytes = [UInt8](data)
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
            }
            offset += written
        }
        pending.remove(PendingRequests.responses(in: data))
    }

    /// The messages read, one per line.
    public nonisolated func receive() -> AsyncThrowingStream<Data, any Error> { messages }
}

/// The requests read from input that are not answered yet (by id), and what to do once none is.
final class PendingRequests: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: Set<String> = []
    private var onIdle: (@Sendable () -> Void)?

    func add(_ requests: [String]) {
        lock.withLock { ids.formUnion(requests) }
    }

    func remove(_ responses: [String]) {
        let action: (@Sendable () -> Void)? = lock.withLock {
            ids.subtract(responses)
            guard ids.isEmpty, let action = onIdle else { return nil }
            onIdle = nil
            return action
        }
        action?()
    }

    /// Runs `action` now if every request was answered, else when the last one is.
    func whenAnswered(_ action: @escaping @Sendable () -> Void) {
        let now: Bool = lock.withLock {
            if ids.isEmpty { return true }
            onIdle = action
            return false
        }
        if now { action() }
    }

    /// The ids of the requests (messages with a method and an id) in a message or a batch.
    static func requests(in message: Data) -> [String] {
        ids(in: message) { has in has("method") }
    }

    /// The ids of the responses (messages with a result or an error) in a message or a batch.
    static func responses(in message: Data) -> [String] {
        ids(in: message) { has in has("result") || has("error") }
    }

    /// The ids of the message's objects (one, or a batch's) that have the top-level keys
    /// `wanted` asks for. A single object is read with the fast scanner; batches, rare, by
    /// Foundation (a batch's answer is a batch, so both sides name ids the same way).
    private static func ids(in message: Data, _ wanted: (_ has: (StaticString) -> Bool) -> Bool) -> [String] {
        if message.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) == UInt8(ascii: "[") {
            let batch = (try? JSONSerialization.jsonObject(with: message)) as? [[String: Any]] ?? []
            return batch.compactMap { object in
                guard let id = object["id"], !(id is NSNull), wanted({ object[$0.description] != nil }) else { return nil }
                return "\(id)"
            }
        }
        return message.withUnsafeBytes { raw -> [String] in
            let json = JSONScanner(raw)
            var members: [JSONScanner.Member] = []
            guard (try? json.scanObject(into: &members)) != nil, let id = json.value("id", in: members), id.kind != .null,
                  wanted({ json.value($0, in: members) != nil }) else { return [] }
            return [id.kind == .string ? json.string(id) ?? "" : json.raw(id)]
        }
    }
}
