import AgentLogSQLite
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("agentlog db check, prune, export and import", .serialized)
struct DbCheckTests {
    let home: TemporaryFolder
    let db: String

    init() throws {
        home = try TemporaryFolder()
        db = home.path + "/agentlog.db"
    }

    private func run(_ arguments: [String]) async -> CLIRun { await CLIRun(["--db", db] + arguments, home: home.path) }

    @Test("rows not indexed yet are not damage; an indexed row missing from an index is found, and db reindex repairs it")
    func searchIndexDamageIsFoundAndRepaired() async throws {
        #expect(await run(["sync", "--path", Corpus.claude.path, "--quiet"]).status == 0)
        // Nothing is indexed until a search runs: the check passes without probing anything.
        let lazy = try #require(await run(["db", "check", "--format", "json"]).json)
        #expect(lazy["ok"] as? Bool == true && lazy["searchRowsProbed"] as? Int == 0)

        #expect(await run(["search", "the"]).status == 0)
        let indexed = try #require(await run(["db", "check", "--format", "json", "--search-sample", "50"]).json)
        #expect(indexed["ok"] as? Bool == true)
        #expect((indexed["searchRowsProbed"] as? Int ?? 0) > 50)

        // Take one indexed message out of the prose index, as damage would.
        let connection = try SQLiteConnection(path: db, busyMilliseconds: 1_000)
        try connection.execute("""
            INSERT INTO messages_prose (messages_prose, rowid, text, thinking)
            SELECT 'delete', id, text, thinking FROM messages WHERE text LIKE '% the %' ORDER BY id LIMIT 1
            """)
        let damaged = await run(["db", "check", "--search-sample", "1000000"])
        #expect(damaged.status == 1)
        #expect(damaged.stdout.contains("The search index messages_prose holds"))
        #expect(damaged.stdout.contains("does not find messages row"))
        #expect(damaged.stderr.contains("rebuild the search indexes with `agentlog db reindex`"))

        let reindex = await run(["db", "reindex"])
        #expect(reindex.status == 0 && reindex.stdout.contains("rebuilt over"))
        #expect(await run(["db", "check", "--search-sample", "1000000"]).status == 0)
        #expect(await run(["db", "check", "--search-sample", "-3"]).status == 2)
        #expect(await run(["db", "check", "--format", "csv"]).status == 2)
    }

    @Test("an archive chunk whose bytes were changed fails its checksum, and the check names its file")
    func archiveChecksumCatchesChangedBytes() async throws {
        #expect(await run(["sync", "--path", Corpus.claude.path, "--quiet"]).status == 0)
        let connection = try SQLiteConnection(path: db, busyMilliseconds: 1_000)
        // Flip one byte in the middle of the largest chunk, where the compressed bytes are.
        try connection.execute("""
            UPDATE archive_chunks SET data = substr(data, 1, length(data) / 2)
                || CASE WHEN substr(data, length(data) / 2 + 1, 1) = x'5A' THEN x'A5' ELSE x'5A' END
                || substr(data, length(data) / 2 + 2)
            WHERE id = (SELECT id FROM archive_chunks ORDER BY length(data) DESC LIMIT 1)
            """)
        let bad = try #require(await run(["db", "check", "--format", "json", "--archive-sample", "1000000"]).json)
        #expect(bad["ok"] as? Bool == false)
        let problems = bad["problems"] as? [String] ?? []
        #expect(problems.count == 1)
        #expect(problems.first?.contains(".jsonl: the chunk at byte") == true)
    }

    @Test("db prune --dry-run counts and changes nothing; the prune removes; a bad age is a usage error naming the option")
    func pruneFromTheCommandLine() async throws {
        #expect(await run(["sync", "--path", Corpus.claude.path, "--quiet"]).status == 0)
        let sessions = try #require(await run(["db", "status", "--format", "json"]).json?["sessions"] as? Int)
        let plan = try #require(await run(["db", "prune", "--older-than", "1h", "--dry-run", "--format", "json"]).json)
        #expect(plan["schema"] as? String == "agentlog.prune.v1" && plan["dryRun"] as? Bool == true)
        #expect(plan["sessions"] as? Int == sessions, "every corpus session is older than an hour")
        let text = await run(["db", "prune", "--older-than", "1h", "--dry-run"])
        #expect(text.status == 0 && text.stdout.contains("Would remove what is older than 1h") && text.stdout.contains("Nothing was changed"))
        #expect(try #require(await run(["db", "status", "--format", "json"]).json?["sessions"] as? Int) == sessions)
        let pruned = await run(["db", "prune", "--older-than", "1h"])
        #expect(pruned.status == 0 && pruned.stdout.contains("Removed what is older than 1h") && pruned.stdout.contains("db vacuum"))
        #expect(try #require(await run(["db", "status", "--format", "json"]).json?["sessions"] as? Int) == 0)
        for bad in ["180", "0d", "-5d", "3y", "99999999999d"] {
            let refused = await run(["db", "prune", "--older-than", bad])
            #expect(refused.status == 2 && refused.stderr.contains("--older-than"), "\(bad)")
        }
    }

