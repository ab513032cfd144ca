import AgentLogDatabase
import AgentLogJSON
import GRDB

/// A folder the user works in, with a status derived from what happens under it.
public struct Workspace: Sendable, Equatable {
    /// Where a workspace stands, derived each time it is read.
    public enum Status: String, Sendable {
        /// Something runs under it now: a run, or a hooked agent.
        case active
        /// Nothing ever happened under it, and it was added less than 30 days ago.
        case new
        /// Idle, but active in the last 30 days.
        case inactive
        /// Idle for more than 30 days.
        case archived
    }

    /// Its row id.
    public var id: Int64
    /// Its name.
    public var name: String
    /// The folder (absolute); projects and sessions under it belong to it.
    public var path: String
    /// When it was added, ms since 1970.
    public var createdAt: Int64
    /// The last run, session or agent event under it, if any.
    public var lastActivityAt: Int64?
    /// Runs and agents running under it now.
    public var running: Int
    /// Its derived status.
    public var status: Status
}

extension AgentLogStore {
    /// Idle this long, a workspace is archived.
    public static let workspaceArchiveAfter: Int64 = 30 * 86_400_000

    /// Adds the workspace at `path` (absolute) named `name`, or renames the one there.
    @discardableResult
    public func addWorkspace(name: String, path: String, at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> Workspace {
        let name = name.trimmingWhitespace
        guard path.hasPrefix("/"), path.count < 4_096 else { throw StoreError.invalidValue(what: "workspace path", reason: "give an absolute path") }
        guard !name.isEmpty, name.count <= 200 else { throw StoreError.invalidValue(what: "workspace name", reason: "give a name of 1 to 200 characters") }
        let folder = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        try await write { db in
            try db.execute(sql: """
                INSERT INTO workspaces (name, path, created_at, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (path) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
                """, arguments: [name, folder, time, time])
        }
        guard let workspace = try await workspaces(at: time).first(where: { $0.path == folder }) else {
            throw StoreError.notFound(what: "workspace \(folder)")
        }
        return workspace
    }

    /// Removes the workspace with id `id` (what happened under it stays); whether there was one.
    @discardableResult
    public func removeWorkspace(id: Int64) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM workspaces WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Every workspace with its status at `time`, by name.
    public func workspaces(at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> [Workspace] {
        try await read { db in
            // "Under" a folder: the folder itself or a path that starts with it and a slash.
            let under = { (column: String) in "(\(column) = w.path OR substr(\(column), 1, length(w.path) + 1) = w.path || '/')" }
            let rows = try Row.fetchAll(db, sql: """
                SELECT w.id, w.name, w.path, w.created_at,
                       (SELECT MAX(COALESCE(r.ended_at, r.started_at)) FROM runs r JOIN projects p ON p.id = r.project_id WHERE \(under("p.path"))),
                       (SELECT MAX(COALESCE(s.ended_at, s.started_at)) FROM sessions s LEFT JOIN projects p ON p.id = s.project_id
                          WHERE \(under("COALESCE(p.path, s.cwd)"))),
                       (SELECT MAX(a.last_event_at) FROM agents a WHERE \(under("a.project"))),
                       (SELECT COUNT(*) FROM runs r JOIN projects p ON p.id = r.project_id WHERE r.status = 'running' AND \(under("p.path")))
                         + (SELECT COUNT(*) FROM agents a WHERE a.status = 'running' AND \(under("a.project")))
                FROM workspaces w ORDER BY w.name, w.id
                """)
            return rows.map { row in
                let last = [row[4] as Int64?, row[5] as Int64?, row[6] as Int64?].compactMap { $0 }.max()
                let running: Int = row[7]
                let created: Int64 = row[3]
                let status: Workspace.Status
                if running > 0 {
                    status = .active
                } else if let last {
                    status = time - last > Self.workspaceArchiveAfter ? .archived : .inactive
                } else {
                    status = time - created > Self.workspaceArchiveAfter ? .archived : .new
                }
                return Workspace(id: row[0], name: row[1], path: row[2], createdAt: created, lastActivityAt: last, running: running, status: status)
            }
        }
    }
}

extension AgentLogStore {
    /// Stores a dashboard client's `tile` as `json` (its position, size, what it shows).
    public func setLayout(client: String, tile: String, json: String, at time: Int64 = AgentLogStore.now()) async throws(StoreError) {
        guard !client.isEmpty, client.count <= 100, !tile.isEmpty, tile.count <= 100 else {
            throw StoreError.invalidValue(what: "layout", reason: "the client id and the tile name must be 1 to 100 characters")
        }
        guard json.utf8.count <= 65_536, JSONScanner.isDocument(json) else {
            throw StoreError.invalidValue(what: "layout \(tile)", reason: "it must be JSON of at most 64 kB")
        }
        try await write { db in
            try db.execute(sql: """
                INSERT INTO layouts (client_id, tile, value, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (client_id, tile) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """, arguments: [client, tile, json, time])
        }
    }

    /// A client's tiles with their JSON.
    public func layout(client: String) async throws(StoreError) -> [(tile: String, json: String)] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT tile, value FROM layouts WHERE client_id = ? ORDER BY tile", arguments: [client])
                .map { (tile: $0[0] as String, json: $0[1] as String) }
        }
    }

    /// Removes a client's tile (or all its tiles when `tile` is nil); how many were removed.
    @discardableResult
    public func removeLayout(client: String, tile: String? = nil) async throws(StoreError) -> Int {
        try await write { db in
            if let tile {
                try db.execute(sql: "DELETE FROM layouts WHERE client_id = ? AND tile = ?", arguments: [client, tile])
            } else {
                try db.execute(sql: "DELETE FROM layouts WHERE client_id = ?", arguments: [client])
            }
            return db.changesCount
        }
    }
}
