import AgentLogDatabase
import AgentLogIngest
import AgentLogJSON

/// `agentlog.settings.v1`: the settings of one user ('' for the app's own), by category.
public struct SettingList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.settings.v1"
    /// Whose settings these are.
    public var user: String
    /// Category and JSON, by category.
    public var rows: [(category: String, json: String)]

    /// The settings of `user`.
    public init(user: String, settings: [String: String]) {
        self.user = user
        rows = settings.sorted { $0.key < $1.key }.map { (category: $0.key, json: $0.value) }
    }

    /// The document: the user and each category with its value (as JSON).
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("user", .string(user)),
            ("rows", .array(rows.map { .object([("category", .string($0.category)), ("value", .raw($0.json))]) })),
        ]).encode(to: encoder)
    }
}

/// `agentlog.workspaces.v1`: workspaces with their derived status.
public struct WorkspaceList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.workspaces.v1"
    /// The workspaces, by name.
    public var rows: [Workspace]

    /// A list of `rows`.
    public init(rows: [Workspace]) { self.rows = rows }

    /// The document: each workspace's id, name, path, status, last activity and running count.
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([("rows", .array(rows.map { workspace in
            .object([
                ("id", .int(workspace.id)), ("name", .string(workspace.name)), ("path", .string(workspace.path)),
                ("status", .string(workspace.status.rawValue)), ("createdAt", .time(workspace.createdAt)),
                ("lastActivityAt", .time(workspace.lastActivityAt)), ("running", .int(workspace.running)),
            ])
        }))]).encode(to: encoder)
    }
}

/// `agentlog.layout.v1`: one dashboard client's tiles.
public struct LayoutResult: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.layout.v1"
    /// The client's id.
    public var client: String
    /// Each tile with its JSON.
    public var tiles: [(tile: String, json: String)]

    /// The layout of `client`.
    public init(client: String, tiles: [(tile: String, json: String)]) {
        self.client = client
        self.tiles = tiles
    }

    /// The document: the client and each tile with its value (as JSON).
    public func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("client", .string(client)),
            ("tiles", .array(tiles.map { .object([("tile", .string($0.tile)), ("value", .raw($0.json))]) })),
        ]).encode(to: encoder)
    }
}
