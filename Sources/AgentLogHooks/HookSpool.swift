import AgentLogJSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Payloads that could not be written within the time limit (database locked, read-only, disk
/// full), kept in `<database>.spool/` beside the database until a later hook or sync replays them.
///
/// One file per payload, named `<received ms>-<pid>-<n>.hook`: a first line
/// `agentlog-spool 1 <received ms>` and then the payload bytes. Files are written under a
/// temporary name and renamed, so a reader never sees half of one.
struct HookSpool {
    let folder: String

    init(databasePath: String) { folder = databasePath + ".spool" }

    /// Keeps `bytes`, received at `receivedAt`; returns the file written. A payload that is not
    /// a hook payload at all goes to `rejected/`, which nothing replays.
    func keep(_ bytes: [UInt8], receivedAt: Int64, rejected: Bool = false) throws(HookError) -> String {
        if mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw HookError("cannot create the spool folder \(folder): \(String(cString: strerror(errno)))")
        }
        let folder = rejected ? self.folder + "/rejected" : self.folder
        if rejected, mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw HookError("cannot create the spool folder \(folder): \(String(cString: strerror(errno)))")
        }
        var attempt = 0
        while true {
            let name = "\(receivedAt)-\(getpid())-\(attempt).hook"
            let temporary = folder + "/." + name + ".tmp"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor < 0 {
                if errno == EEXIST && attempt < 100 { attempt += 1; continue }
                throw HookError("cannot write to the spool folder \(folder): \(String(cString: strerror(errno)))")
            }
            let header = Array("agentlog-spool 1 \(receivedAt)\n".utf8)
            let written = Self.writeAll(descriptor, header) && Self.writeAll(descriptor, bytes) && fsync(descriptor) == 0
            close(descriptor)
            guard written, rename(temporary, folder + "/" + name) == 0 else {
                unlink(temporary)
                throw HookError("cannot write to the spool folder \(folder): \(String(cString: strerror(errno)))")
            }
            return folder + "/" + name
        }
    }

    /// Whether any payload waits in the spool (cheap: the folder is usually missing or empty).
    var hasPending: Bool {
        guard let directory = opendir(folder) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".hook"), !name.hasPrefix(".") { return true }
        }
        return false
    }

    /// The spooled payloads, oldest first: (file, received ms, payload bytes). Unreadable or
    /// malformed files are skipped (and left for a person to look at).
    func pending(limit: Int) -> [(file: String, receivedAt: Int64, bytes: [UInt8])] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".hook"), !name.hasPrefix(".") { names.append(name) }
        }
        names.sort { (Int64($0.prefix { $0 != "-" }) ?? 0, $0) < (Int64($1.prefix { $0 != "-" }) ?? 0, $1) }
        return names.prefix(limit).compactMap { name in
            let file = folder + "/" + name
            guard let contents = Self.contents(of: file), let newline = contents.firstIndex(of: 0x0A) else { return nil }
            let header = String(decoding: contents[..<newline], as: UTF8.self).split(separator: " ")
            guard header.count == 3, header[0] == "agentlog-spool", header[1] == "1", let time = Int64(header[2]) else { return nil }
            return (file, time, Array(contents[(newline + 1)...]))
        }
    }

    func remove(_ file: String) { unlink(file) }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }

    /// A whole (small) file.
    static func contents(of path: String) -> [UInt8]? { FileBytes.contents(ofFile: path) }

    /// Everything a descriptor yields until its end.
    static func readAll(_ descriptor: Int32) -> [UInt8]? { FileBytes.readAll(descriptor) }
}

#if canImport(Glibc)
let systemWrite = Glibc.write
#elseif canImport(Darwin)
let systemWrite = Darwin.write
#endif
