import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog export SESSION --raw`: the session's original files, byte for byte, from the archive.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a session's original transcript files, byte for byte, from the database's archive.",
        discussion: """
            Works after the agent deleted its transcripts: the archive keeps every ingested byte. \
            Files are written under --out with their path relative to the folder they were synced \
            from (e.g. <project>/<session>.jsonl and <project>/<session>/subagents/agent-<id>.jsonl); \
            a session synced from several folders gets root-1/, root-2/, … for each.
            """)

    @Argument(help: "The session id, or an unambiguous prefix of it.")
    var session: String

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Export the raw source files (the only export format so far).")
    var raw = false

    @Option(help: ArgumentHelp("The folder to write into (default: the current folder).", valueName: "dir"))
    var out: String = "."

    @Flag(help: "Overwrite files that already exist.")
    var force = false

    func validate() throws {
        if !raw { throw ValidationError("Say which export you want: --raw writes the original files byte for byte.") }
    }

    func run() throws {
        let store = try global.openStore()
        let reference = try store.resolveSession(session)
        let files = try store.archivedFiles(of: reference)
        guard !files.isEmpty else { throw CLIError("The session \(reference.sessionId) has no archived files.") }
        let folder = global.expand(out)
        // Copies of a session under two roots (~/.claude and $CLAUDE_CONFIG_DIR) would share
        // relative paths: each root then gets a folder of its own.
        let roots = Array(Set(files.map(\.root))).sorted()
        for file in files {
            let prefix = roots.count > 1 ? "root-\(roots.firstIndex(of: file.root)! + 1)/" : ""
            let target = folder + "/" + prefix + file.relativePath
            if FileManager.default.fileExists(atPath: target), !force {
                throw CLIError("\(target) already exists; use --force to overwrite it or --out to choose another folder.")
            }
            do {
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
            } catch {
                throw CLIError("Cannot create the folder for \(target): \(error.localizedDescription)")
            }
            guard FileManager.default.createFile(atPath: target, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let handle = FileHandle(forWritingAtPath: target) else {
                throw CLIError("Cannot write \(target).")
            }
            defer { try? handle.close() }
            try handle.truncate(atOffset: 0)
            try store.restore(file) { bytes in try handle.write(contentsOf: bytes) }
            print("\(target) (\(file.size) bytes\(file.missingSince != nil ? ", source file no longer on disk" : ""))")
        }
    }
}
