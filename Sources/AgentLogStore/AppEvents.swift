import AgentLogSQLite
import AgentLogDatabase
import AgentLogJSON
import Foundation
import GRDB

extension AgentLogStore {
    /// Appends an event to a session's log with the next `seq` (1, 2, … per session, assigned
    /// in the same transaction, so concurrent writers never share one). `payload` must be JSON.
    ///
    /// ```swift
    /// let event = try await store.appendEvent(session: session.id, type: "job.started", payload: #"{"job":"j1"}"#)
    /// for try await next in store.observeEvents(session: session.id, after: event.seq) { print(next.type) }
    /// ```
    @discardableResult
    public func appendEvent(session: String, channel: String = "app", type: String, payload: String = "{}",
                            at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> EventRecord {
        guard JSONScanner.isDocument(payload) else {
            throw StoreError.invalidValue(what: "event payload", reason: "it is not JSON")
        }
        // The hash hooks store too (duplicate delivery is found by it).
        let payloadHash = FNV1a.hash(payload.utf8)
        return try await write { db in
            let insert = try RawStatement.cached(db, SharedStatements.insertEvent)
            SharedStatements.bindEvent(insert, session: session, channel: channel, type: type, timestamp: time,
                                       payload: Array(payload.utf8), payloadHash: payloadHash)
            guard let row = try insert.runReturning({ ($0.int64(0), $0.int64(1)) }), let id = row.0, let seq = row.1 else {
                throw StoreError.database(path: path ?? ":memory:", reason: "the event was not stored")
            }
            return EventRecord(id: id, session: session, seq: seq, channel: channel, type: type, timestamp: time, payload: payload)
        }
    }

    /// A session's events after `seq` (0: from the start), in order.
    public func events(session: String, after seq: Int64 = 0, limit: Int? = nil) async throws(StoreError) -> [EventRecord] {
        let query = EventQuery(session: session, after: seq, limit: limit)
        return try await read { db in try AgentLogStore.events(db, query) }
    }

    /// The events of a session after `seq` as they are stored — by this process or any other —
    /// until the task that iterates is cancelled. New events are looked for every
    /// `pollInterval` (an indexed range read, cheap).
    public func observeEvents(session: String, after seq: Int64 = 0,
                              pollInterval: Duration = .milliseconds(50)) -> AsyncThrowingStream<EventRecord, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var last = seq
                do {
                    while !Task.isCancelled {
                        let batch = try await events(session: session, after: last, limit: 1000)
                        for event in batch { continuation.yield(event) }
                        if let newest = batch.last { last = newest.seq }
                        if batch.count < 1000 { try await Task.sleep(for: pollInterval) }
                    }
                    continuation.finish()
                } catch is CancellationError {
                    continuation.finish()
                } catch StoreError.cancelled {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
