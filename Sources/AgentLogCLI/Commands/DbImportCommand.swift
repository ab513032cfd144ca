import AgentLogHistory
import AgentLogIngest
import AgentLogJSON
import AgentLogStore
import ArgumentParser
import Foundation

extension DbCommand {
    /// `agentlog db import OTHER.db`: merges another machine's database into this one.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Merge another machine's agentlog database into this one; the same session is counted once, and importing again adds nothing.",
            discussion: """
                Copy the other machine's database here first (`agentlog db backup FILE` there makes a consistent \
                copy). Its sessions, messages, responses, tool calls, files touched, events, telemetry and raw \
                archive are added in one transaction, each row marked with the machine it came from; a session \
                both databases have becomes one, with the rows either lacked. Its transcript files are kept as \
                gone from this disk (their bytes are in the archive, so `agentlog export SESSION --raw` works). \
                Coordination state, runs, jobs, settings and server accounts stay this machine's own. The file \
                is only read.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The other machine's database file.")
        var source: String

        @Option(help: ArgumentHelp("A name for the other machine (e.g. laptop), shown with what it recorded.", valueName: "name"))
        var name: String?

        @Flag(help: "Count what would be added, and change nothing.")
        var dryRun = false

        func validate() throws { try output.require([.text, .json], command: "db import") }

        func run() throws {
            let store = try global.openStore()
            let path = global.expand(source)
            guard URL(fileURLWithPath: path).standardizedFileURL.path != URL(fileURLWithPath: global.databasePath).standardizedFileURL.path else {
                throw CLIError("\(path) is this database itself; name another machine's database file.")
            }
            let bar = ProgressBar()
            let result = try store.importDatabase(from: path, machineName: name, dryRun: dryRun) { done, total in
                bar.update(label: "Merging tables", done: done, total: total)
            }
            bar.finish()
            if output.isJSON {
                print(try JSONOutput.document(result).text())
                return
            }
            let count = { (value: Int) in Money.groupThousands(Int64(value)) }
            guard !result.changedNothing else {
                print("\(path) holds nothing this database lacks (machine \(result.machine)); nothing was added.")
                return
            }
            print("""
                \(dryRun ? "Would add" : "Added") from \(path) (machine \(result.machine)\(name.map { ", \($0)" } ?? "")):
                  \(count(result.sessionsAdded)) new sessions, \(count(result.sessionsMerged)) sessions both had
                  \(count(result.messages)) messages, \(count(result.usageRecords)) responses, \(count(result.toolCalls)) tool calls
                  \(count(result.events)) events, \(count(result.telemetryRecords)) telemetry records
                  \(count(result.sourceFiles)) transcript files with \(count(result.archiveChunks)) archive chunks
                """ + (result.secretsMasked > 0 ? "\n  \(count(result.secretsMasked)) secrets masked in what was added" : ""))
            if dryRun { print("Nothing was changed; run it again without --dry-run to add them.") }
        }
    }
}
