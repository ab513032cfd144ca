import AgentLogDatabase
import AgentLogJSON
import AgentLogStore
import Foundation
import Hummingbird

/// What the seeds keep for a server, readable and editable through the API: settings by
/// category (the app's own, or a user's preferences with `user`), workspaces with their
/// derived status, each dashboard client's layout, and the application log. Writes go through
/// the same store calls an embedding app uses; the Origin check guards them.
struct ServerDataRoutes: Sendable {
    let store: AgentLogStore

    func add(to router: Router<ServerRequestContext>) {
        let api = router.group("api/v1")
        api.get("settings") { request, _ in
            let query = QueryParameters(request)
            try query.allowOnly(["user"])
            let user = try Self.user(query)
            return try Response.json(SettingList(user: user, settings: try await store.settings(user: user)))
        }
        api.put("settings/:category") { request, context in
            let query = QueryParameters(request)
            try query.allowOnly(["user"])
            let category = try context.parameters.decoded("category", limit: 100, plain: true)
            let user = try Self.user(query)
            try await store.setSetting(json: try await RequestBody.json(request), category: category, user: user)
            return try Response.json(SettingList(user: user, settings: try await store.settings(user: user)))
        }
        api.delete("settings/:category") { request, context in
            let query = QueryParameters(request)
            try query.allowOnly(["user"])
            let category = try context.parameters.decoded("category", limit: 100, plain: true)
            let user = try Self.user(query)
            guard try await store.removeSetting(category: category, user: user) else {
                throw APIError(status: 404, "No setting '\(category)' is stored for this user.", parameter: "category")
            }
            return try Response.json(SettingList(user: user, settings: try await store.settings(user: user)))
        }
        api.get("workspaces") { request, _ in
            try QueryParameters(request).allowOnly([])
            return try Response.json(WorkspaceList(rows: try await store.workspaces()))
        }
        api.post("workspaces") { request, _ in
            try QueryParameters(request).allowOnly([])
            let body = try await RequestBody.object(request)
            guard let path = body["path"] as? String else { throw APIError.badParameter("path", "Send {\"path\": \"/absolute/folder\", \"name\": \"NAME\"}.") }
            let name = (body["name"] as? String) ?? path.split(separator: "/").last.map(String.init) ?? path
            do {
                _ = try await store.addWorkspace(name: name, path: path)
            } catch let error as StoreError {
                guard case .invalidValue(let what, let reason) = error else { throw error }
                throw APIError.badParameter(what.hasSuffix("name") ? "name" : "path", "The \(what) is not valid: \(reason).")
            }
            return try Response.json(WorkspaceList(rows: try await store.workspaces()), status: .created)
        }
        api.delete("workspaces/:id") { request, context in
            try QueryParameters(request).allowOnly([])
            guard let id = Int64(try context.parameters.decoded("id", limit: 20)) else {
                throw APIError.badParameter("id", "id must be a workspace's id, a whole number.")
            }
            guard try await store.removeWorkspace(id: id) else {
                throw APIError(status: 404, "No workspace has that id.", parameter: "id")
            }
            return try Response.json(WorkspaceList(rows: try await store.workspaces()))
        }
        api.get("layouts/:client") { request, context in
            try QueryParameters(request).allowOnly([])
            let client = try context.parameters.decoded("client", limit: 100, plain: true)
            return try Response.json(LayoutResult(client: client, tiles: try await store.layout(client: client)))
        }
        api.put("layouts/:client/:tile") { request, context in
            try QueryParameters(request).allowOnly([])
            let client = try context.parameters.decoded("client", limit: 100, plain: true)
            let tile = try context.parameters.decoded("tile", limit: 100, plain: true)
            try await store.setLayout(client: client, tile: tile, json: try await RequestBody.json(request))
            return try Response.json(LayoutResult(client: client, tiles: try await store.layout(client: client)))
        }
        api.delete("layouts/:client/:tile") { request, context in
            try QueryParameters(request).allowOnly([])
            let client = try context.parameters.decoded("client", limit: 100, plain: true)
            let tile = try context.parameters.decoded("tile", limit: 100, plain: true)
            guard try await store.removeLayout(client: client, tile: tile) > 0 else {
                throw APIError(status: 404, "The client has no tile '\(tile)'.", parameter: "tile")
            }
            return try Response.json(LayoutResult(client: client, tiles: try await store.layout(client: client)))
        }
        api.get("logs") { request, _ in
            let query = QueryParameters(request)
            try query.allowOnly(["after", "level", "component", "limit"])
            let level = try query.choice("level", AppLogEntry.Level.allCases.map(\.rawValue), default: "debug")!
            return try Response.json(LogList(rows: try await store.logs(after: try query.count("after"), level: AppLogEntry.Level(rawValue: level) ?? .debug,
                                                                         component: query.string("component"),
                                                                         limit: try query.int("limit", in: 1...10_000, default: 200))))
        }
    }

    /// `user`, '' (the app's own) when absent; at most 100 characters.
    static func user(_ query: QueryParameters) throws -> String {
        let user = query.string("user") ?? ""
        guard user.count <= 100 else { throw APIError.badParameter("user", "user must be at most 100 characters.") }
        return user
    }
}
