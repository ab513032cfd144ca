import AgentLogDatabase
import AgentLogJSON
import AgentLogStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOPosix
import ServiceLifecycle

/// The live routes: the event log as Server-Sent Events, for all sessions and for one, and one
/// session's event log as JSON.
///
/// Every event goes out with its `id:` — the event's id in the whole log, or its `seq` in one
/// session's stream — so a client that reconnects with `Last-Event-ID` (an `EventSource` does it
/// by itself) gets exactly the events it missed. The ``ChangeWatcher`` wakes each stream when any
/// process commits; the stream then reads what is new after its own position, and also says
/// `event: change`, so a page can refresh what it shows (new messages from a sync, a run ending).
struct EventStreamRoutes: Sendable {
    let store: AgentLogStore
    let pool: NIOThreadPool
    let watcher: ChangeWatcher

    /// Events a stream reads at once; a stream that is far behind reads page after page.
    static let pageSize = 500

    func add(to router: Router<ServerRequestContext>) {
        let api = router.group("api/v1")
        api.get("events/stream") { request, _ in
            let query = QueryParameters(request)
            try query.allowOnly(["after", "type"])
            let type = query.string("type")
            let start = try await startPosition(request, query, session: nil)
            return stream(session: nil, type: type, after: start)
        }
        api.get("sessions/:id/events") { request, context in
            let query = QueryParameters(request)
            try query.allowOnly(["after", "type", "limit"])
            let session = try await eventSession(try context.parameters.decoded("id"))
            let events = EventQuery(session: session, after: try query.count("after"), type: query.string("type"),
                                    limit: try query.int("limit", in: 1...10_000, default: 1_000))
            return try Response.json(EventList(rows: try await blocking { try store.events(events) }))
        }
        api.get("sessions/:id/events/stream") { request, context in
            let query = QueryParameters(request)
            try query.allowOnly(["after", "type"])
            let session = try await eventSession(try context.parameters.decoded("id"))
            let start = try await startPosition(request, query, session: session)
            return stream(session: session, type: query.string("type"), after: start)
        }
    }

    /// The full session id for `text`: a synced session's id or unique prefix, or the id of a
    /// session that so far has only hook events (a running session not synced yet); else a 404.
    private func eventSession(_ text: String) async throws -> String {
        try await blocking {
            do {
                return try store.resolveSession(text).sessionId
            } catch let error as StoreError {
                guard case .notFound = error, try store.lastEventPosition(session: text) != nil else { throw error }
                return text
            }
        }
    }

    /// Where a stream starts: after `Last-Event-ID`, else after `after`, else at the end of the
    /// log (only new events).
    private func startPosition(_ request: Request, _ query: QueryParameters, session: String?) async throws -> Int64 {
        if let header = request.headers[HTTPField.Name("Last-Event-ID")!] {
            guard let value = Int64(header.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                throw APIError.badParameter("Last-Event-ID", "Last-Event-ID must be the id of an event this stream sent (a whole number), not '\(header.prefix(40))'.")
            }
            return value
        }
        if let after = try query.count("after") { return after }
        return try await blocking { try store.lastEventPosition(session: session) } ?? 0
    }

    private func stream(session: String?, type: String?, after start: Int64) -> Response {
        // Subscribe before the first read, so that nothing written in between is missed.
        let signals = watcher.subscribe()
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                                   HTTPField.Name("X-Accel-Buffering")!: "no"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var position = start
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            position = try await sendEvents(after: position, session: session, type: type, to: &writer)
            // A server shutting down ends its streams, or it would wait for them.
            for await signal in signals.cancelOnGracefulShutdown() {
                switch signal {
                case .heartbeat:
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                case .changed(let changes):
                    position = try await sendEvents(after: position, session: session, type: type, to: &writer)
                    try await writer.write(ByteBuffer(string: "event: change\ndata: {\"changes\":\(changes)}\n\n"))
                }
            }
            try await writer.finish(nil)
        })
    }

    /// Writes every event after `position`, page by page; returns the new position.
    private func sendEvents(after position: Int64, session: String?, type: String?,
                            to writer: inout any ResponseBodyWriter) async throws -> Int64 {
        var position = position
        while true {
            let query = EventQuery(session: session, after: position, type: type, limit: Self.pageSize)
            let events = try await blocking { try store.events(query) }
            guard !events.isEmpty else { return position }
            var text = ""
            for event in events {
                let id = session == nil ? event.id : event.seq
                text += "id: \(id)\n"
                // A stored payload may be pretty-printed: each of its lines goes on a data: line of
                // its own, which a client joins back with newlines (raw line breaks can only be
                // whitespace between JSON tokens, so nothing else changes).
                let json = String(decoding: try JSONOutput.encoding(event).utf8(indent: nil), as: UTF8.self)
                for line in json.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                    .split(separator: "\n", omittingEmptySubsequences: false) {
                    text += "data: " + line + "\n"
                }
                text += "\n"
                position = id
            }
            try await writer.write(ByteBuffer(string: text))
            if events.count < Self.pageSize { return position }
        }
    }

    private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await APIRoutes.blocking(on: pool, body)
    }
}
