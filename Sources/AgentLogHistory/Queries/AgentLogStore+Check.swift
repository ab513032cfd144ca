import AgentLogDatabase
import AgentLogJSON
import GRDB

/// `agentlog.check.v1`: what `agentlog db check` found.
public struct DatabaseCheck: SchemaResult {
    /// The schema's name.
    public static let schema = "agentlog.check.v1"
    /// The database file.
    public var path: String
    /// Whether nothing is wrong.
    public var ok: Bool { problems.isEmpty }
    /// How many archive chunks were decompressed (and their checksums verified).
    public var archiveChunksChecked: Int
    /// How many indexed rows were looked up in the search indexes by a word of their text.
    public var searchRowsProbed: Int
    /// One sentence per problem: SQLite's integrity check, foreign keys, search indexes, archive.
    public var problems: [String]

    private enum CodingKeys: String, CodingKey { case path, ok, archiveChunksChecked, searchRowsProbed, problems }

    /// Encodes every field, `ok` among them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(ok, forKey: .ok)
        try container.encode(archiveChunksChecked, forKey: .archiveChunksChecked)
        try container.encode(searchRowsProbed, forKey: .searchRowsProbed)
        try container.encode(problems, forKey: .problems)
    }
}

extension AgentLogStore {
    /// Every check of `agentlog db check`: SQLite's `integrity_check` and `foreign_key_check`,
    /// the search indexes (``searchIndexProblems(sample:)``) and up to `archiveSample` archive
    /// chunks decompressed (``archiveProblems(sample:)``).
    public func check(archiveSample: Int = 200, searchSample: Int = 200) throws(StoreError) -> DatabaseCheck {
        let integrity = try integrityProblems()
        let search = try searchIndexProblems(sample: searchSample)
        // A file whose first migration never finished (a process killed while it made the file)
        // has no archive yet.
        let hasArchive = try read { db in try db.tableExists("archive_chunks") }
        let archive = hasArchive ? try archiveProblems(sample: archiveSample) : (checked: 0, problems: [])
        return DatabaseCheck(path: path ?? ":memory:", archiveChunksChecked: archive.checked, searchRowsProbed: search.rowsProbed,
                             problems: integrity + search.problems + archive.problems)
    }
}
