import AgentLogJSON
import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog db`: where the database is and what it holds.
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Database care: path, status, checks, search reindex, migrations, backups, restore, prune, export, import, redact and vacuum.",
        subcommands: [Path.self, Status.self, Check.self, Reindex.self, Migrate.self, Backup.self, Restore.self, Prune.self, Export.self, Import.self, Redact.self, Vacuum.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check the database file: SQLite's integrity check, foreign keys, the search indexes, and a sample of the archive decompressed with its checksums. Exits 1 when something is wrong.",
            discussion: """
                The search indexes are checked by FTS5's own integrity check, by the number of rows each \
                holds, and by looking up sampled rows by a word of their text; the check holds the write \
                lock while FTS5 reads the indexes, so agents' hooks wait (or spool) meanwhile.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        @Option(help: ArgumentHelp("How many archive chunks to decompress, drawn at random.", valueName: "n"))
        var archiveSample: Int = 200

        @Option(help: ArgumentHelp("How many indexed rows of each search index to look up, drawn at random.", valueName: "n"))
        var searchSample: Int = 200

        func validate() throws {
            if archiveSample < 0 { throw ValidationError("--archive-sample must be 0 or more.") }
            if searchSample < 0 { throw ValidationError("--search-sample must be 0 or more.") }
            try output.require([.text, .json], command: "db check")
        }

        func run() throws {
            let store = try global.openStore(migrate: false)
            let check = try store.check(archiveSample: archiveSample, searchSample: searchSample)
            if output.isJSON {
                print(try JSONOutput.document(check).text())
            } else if check.ok {
                print("\(global.databasePath): ok (integrity, foreign keys, search indexes with \(check.searchRowsProbed) rows looked up, "
                      + "\(check.archiveChunksChecked) archive chunks decompressed and verified)")
            } else {
                check.problems.prefix(50).forEach { print($0) }
            }
            guard check.ok else {
                let count = check.problems.count
                let searchOnly = check.problems.allSatisfy { $0.hasPrefix("The search index") }
                throw CLIError("\(global.databasePath) has \(count) problem\(count == 1 ? "" : "s")\(output.isJSON ? "" : " (listed above)")"
                               + (searchOnly ? "; rebuild the search indexes with `agentlog db reindex`." : "; restore a backup with `agentlog db restore FILE`."))
            }
        }
    }

    struct Reindex: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reindex",
            abstract: "Rebuild the search indexes from the stored messages and tool calls (after `db check` finds them damaged).")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let rows = try global.openStore().rebuildSearchIndexes()
            print("\(global.databasePath): the search indexes were rebuilt over \(Money.groupThousands(Int64(rows))) rows.")
        }
    }

    struct Vacuum: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vacuum",
            abstract: "Rebuild the database file without its free pages (after deleting much); other agentlog processes wait meanwhile.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let (before, after) = try global.openStore().vacuum()
            let format = { (bytes: Int64) in ByteCountFormatter.string(fromByteCount: bytes, countStyle: .file) }
            print("\(global.databasePath): \(format(before)) before, \(format(after)) after.")
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "path", abstract: "Print the database path (--db, $AGENTLOG_DB or ~/.agentlog/agentlog.db).")
        @OptionGroup var global: GlobalOptions

        func run() { print(global.databasePath) }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "What the database holds: sessions, messages, archive size, schema.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        var format: OutputFormat { output.format }

        func run() throws {
            let status = try global.openStore(migrate: false).status()
            if format == .json {
                print(try JSONOutput.document(status).text())
                return
            }
            let activity = status.firstActivity == nil ? "no activity yet"
                : "\(TimeText.localTime(status.firstActivity, .current)) to \(TimeText.localTime(status.lastActivity, .current))"
            let ratio = status.archiveRawBytes > 0 ? Double(status.archiveStoredBytes) / Double(status.archiveRawBytes) : 0
            print("""
                Database      \(status.path) (\(String(format: "%.1f", Double(status.fileBytes) / 1e6)) MB, \(status.journalMode))
                Schema        \(status.migrations.filter(\.applied).map(\.name).joined(separator: ", "))\(status.migrations.contains { !$0.applied } ? " (pending: \(status.migrations.filter { !$0.applied }.map(\.name).joined(separator: ", ")))" : "")
                Sessions      \(Money.groupThousands(Int64(status.sessions))) in \(status.projects) projects, \(activity)
                Messages      \(Money.groupThousands(Int64(status.messages)))
                Responses     \(Money.groupThousands(Int64(status.usageRecords)))
                Tool calls    \(Money.groupThousands(Int64(status.toolCalls)))
                Subagents     \(Money.groupThousands(Int64(status.subagents)))
                Source files  \(status.sourceFiles)\(status.missingSourceFiles > 0 ? " (\(status.missingSourceFiles) gone from disk, kept in the archive)" : "")
                Archive       \(String(format: "%.1f", Double(status.archiveRawBytes) / 1e6)) MB raw in \(String(format: "%.1f", Double(status.archiveStoredBytes) / 1e6)) MB (\(String(format: "%.2f", ratio))×)
                Rejected      \(status.rejectedLines) lines
                Events        \(Money.groupThousands(Int64(status.events))); runs \(status.runs), jobs \(status.jobs)
                """)
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Bring the schema up to date (opening the database does this too, after a backup).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "List the migrations and whether each is applied, without changing anything.")
        var list = false
        @OptionGroup var output: OutputOptions
        var format: OutputFormat { output.format }

        func run() throws {
            let store = try global.openStore(migrate: !list)
            let migrations = try store.migrations()
            guard list else {
                print("The database \(global.databasePath) is up to date (\(migrations.map(\.name).joined(separator: ", "))).")
                return
            }
            if format == .json {
                print(try JSONOutput.document(MigrationList(migrations: migrations)).text())
            } else {
                for migration in migrations { print("\(migration.applied ? "[x]" : "[ ]") \(migration.name)") }
            }
        }
    }

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "backup", abstract: "Copy the database consistently to a new file (safe while agents write).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Where to write the copy (must not exist).")
        var target: String

        func run() throws {
            let path = try global.openStore().backup(to: global.expand(target))
            print(path)
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Replace the database with a backup, after checking it; the current contents are kept beside it first.",
            discussion: """
                The backup must pass SQLite's integrity check, be an agentlog database and be no newer than this \
                agentlog; an older one is upgraded after it is restored. The current contents are first copied \
                to <db>.before-restore-<time>.backup (delete it once you are sure). The copy goes in through \
                SQLite's backup API, so agents and servers that have the database open keep working.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The backup to restore (a file `agentlog db backup` wrote).")
        var source: String

        func run() throws {
            let store = try global.openStore()
            let aside = "\(global.databasePath).before-restore-\(AgentLogStore.now()).backup"
            let migrations = try store.restore(from: global.expand(source), aside: aside)
            print("Restored \(global.expand(source)) (schema \(migrations.last ?? "?")) into \(global.databasePath); "
                  + "the previous contents are in \(aside).")
        }
    }
}
