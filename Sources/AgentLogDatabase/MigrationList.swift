import AgentLogJSON

/// `agentlog.migrations.v1`: every migration this build knows, in order, and whether the
/// database has it.
public struct MigrationList: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.migrations.v1"
    /// The migrations.
    public var migrations: [MigrationState]

    /// A list of `migrations`.
    public init(migrations: [MigrationState]) { self.migrations = migrations }
}
