import Foundation

/// A bounded first-in, first-out queue between one producing and one consuming thread.
final class Channel<Element: Sendable>: @unchecked Sendable {
    enum Received {
        case value(Element)
        case closed
    }

    private let condition = NSCondition()
    private var buffer: [Element] = []
    private var head = 0
    private var isClosed = false
    private var isCancelled = false
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Waits for room and appends; returns `false` if the consumer cancelled.
    func send(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while buffer.count - head >= capacity, !isCancelled { condition.wait() }
        guard !isCancelled else { return false }
        buffer.append(element)
        condition.broadcast()
        return true
    }

    /// The next element, waiting for one; `.closed` once the channel is closed and drained.
    func receive() -> Received {
        condition.lock()
        defer { condition.unlock() }
        while head == buffer.count {
            if isClosed { return .closed }
            condition.wait()
        }
        let element = buffer[head]
        head += 1
        if head > 64, head * 2 > buffer.count {
            buffer.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return .value(element)
    }

    /// No more elements will be sent.
    func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gives up: pending and future sends are refused.
    func cancel() {
        condition.lock()
        isCancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Counts threads down to the last one.
final class Countdown: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int

    init(_ count: Int) { remaining = count }

    /// Marks one thread finished; `true` for the last.
    func finish() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        remaining -= 1
        return remaining == 0
    }
}

/// The folders a walk has still to list, shared by the threads that walk: each takes the next
/// folder and hands back the folders it found in it. The walk is done when no folder is left
/// and no thread is listing one (which could find more); it stops after a million folders.
final class FolderQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var folders: [String]
    private var listing = 0
    private var taken = 0

    init(_ root: String) { folders = [root] }

    /// The next folder to list, waiting while other threads may still find some; `nil` when
    /// the walk is done. Each folder taken is handed back with ``finish(found:)``.
    func take() -> String? {
        condition.lock()
        defer { condition.unlock() }
        while folders.isEmpty, listing > 0 { condition.wait() }
        guard taken < 1_000_000, let folder = folders.popLast() else { return nil }
        taken += 1
        listing += 1
        return folder
    }

    /// The caller has listed the folder it took and found `found` in it.
    func finish(found: [String]) {
        condition.lock()
        folders += found
        listing -= 1
        condition.broadcast()
        condition.unlock()
    }
}

/// A value computed on a thread of its own while the caller goes on; ``value()`` waits for it.
final class Background<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result { try work() }
            done.signal()
        }
        thread.start()
    }

    /// The value, once computed (rethrowing what the work threw).
    func value() throws -> Value {
        done.wait()
        done.signal()  // later calls return at once
        return try result!.get()
    }
}
