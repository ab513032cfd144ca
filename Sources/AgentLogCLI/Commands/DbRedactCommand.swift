import AgentLogHistory
import AgentLogIngest
import AgentLogStore
import ArgumentParser
import Foundation

extension DbCommand {
    /// `agentlog db redact`: masks the secrets already stored and turns masking on.
    struct Redact: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "redact",
            abstract: "Mask the secrets in text already stored (messages, tool calls, titles, event payloads), rebuild the search indexes, and mask new text from now on.",
            discussion: """
                Old text is overwritten in place (SQLite's secure delete) and the write-ahead log is emptied, so \
                no secret stays in the file's free pages or in the search indexes. The raw archive keeps the \
                transcripts byte for byte (it is never searched; `agentlog export SESSION --raw` reads it). \
                `agentlog secrets` lists what was masked. --off stores new text as it is from now on.
                """)
        @OptionGroup var global: GlobalOptions

        @Flag(help: "Stop masking new text (what is stored already stays as it is).")
        var off = false

        func run() throws {
            let store = try global.openStore()
            if off {
                try store.setRedaction(false)
                print("\(global.databasePath): new text is stored as it is from now on; `agentlog db redact` masks it again.")
                return
            }
            let progress = ProgressBar()
            let result = try store.redactStoredText { done, total in progress.update(label: "Masking secrets", done: done, total: total) }
            progress.finish()
            let count = { (value: Int) in Money.groupThousands(Int64(value)) }
            print("\(global.databasePath): masked \(count(result.secrets)) secrets in \(count(result.rowsChanged)) of \(count(result.rowsScanned)) rows; "
                  + "the search indexes were rebuilt and new text is masked from now on (`agentlog secrets` lists what was found).")
        }
    }
}
