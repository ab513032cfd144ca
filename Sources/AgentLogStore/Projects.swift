import AgentLogSQLite
import AgentLogDatabase
import GRDB

/// A directory an agent works in, with the command and prompt it is usually run with.
public struct Project: Sendable, Equatable, Codable, Identifiable {
    /// The row id.
    public var id: Int64
    /// The directory (unique): the project's identity.
    public var directory: String
    /// Its display name: the last path component unless one was given.
    public var name: String
    /// The command (and its arguments) `agentlog run` uses when given none.
    public var defaultCommand: [String]?
    /// The prompt `agentlog run` remembers for it.
    public var defaultPrompt: String?
    /// ms since 1970.
    public var createdAt: Int64
    /// When it was last run, ms since 1970.
    public var lastRunAt: Int64?

    static let columns = "id, path, name, default_command, default_prompt, created_at, last_run_at"
    /// The number of ``columns``.
    static let columnCount = 7

    /// A row whose columns from `offset` on are ``columns``.
    init(row: Row, offset: Int = 0) {
        let command: String? = row[offset + 3]
        self.init(id: row[offset], directory: row[offset + 1], name: row[offset + 2], defaultCommand: command.map(AgentLogStore.stringArray),
                  defaultPrompt: row[offset + 4], createdAt: row[offset + 5], lastRunAt: row[offset + 6])
    }

    /// Creates a value with these fields.
    public init(id: Int64, directory: String, name: String, defaultCommand: [String]? = nil, defaultPrompt: String? = nil,
                createdAt: Int64, lastRunAt: Int64? = nil) {
        self.id = id
        self.directory = directory
        self.name = name
        self.defaultCommand = defaultCommand
        self.defaultPrompt = defaultPrompt
        self.createdAt = createdAt
        self.lastRunAt = lastRunAt
    }
}

extension AgentLogStore {
    /// Creates the project of `directory`, or updates it: a `name`, `defaultCommand` or
    /// `defaultPrompt` given replaces the stored one; one left `nil` keeps it.
    ///
    /// ```swift
    /// let project = try await store.upsertProject(directory: "/work/app", defaultCommand: ["claude", "-p"])
    /// ```
    @discardableResult
    public func upsertProject(directory: String, name: String? = nil, defaultCommand: [String]? = nil,
                              defaultPrompt: String? = nil) async throws(StoreError) -> Project {
        let command = defaultCommand.map(Self.jsonArray)
        let now = Self.now()
        return try await write { db in
            let row = try Row.fetchOne(db, sql: """
                INSERT INTO projects (path, name, created_at, default_command, default_prompt) VALUES (?1, COALESCE(?2, ?3), ?4, ?5, ?6)
                ON CONFLICT (path) DO UPDATE SET
                    name = COALESCE(?2, projects.name),
                    default_command = COALESCE(?5, projects.default_command),
                    default_prompt = COALESCE(?6, projects.default_prompt)
                RETURNING \(Project.columns)
                """,
                                       arguments: [directory, name, SharedStatements.projectName(ofDirectory: directory), now,
                                                   command, defaultPrompt])
            return Project(row: row!)
        }
    }

    /// The project of a directory, if there is one.
    public func project(directory: String) async throws(StoreError) -> Project? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Project.columns) FROM projects WHERE path = ?", arguments: [directory]).map { Project(row: $0) }
        }
    }

    /// The project with this id, if there is one.
    public func project(id: Int64) async throws(StoreError) -> Project? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(Project.columns) FROM projects WHERE id = ?", arguments: [id]).map { Project(row: $0) }
        }
    }

    /// Every project, the most recently run first (never-run ones last, newest first).
    public func projects() async throws(StoreError) -> [Project] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Project.columns) FROM projects ORDER BY last_run_at DESC NULLS LAST, created_at DESC, id DESC
                """).map { Project(row: $0) }
        }
    }

    /// Deletes a project and its runs (synced sessions of the directory stay, without a
    /// project). Returns whether there was one.
    @discardableResult
    public func deleteProject(id: Int64) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM projects WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}
