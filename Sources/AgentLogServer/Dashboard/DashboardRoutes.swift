import AgentLogDatabase
import AgentLogHistory
import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOPosix

/// What the pages read with: the store, the thread pool its synchronous queries run on, and
/// how to write times.
struct DashboardContext: Sendable {
    let store: AgentLogStore
    let pool: NIOThreadPool
    let format: Format

    /// Runs a synchronous store call on the pool (store errors become API errors).
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await APIRoutes.blocking(on: pool, body)
    }
}

/// The web dashboard: pages rendered on the server from the embedded templates (readable without
/// JavaScript), the stylesheet and the small script, all compiled into the executable.
struct DashboardRoutes: Sendable {
    let context: DashboardContext
    let templates: DashboardTemplates

    func add(to router: Router<ServerRequestContext>) {
        router.get("/") { request, _ in try await page(request, "overview") { try await OverviewPage.load($0, context) } }
        router.get("sessions") { request, _ in try await page(request, "sessions") { try await SessionsPage.load($0, context) } }
        router.get("sessions/:id") { request, route in
            let id = try route.parameters.decoded("id")
            return try await page(request, "session") { try await SessionPage.load(id, $0, context) }
        }
        router.get("sessions/:id/raw") { request, route in try await raw(request, id: try route.parameters.decoded("id")) }
        router.get("search") { request, _ in try await page(request, "search") { try await SearchPage.load($0, context) } }
        router.get("projects") { request, _ in try await page(request, "projects") { try await ProjectsPage.load($0, context) } }
        router.get("agents") { request, _ in try await page(request, "agents") { try await AgentsPage.load($0, context) } }
        router.get("settings") { request, _ in try await page(request, "settings") { try await SettingsPage.load($0, context) } }
        for (name, type, bytes) in [("app.css", "text/css; charset=utf-8", PackageResources.app_css),
                                    ("app.js", "text/javascript; charset=utf-8", PackageResources.app_js),
                                    ("favicon.svg", "image/svg+xml", PackageResources.favicon_svg)] {
            router.get("assets/\(name)") { _, _ in
                Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
                         body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
    }

    /// Renders the page `load` builds with `template`; a bad parameter or an unknown session is
    /// an error page with its status and one sentence.
    private func page(_ request: Request, _ template: String, _ load: (QueryParameters) async throws -> some Sendable) async throws -> Response {
        let html: String
        var status = HTTPResponse.Status.ok
        do {
            html = templates.render(try await load(QueryParameters(request, emptyIsAbsent: true)), template)
        } catch {
            let answer = (error as? APIError) ?? (error as? StoreError).map(APIError.init) ?? APIError(status: 500, "\(error)")
            status = HTTPResponse.Status(code: answer.status)
            let heading = answer.status == 404 ? "Not found" : answer.status == 400 ? "Bad request" : "Something went wrong"
            html = templates.render(ErrorPage(frame: PageFrame(title: heading, tab: "", liveStream: ""), status: answer.status, heading: heading,
                                              message: answer.message), "error")
        }
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// The session's main transcript file, byte for byte from the archive (the database; no
    /// file outside it is read). It streams: the archive is read a block at a time, and the
    /// next block only once the client took the last.
    private func raw(_ request: Request, id: String) async throws -> Response {
        try QueryParameters(request).allowOnly([])
        let store = context.store
        let file = try await context.blocking {
            let reference = try store.resolveSession(id)
            let files = try store.archivedFiles(of: reference)
            guard let file = files.first(where: { !$0.relativePath.contains("/subagents/") }) ?? files.first else {
                throw APIError(status: 404, "The session \(reference.sessionId) has no archived transcript.", parameter: "id")
            }
            return file
        }
        let name = (file.relativePath.split(separator: "/").last.map(String.init) ?? "transcript.jsonl")
            .filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson", .contentDisposition: "attachment; filename=\"\(name)\"",
                                                .cacheControl: "no-store"],
                        body: ResponseBody { writer in
            // The archive is read on a thread of its own (a client that stops reading parks that
            // thread, never one of the pool the other requests need), handing over one block at a
            // time: the next is read only once the client took the last.
            let (blocks, continuation) = AsyncStream.makeStream(of: [UInt8].self)
            let taken = DispatchSemaphore(value: 0)
            let abandoned = NIOLockedValueBox(false)
            let failure = NIOLockedValueBox<(any Error)?>(nil)
            continuation.onTermination = { _ in
                abandoned.withLockedValue { $0 = true }
                taken.signal()
            }
            Thread {
                defer { continuation.finish() }
                do {
                    try store.restore(file) { block in
                        guard case .enqueued = continuation.yield(block) else { throw CancellationError() }
                        taken.wait()
                        if abandoned.withLockedValue({ $0 }) { throw CancellationError() }
                    }
                } catch {
                    failure.withLockedValue { $0 = error }
                }
            }.start()
            for await block in blocks {
                try await writer.write(ByteBuffer(bytes: block))
                taken.signal()
            }
            // A transcript cut short by a database error must not look complete.
            if let error = failure.withLockedValue({ $0 }), !abandoned.withLockedValue({ $0 }) { throw error }
            try await writer.finish(nil)
        })
    }
}

/// The error page's data.
struct ErrorPage: Sendable {
    var frame: PageFrame
    var status: Int
    var heading: String
    var message: String
}