    @Test("db export writes a versioned header, every table's rows as stored (blobs in base64) and an end line with the count")
    func exportEveryTable() async throws {
        #expect(await run(["sync", "--path", Corpus.claude.path, "--quiet"]).status == 0)
        let file = home.path + "/export.jsonl"
        let written = await run(["db", "export", "--format", "jsonl", "--output", file])
        #expect(written.status == 0 && written.stdout.contains("rows of"))
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let header = try #require(objects.first)
        #expect(header["schema"] as? String == "agentlog.export.v1")
        #expect(header["migrations"] as? [String] == Schema.migrations.map(\.name))
        let tables = (header["tables"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(tables.contains("sessions") && tables.contains("archive_chunks") && !tables.contains { $0.hasPrefix("messages_prose") })
        #expect(objects.last?["end"] as? Bool == true && objects.last?["rows"] as? Int == objects.count - 2)

        let connection = try SQLiteConnection(path: db, busyMilliseconds: 1_000)
        for table in tables {
            let exported = objects.filter { $0["table"] as? String == table }.count
            #expect(try connection.statement("SELECT COUNT(*) FROM \(table)").runReturningInt() == Int64(exported), "\(table)")
        }
        // A blob comes back byte for byte.
        let chunk = try #require(objects.first { $0["table"] as? String == "archive_chunks" }?["row"] as? [String: Any])
        let data = try #require(Data(base64Encoded: (chunk["data"] as? [String: Any])?["base64"] as? String ?? ""))
        let stored = try connection.statement("SELECT length(data) FROM archive_chunks WHERE id = \(chunk["id"] as? Int ?? 0)").runReturningInt()
        #expect(Int64(data.count) == stored)

        let refused = await run(["db", "export", "--output", file])
        #expect(refused.status == 1 && refused.stderr.contains("already exists"))
        #expect(await run(["db", "export", "--format", "csv"]).status == 2)
        let lean = await run(["db", "export", "--no-archive"])
        #expect(lean.status == 0 && lean.stdout.hasPrefix("{\"schema\":\"agentlog.export.v1\""))
        let leanChunks = lean.stdout.split(separator: "\n").filter { $0.hasPrefix("{\"table\":\"archive_chunks\"") }
        #expect(!leanChunks.isEmpty && leanChunks.allSatisfy { $0.contains("\"data\":null") })
    }

    @Test("db import merges another database, says so in text and agentlog.import.v1, and refuses this database itself")
    func importFromTheCommandLine() async throws {
        let other = home.path + "/other.db"
        #expect(await CLIRun(["--db", other, "sync", "--path", Corpus.claude.path, "--quiet"], home: home.path).status == 0)
        let plan = try #require(await run(["db", "import", other, "--dry-run", "--format", "json"]).json)
        #expect(plan["schema"] as? String == "agentlog.import.v1" && (plan["sessionsAdded"] as? Int ?? 0) > 0)
        let imported = await run(["db", "import", other, "--name", "laptop"])
        #expect(imported.status == 0 && imported.stdout.contains("Added from") && imported.stdout.contains("laptop"))
        #expect(try #require(await run(["db", "status", "--format", "json"]).json?["sessions"] as? Int) == plan["sessionsAdded"] as? Int)
        let again = await run(["db", "import", other])
        #expect(again.status == 0 && again.stdout.contains("nothing was added"))
        let itself = await run(["db", "import", db])
        #expect(itself.status == 1 && itself.stderr.contains("is this database itself"))
        let missing = await run(["db", "import", home.path + "/nowhere.db"])
        #expect(missing.status == 1 && missing.stderr.contains("nowhere.db"))
    }
}
