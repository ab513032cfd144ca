import AgentLogDatabase
import AgentLogJSON
import Foundation
import GRDB

/// `agentlog.import.v1`: what `agentlog db import` merged in.
public struct ImportResult: SchemaResult, Equatable {
    /// The schema's name.
    public static let schema = "agentlog.import.v1"
    /// The file imported.
    public var source: String
    /// The uuid of the machine the file belongs to.
    public var machine: String
    /// Sessions new to this database.
    public var sessionsAdded = 0
    /// Sessions both databases had: merged (rows either lacked are added, each counted once).
    public var sessionsMerged = 0
    /// Messages added.
    public var messages = 0
    /// Model responses added (the usage rollups grow by the same amounts).
    public var usageRecords = 0
    /// Tool calls added.
    public var toolCalls = 0
    /// Hook and app events added.
    public var events = 0
    /// Telemetry calls, errors and metric points added.
    public var telemetryRecords = 0
    /// Source files added, or moved on where the other machine read further since an earlier
    /// import (kept as gone from this disk: their bytes are in the archive).
    public var sourceFiles = 0
    /// Archive chunks added.
    public var archiveChunks = 0
    /// Secrets masked in what was added (this database masks secrets; the other may not have).
    public var secretsMasked = 0

    /// Whether the import changed nothing (everything was here already).
    public var changedNothing: Bool {
        sessionsAdded + messages + usageRecords + toolCalls + events + telemetryRecords + sourceFiles + archiveChunks == 0
    }
}

extension AgentLogStore {
    /// Merges another machine's agentlog database into this one, in one transaction: its
    /// machines, projects (by path), sessions (by agent and session id: a session both have is
    /// one session, with the rows either lacked), messages, responses, tool calls, subagents,
    /// files touched, summaries, source files and their archive (under `<machine uuid>:<path>`,
    /// kept as gone from this disk, so `export --raw` still has them and a sync never looks for
    /// them), events and telemetry. Every row keeps its natural key, so a response both
    /// databases hold is counted once and importing the same file again adds nothing. Every
    /// added row gets the machine id it came from. Coordination state, runs, jobs, settings and
    /// what the server keeps (accounts, tokens) stay this machine's own.
    ///
    /// `source` is read through SQLite's backup API into a private copy beside this database
    /// (it may be in use), checked (integrity, an agentlog ledger, no newer schema) and brought
    /// to this build's schema. `name` names the source's machine when given. With `dryRun` the
    /// merge is made and rolled back: the result counts what it would add. `progress` gets
    /// (tables merged, tables to merge).
    public func importDatabase(from source: String, machineName name: String? = nil, dryRun: Bool = false,
                               progress: ((Int, Int) -> Void)? = nil) throws(StoreError) -> ImportResult {
        guard let path else { throw StoreError.invalidValue(what: "import", reason: "an in-memory store cannot import") }
        let copy = try Self.importCopy(of: source, in: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let now = Self.now()
        do {
            return try writer.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS other", arguments: [copy])
                defer { try? db.execute(sql: "DETACH DATABASE other") }
                var result: ImportResult!
                try db.inTransaction(.immediate) {
                    var merged = 0
                    result = try ImportMerge(db: db, now: now, source: source, name: name) {
                        merged += 1
                        progress?(merged, ImportMerge.tables)
                    }.run()
                    return dryRun ? .rollback : .commit
                }
                return result
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.database(path: path, reason: "importing \(source) failed, nothing was changed (\(Self.describe(error)))")
        }
    }
}

/// The statements of one import, run inside its transaction on a connection that has the
/// source's copy attached as `other`.
private struct ImportMerge {
    let db: Database
    let now: Int64
    let source: String
    let name: String?
    /// Called after each table is merged.
    let merged: () -> Void

    /// How many tables an import merges (the calls of ``copy(_:joins:where:map:conflict:)``).
    static let tables = 16

    /// Copies the rows of `table` that are not here yet (by its unique keys): every column but
    /// `id`, each taken from `o` (the source's row) unless `map` gives it an expression. Returns
    /// how many rows were added.
    @discardableResult
    func copy(_ table: String, joins: String = "", where condition: String = "true", map: [String: String] = [:],
              conflict: String = "ON CONFLICT DO NOTHING") throws -> Int {
        let columns = try db.columns(in: table).map(\.name).filter { $0 != "id" }
        let values = columns.map { map[$0] ?? "o.\($0)" }
        try db.execute(sql: """
            INSERT INTO main.\(table) (\(columns.joined(separator: ", ")))
            SELECT \(values.joined(separator: ", ")) FROM other.\(table) o \(joins) WHERE \(condition) \(conflict)
            """)
        let changes = db.changesCount
        merged()
        return changes
    }

