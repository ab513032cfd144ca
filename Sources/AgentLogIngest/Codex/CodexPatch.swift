#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files an `apply_patch` patch touches (`*** Add File: p`, `*** Update File: p`,
/// `*** Delete File: p`, `*** Move to: p`), in order, without repeats.
public enum CodexPatch {
    /// The files of a patch found in the raw bytes of a JSON string (a `custom_tool_call` input,
    /// or `function_call` arguments that run `apply_patch`), without decoding it: headers end at
    /// an escaped newline. A shell call's `workdir` argument, when there is one, is the folder
    /// relative paths are resolved against; else `folder`.
    public static func files(inJSONString raw: UnsafeRawBufferPointer, relativeTo folder: String?) -> [TouchedFile] {
        guard raw.count > 20, let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self),
              find(Array("*** Begin Patch".utf8), in: base, from: 0, count: raw.count) != nil else { return [] }
        let marker = Array("*** ".utf8)
        var lines: [String] = []
        var i = 0
        while let start = find(marker, in: base, from: i, count: raw.count) {
            var end = start
            while end < raw.count, base[end] != UInt8(ascii: "\\"), base[end] != UInt8(ascii: "\"") { end += 1 }
            lines.append(String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self))
            i = end
        }
        var workdir: String?
        let key = Array(#"workdir\":\""#.utf8)
        if let found = find(key, in: base, from: 0, count: raw.count) {
            let start = found + key.count
            var end = start
            while end < raw.count, base[end] != UInt8(ascii: "\\") { end += 1 }
            workdir = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        }
        return files(in: lines.joined(separator: "\n"), relativeTo: workdir ?? folder)
    }

    /// The offset of the first `needle` in `base[from..<count]`.
    static func find(_ needle: [UInt8], in base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int? {
        var i = from
        while i + needle.count <= count, let found = memchr(base + i, Int32(needle[0]), count - i - needle.count + 1) {
            let at = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            if memcmp(base + at, needle, needle.count) == 0 { return at }
            i = at + 1
        }
        return nil
    }

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

