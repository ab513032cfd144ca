/// The files an `apply_patch` patch touches (`*** Add File: p`, `*** Update File: p`,
/// `*** Delete File: p`, `*** Move to: p`), in order, without repeats.
public enum CodexPatch {
    public static func files(in patch: String, relativeTo folder: String?) -> [TouchedFile] {
        var files: [TouchedFile] = []
        for line in patch.split(whereSeparator: \.isNewline) {
            let operation: FileOperation
            let rest: Substring
            if line.hasPrefix("*** Add File: ") {
                operation = .write
                rest = line.dropFirst("*** Add File: ".count)
            } else if line.hasPrefix("*** Update File: ") {
                operation = .edit
                rest = line.dropFirst("*** Update File: ".count)
            } else if line.hasPrefix("*** Delete File: ") {
                operation = .delete
                rest = line.dropFirst("*** Delete File: ".count)
            } else if line.hasPrefix("*** Move to: ") {
                operation = .write
                rest = line.dropFirst("*** Move to: ".count)
            } else {
                continue
            }
            var path = String(rest.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
            guard !path.isEmpty else { continue }
            if !path.hasPrefix("/"), let folder, !folder.isEmpty {
                path = (folder.hasSuffix("/") ? folder : folder + "/") + path
            }
            if !files.contains(where: { $0.path == path && $0.operation == operation }) {
                files.append(TouchedFile(path: path, operation: operation))
            }
        }
        return files
    }
}

