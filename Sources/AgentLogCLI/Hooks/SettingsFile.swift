import Foundation

/// Changing another program's settings file safely: the change is shown as a diff with
/// `--dry-run`, a file that already says it is left alone, the user's file as it was is kept
/// once beside it (`.agentlog-backup`), and the new text replaces it atomically.
enum SettingsFile {
    /// Applies `change` (the file's text, nil when there is none, to the new text) to `path`.
    /// `normalize` gives the existing text as `change` would write it unchanged, so that a
    /// file that differs only in formatting counts as saying it already.
    static func edit(_ path: String, dryRun: Bool, _ change: (String?) throws -> String,
                     normalize: (String) throws -> String = { $0 }) throws {
        let existing = FileManager.default.contents(atPath: path)
        let existingText = try existing.map { bytes -> String in
            guard let text = String(bytes: bytes, encoding: .utf8) else { throw CLIError("\(path) is not UTF-8 text; fix it or move it away first.") }
            return text
        }
        let before = try existingText.map(normalize) ?? ""
        let after = try change(existingText)
        guard before != after else {
            print("\(path) already says this; nothing to change.")
            return
        }
        if dryRun {
            print(LineDiff.unified(before, after, oldName: existing == nil ? "/dev/null" : path, newName: path + " (after)"), terminator: "")
            print("(--dry-run: \(path) not written)")
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if let existing, !FileManager.default.fileExists(atPath: path + ".agentlog-backup") {
                try existing.write(to: URL(fileURLWithPath: path + ".agentlog-backup"))  // the user's file as it was, once
            }
            try Data(after.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError("Cannot write \(path): \(error.localizedDescription)")
        }
        print("Updated \(path).")
    }

    /// ``edit(_:dryRun:_:normalize:)`` of a JSON settings file: `change` is applied to its
    /// members in order; a file that did not exist and stays empty is not created.
    static func editJSON(_ path: String, dryRun: Bool, _ change: (inout JSONSettings) -> Void) throws {
        try edit(path, dryRun: dryRun) { existing in
            var settings = try existing.map { try JSONSettings(bytes: Array($0.utf8), path: path) } ?? JSONSettings()
            change(&settings)
            return settings.root.isEmpty && existing == nil ? "" : settings.text
        } normalize: { existing in
            try JSONSettings(bytes: Array(existing.utf8), path: path).text
        }
    }
}
