import AgentLogStore
import ArgumentParser
import Foundation

extension DbCommand {
    /// `agentlog db export --format jsonl`: every table as JSON Lines.
    struct Export: ParsableCommand {
        enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl }

        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write every table as JSON Lines, versioned, from one consistent snapshot (to stdout or --output).",
            discussion: """
                The first line names the export's schema (agentlog.export.v1), the database's migrations and \
                each table's columns; then one line per row, {"table":…,"row":{…}}, values as stored (a blob \
                as {"base64":…}); the last line is {"end":true,"rows":N}. The search indexes are left out: they \
                are made from the messages and tool calls. Agents keep writing meanwhile.
                """)
        @OptionGroup var global: GlobalOptions

        @Option(help: "The export format (jsonl).")
        var format: Format = .jsonl

        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file (must not exist) instead of stdout.", valueName: "file"))
        var output: String?

        @Flag(help: "Leave out the archive's compressed transcript bytes (the largest part).")
        var noArchive = false

        func run() throws {
            let store = try global.openStore(migrate: false)
            let bar = ProgressBar()
            defer { bar.finish() }
            let progress = { (done: Int, total: Int) in bar.update(label: "Exporting tables", done: done, total: total) }
            guard let output else {
                let sink = CommandContext.current.standardOutput
                _ = try store.exportJSONL(includeArchive: !noArchive, progress: progress) { sink.write($0) }
                return
            }
            let path = global.expand(output)
            guard !FileManager.default.fileExists(atPath: path) else {
                throw CLIError("\(path) already exists; name a new file for the export.")
            }
            let partial = path + ".partial"
            guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let handle = FileHandle(forWritingAtPath: partial) else {
                throw CLIError("Cannot write the export to \(path): its folder does not exist or is not writable.")
            }
            let summary: ExportSummary
            do {
                defer { try? handle.close() }
                summary = try store.exportJSONL(includeArchive: !noArchive, progress: progress) { try handle.write(contentsOf: $0) }
                try handle.synchronize()
                try FileManager.default.moveItem(atPath: partial, toPath: path)
            } catch {
                try? FileManager.default.removeItem(atPath: partial)
                throw CLIError("Cannot write the export to \(path): \(error).")
            }
            bar.finish()
            let rows = summary.rows.reduce(0) { $0 + $1.count }
            let size = ByteCountFormatter.string(fromByteCount: summary.bytes, countStyle: .file)
            print("Wrote \(rows) rows of \(summary.rows.count) tables (\(size)) to \(path).")
        }
    }
}
