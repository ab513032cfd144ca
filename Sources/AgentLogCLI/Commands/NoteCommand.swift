import AgentLogJSON
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog note failed-path`: memory that survives a compaction.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Remember something for the agent across compactions.",
        subcommands: [FailedPathNote.self])

    struct FailedPathNote: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "failed-path",
            abstract: "Note an approach that did not work, so the agent is told after a compaction or a resume.",
            discussion: """
                For the agent itself (from its shell) or for you. The note belongs to the project \
                (the current folder unless --project) and, with --session, to one session; the \
                hook lists it in additionalContext when a session of that project starts again \
                after a compaction or a resume.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("What was tried.", valueName: "text"))
        var approach: String

        @Option(help: ArgumentHelp("Why it failed.", valueName: "text"))
        var reason: String

        @Option(help: ArgumentHelp("The file it was about.", valueName: "path"))
        var file: String?

        @Option(help: ArgumentHelp("The session (default: $CLAUDE_SESSION_ID when set).", valueName: "id"))
        var session: String?

        @Option(help: ArgumentHelp("The project folder (default: the current folder).", valueName: "dir"))
        var project: String?

        @OptionGroup var output: OutputOptions
        var format: OutputFormat { output.format }

        func validate() throws {
            if approach.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--approach needs some text.") }
            if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--reason needs some text.") }
            try output.require([.text, .json], command: "note")
        }

        func run() throws {
            let store = try global.openStore()
            let environment = CommandContext.current.environment
            let note = FailedPath(session: session ?? environment["CLAUDE_SESSION_ID"].flatMap { $0.isEmpty ? nil : $0 },
                                  project: global.expand(project ?? CommandContext.current.currentDirectory),
                                  approach: approach, reason: reason, file: file.map(global.expand))
            try store.addFailedPath(note)
            if format == .json {
                print(try JSONOutput.document(NotedFailedPath(note)).text())
            } else {
                print("Noted for \(note.project ?? "all projects"): \(note.approach) — \(note.reason)")
            }
        }
    }
}
