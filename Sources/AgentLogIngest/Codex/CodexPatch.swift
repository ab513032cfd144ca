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
              find(beginPatch, in: base, from: 0, count: raw.count) != nil else { return [] }
        var workdir: String?
        if let found = find(workdirKey, in: base, from: 0, count: raw.count) {
            let start = found + workdirKey.count
            var end = start
            while end < raw.count, base[end] != UInt8(ascii: "\\") { end += 1 }
            workdir = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        }
        var files: [TouchedFile] = []
        var i = 0
        while let start = find(headerMarker, in: base, from: i, count: raw.count) {
            var end = start
            while end < raw.count, base[end] != UInt8(ascii: "\\"), base[end] != UInt8(ascii: "\"") { end += 1 }
            i = end
            let header = UnsafeBufferPointer(start: base + start, count: end - start)
            guard let (operation, prefixLength) = headers.first(where: { header.starts(with: $0.prefix) })
                .map({ ($0.operation, $0.prefix.count) }) else { continue }
            add(path: header.dropFirst(prefixLength), operation: operation, relativeTo: workdir ?? folder, to: &files)
        }
        return files
    }

    private static let beginPatch = Array("*** Begin Patch".utf8)
    private static let headerMarker = Array("*** ".utf8)
    private static let workdirKey = Array(#"workdir\":\""#.utf8)
    private static let headers: [(prefix: [UInt8], operation: FileOperation)] = [
        (Array("*** Add File: ".utf8), .write), (Array("*** Update File: ".utf8), .edit),
        (Array("*** Delete File: ".utf8), .delete), (Array("*** Move to: ".utf8), .write),
    ]

    /// Adds the path of one header (spaces around it trimmed, made absolute against `folder`),
    /// unless the list already has it with the same operation.
    private static func add<Bytes: Collection<UInt8>>(path bytes: Bytes, operation: FileOperation, relativeTo folder: String?,
                                                     to files: inout [TouchedFile]) {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D }
        let trimmed = bytes.drop(while: isSpace)
        var path = String(decoding: trimmed.reversed().drop(while: isSpace).reversed(), as: UTF8.self)
        guard !path.isEmpty else { return }
        if !path.hasPrefix("/"), let folder, !folder.isEmpty {
            path = (folder.hasSuffix("/") ? folder : folder + "/") + path
        }
        if !files.contains(where: { $0.path == path && $0.operation == operation }) {
            files.append(TouchedFile(path: path, operation: operation))
        }
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
}