    func run() throws -> ImportResult {
        let uuid = try String.fetchOne(db, sql: "SELECT uuid FROM other.machines WHERE id = 1") ?? ""
        guard uuid != (try String.fetchOne(db, sql: "SELECT uuid FROM main.machines WHERE id = 1")) else {
            throw StoreError.invalidValue(what: "import of \(source)", reason: "it holds this machine's own history (a backup of this database); put a backup back with `agentlog db restore` instead")
        }
        var result = ImportResult(source: source, machine: uuid)
        // What this database holds before, so that what the import adds can be masked after.
        var before: [String: Int64] = [:]
        for table in ["messages", "tool_calls", "sessions", "events"] {
            before[table] = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM main.\(table)") ?? 0
        }
        try db.execute(sql: """
            INSERT INTO main.machines (uuid, name) SELECT uuid, name FROM other.machines WHERE true
            ON CONFLICT (uuid) DO UPDATE SET name = CASE WHEN name = '' THEN excluded.name ELSE name END;
            UPDATE main.machines SET imported_from = ?, imported_at = ?, name = COALESCE(?, name) WHERE uuid = ?;
            CREATE TEMP TABLE import_machines (other INTEGER PRIMARY KEY, local INTEGER NOT NULL, prefix TEXT NOT NULL);
            INSERT INTO import_machines SELECT o.id, m.id, m.uuid || ':' FROM other.machines o JOIN main.machines m ON m.uuid = o.uuid;
            """, arguments: [source, now, name, uuid])
        defer { try? db.execute(sql: "DROP TABLE IF EXISTS temp.import_machines; DROP TABLE IF EXISTS temp.import_ids") }
        let machine = "(SELECT local FROM import_machines WHERE other = o.machine_id)"

        try copy("projects", conflict: "ON CONFLICT (path) DO NOTHING")
        try db.execute(sql: """
            CREATE TEMP TABLE import_ids (kind TEXT NOT NULL, other INTEGER NOT NULL, local INTEGER NOT NULL, PRIMARY KEY (kind, other)) WITHOUT ROWID;
            INSERT INTO import_ids SELECT 'project', o.id, p.id FROM other.projects o JOIN main.projects p ON p.path = o.path;
            """)
        func mapped(_ kind: String, _ column: String) -> String {
            "(SELECT local FROM import_ids WHERE kind = '\(kind)' AND other = o.\(column))"
        }

        result.sessionsMerged = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM other.sessions o JOIN main.sessions s ON s.agent = o.agent AND s.session_id = o.session_id
            """) ?? 0
        result.sessionsAdded = try copy("sessions", map: ["project_id": mapped("project", "project_id"), "machine_id": machine], conflict: """
            ON CONFLICT (agent, session_id) DO UPDATE SET
                started_at = COALESCE(MIN(started_at, excluded.started_at), started_at, excluded.started_at),
                ended_at = COALESCE(MAX(ended_at, excluded.ended_at), ended_at, excluded.ended_at),
                title = COALESCE(title, excluded.title), summary = COALESCE(summary, excluded.summary),
                first_prompt = COALESCE(first_prompt, excluded.first_prompt),
                first_prompt_at = COALESCE(first_prompt_at, excluded.first_prompt_at)
            """) - result.sessionsMerged
        try db.execute(sql: """
            INSERT INTO import_ids SELECT 'session', o.id, s.id FROM other.sessions o
                JOIN main.sessions s ON s.agent = o.agent AND s.session_id = o.session_id
            """)

        // Another machine's files are named by its uuid, so they never meet this disk's paths;
        // this machine's own files, coming back from a machine that imported them, lose the name.
        let local = "(SELECT local FROM import_machines WHERE other = o.machine_id) = 1"
        let prefix = "(SELECT prefix FROM import_machines WHERE other = o.machine_id)"
        let named = { (column: String) in
            let prefixed = "substr(o.\(column), 1, length(\(prefix))) = \(prefix)"
            return """
                CASE WHEN \(local) THEN (CASE WHEN \(prefixed) THEN substr(o.\(column), length(\(prefix)) + 1) ELSE o.\(column) END)
                     WHEN \(prefixed) THEN o.\(column) ELSE \(prefix) || o.\(column) END
                """
        }
        // A file of another machine imported before, read further there since, moves on with it.
        result.sourceFiles = try copy("source_files", map: [
            "path": named("path"), "root": named("root"), "machine_id": machine,
            "missing_since": "CASE WHEN \(local) THEN o.missing_since ELSE COALESCE(o.missing_since, \(now)) END",
        ], conflict: """
            ON CONFLICT (path) DO UPDATE SET offset = excluded.offset, size = excluded.size, lines = excluded.lines,
                generation = excluded.generation, prefix_hash = excluded.prefix_hash, mtime_ns = excluded.mtime_ns,
                tail = excluded.tail, tail_codec = excluded.tail_codec, tail_length = excluded.tail_length
            WHERE source_files.machine_id <> 1 AND (excluded.generation > source_files.generation
                OR (excluded.generation = source_files.generation AND excluded.offset > source_files.offset))
            """)
        try db.execute(sql: "INSERT INTO import_ids SELECT 'file', o.id, f.id FROM other.source_files o JOIN main.source_files f ON f.path = \(named("path"))")
        let session = mapped("session", "session_id"), file = mapped("file", "file_id")
        result.archiveChunks = try copy("archive_chunks", map: ["file_id": file, "machine_id": machine])
        try copy("session_files", map: ["session_id": session, "file_id": file])
        try copy("rejected_lines", map: ["file_id": file])
        result.messages = try copy("messages", map: ["session_id": session, "file_id": file, "machine_id": machine])
        let usageBefore = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM main.usage") ?? 0
        result.usageRecords = try copy("usage", map: ["session_id": session, "machine_id": machine])
        try addToRollups(usageAfter: usageBefore)
        result.toolCalls = try copy("tool_calls", map: ["session_id": session, "machine_id": machine])
        try copy("subagents", map: ["session_id": session, "file_id": file, "machine_id": machine])
        try copy("files_touched", map: ["session_id": session, "machine_id": machine])
        try copy("summaries", map: ["session_id": session])
        result.events = try copyEvents(machine: machine)
        result.telemetryRecords = try copy("telemetry_requests", map: [
            "machine_id": machine,
            "usage_id": "(SELECT u.id FROM main.usage u WHERE u.request_id = o.request_id AND u.request_id <> '' LIMIT 1)",
        ]) + copy("telemetry_errors", map: ["machine_id": machine]) + copy("telemetry_metric_points", map: ["machine_id": machine])
        // The other machine may not mask secrets; this one does what it would have done.
        if try String.fetchOne(db, sql: "SELECT value FROM main.store_options WHERE name = 'redact'") == "on" {
            result.secretsMasked = try AgentLogStore.maskImportedRows(after: before, at: now, db)
        }
        return result
    }

    /// Events are numbered per session: the source's events that are not here (same session,
    /// type, time and payload) follow this database's last one of the session, in their order.
    private func copyEvents(machine: String) throws -> Int {
        try db.execute(sql: """
            CREATE TEMP TABLE import_events AS
            SELECT o.id AS other_id, COALESCE((SELECT MAX(e.seq) FROM main.events e WHERE e.session_id = o.session_id), 0)
                       + ROW_NUMBER() OVER (PARTITION BY o.session_id ORDER BY o.seq) AS seq
            FROM other.events o
            WHERE NOT EXISTS (SELECT 1 FROM main.events e WHERE e.session_id = o.session_id AND e.payload_hash = o.payload_hash
                              AND e.timestamp = o.timestamp AND e.type = o.type)
            """)
        defer { try? db.execute(sql: "DROP TABLE IF EXISTS temp.import_events") }
        return try copy("events", joins: "JOIN import_events i ON i.other_id = o.id", map: ["seq": "i.seq", "machine_id": machine])
    }

    /// Adds the responses stored after `usageAfter` to both usage rollups (the writers do the
    /// same for what a sync stores; the delete triggers take rows back out).
    private func addToRollups(usageAfter: Int64) throws {
        let tier = "((u.input_tokens + u.cache_creation_tokens + u.cache_read_tokens) > 200000) + ((u.input_tokens + u.cache_creation_tokens + u.cache_read_tokens) > 272000)"
        let sums = """
            SUM(u.input_tokens), SUM(u.output_tokens), SUM(u.cache_creation_tokens), SUM(u.cache_creation_1h_tokens),
            SUM(u.cache_read_tokens), COUNT(*)
            """
        let add = """
            input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
            cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens,
            cache_creation_1h_tokens = cache_creation_1h_tokens + excluded.cache_creation_1h_tokens,
            cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens, responses = responses + excluded.responses
            """
        let columns = "input_tokens, output_tokens, cache_creation_tokens, cache_creation_1h_tokens, cache_read_tokens, responses"
        try db.execute(sql: """
            INSERT INTO main.usage_rollup (slot, agent, model, tier, \(columns))
            SELECT COALESCE(u.timestamp, 0) / 900000, s.agent, u.model, \(tier), \(sums)
            FROM main.usage u JOIN main.sessions s ON s.id = u.session_id WHERE u.id > ?1
            GROUP BY 1, 2, 3, 4
            ON CONFLICT (slot, agent, model, tier) DO UPDATE SET \(add);
            """, arguments: [usageAfter])
        try db.execute(sql: """
            INSERT INTO main.session_usage_rollup (session_id, slot, model, tier, \(columns))
            SELECT u.session_id, COALESCE(u.timestamp, 0) / 900000, u.model, \(tier), \(sums)
            FROM main.usage u WHERE u.id > ?1
            GROUP BY 1, 2, 3, 4
            ON CONFLICT (session_id, slot, model, tier) DO UPDATE SET \(add);
            """, arguments: [usageAfter])
    }
}
