import AgentLogHistory
import AgentLogIngest
import AgentLogJSON
import AgentLogStore
import ArgumentParser
import Foundation

/// An age given on the command line: a number and a unit, `180d`, `26w`, `12h`.
struct Age: ExpressibleByArgument, Sendable {
    /// The age in milliseconds.
    let milliseconds: Int64
    /// As it was given.
    let text: String

    init?(argument: String) {
        let units: [Character: Int64] = ["h": 3_600_000, "d": 86_400_000, "w": 604_800_000]
        guard let unit = argument.last.flatMap({ units[$0] }), let count = Int64(argument.dropLast()), count > 0,
              count <= 100_000 * 86_400_000 / unit
        else { return nil }
        milliseconds = count * unit
        text = argument
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

extension DbCommand {
    /// `agentlog db prune`: removes history older than an age.
    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Remove sessions, events and telemetry older than an age, and the archive of what goes (see --dry-run first).",
            discussion: """
                A session goes when its last activity is older than --older-than, with its messages, responses, \
                tool calls, subagents and files touched; reports and search no longer count it. Hook and app \
                events and telemetry received before then go too. The raw archive of transcript files that held \
                only pruned sessions goes unless --keep-archive. The files stay registered, so a later sync does \
                not read the pruned lines again. The space is reused by new rows; `agentlog db vacuum` gives it \
                back to the disk. Take a backup first (`agentlog db backup FILE`) if you may want it back.
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        @Option(help: ArgumentHelp("Remove what is older than this: a number and h, d or w (180d, 26w).", valueName: "age"))
        var olderThan: Age

        @Flag(help: "Keep the raw archive of pruned sessions' transcripts (only the parsed rows go).")
        var keepArchive = false

        @Flag(help: "Count what would be removed, and change nothing.")
        var dryRun = false

        func validate() throws { try output.require([.text, .json], command: "db prune") }

        func run() throws {
            let store = try global.openStore()
            let cutoff = AgentLogStore.now() - olderThan.milliseconds
            let progress = ProgressBar()
            let result = try store.prune(olderThan: cutoff, keepArchive: keepArchive, dryRun: dryRun) { done, total in
                progress.update(label: "Pruning sessions", done: done, total: total)
            }
            progress.finish()
            if output.isJSON {
                print(try JSONOutput.document(result).text())
                return
            }
            let day = TimeText.localTime(cutoff, .current)
            let count = { (value: Int) in Money.groupThousands(Int64(value)) }
            let archive = keepArchive ? "the archive kept" : result.archiveChunks == 0 ? "no archive chunks"
                : "\(count(result.archiveChunks)) archive chunks (\(ByteCountFormatter.string(fromByteCount: result.archiveBytes, countStyle: .file)))"
            print("""
                \(dryRun ? "Would remove" : "Removed") what is older than \(olderThan.text) (before \(day)):
                  \(count(result.sessions)) sessions with \(count(result.messages)) messages, \(count(result.usageRecords)) responses and \(count(result.toolCalls)) tool calls
                  \(count(result.events)) events, \(count(result.telemetryRecords)) telemetry records, \(archive)
                """)
            if dryRun {
                print("Nothing was changed; run it again without --dry-run to remove them.")
            } else if result.sessions + result.events + result.telemetryRecords > 0 {
                print("Run `agentlog db vacuum` to give the space back to the disk.")
            }
        }
    }
}
