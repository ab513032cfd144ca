import AgentLogJSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Payloads that could not be written within the time limit (database locked, read-only, disk
/// full), kept in `<database>.spool/` beside the database until a later hook or sync replays them.
/// When that folder cannot take them either (the database's disk is full or read-only), they go
/// to a fallback folder of this user's under `/tmp` (its own file system on most machines),
/// named by the database's path; replay reads both.
///
/// One file per payload, named `<received ms>-<pid>-<n>.hook`: a first line
/// `agentlog-spool 1 <received ms>` and then the payload bytes. Files are written under a
/// temporary name and renamed, so a reader never sees half of one.
struct HookSpool {
    /// The folder beside the database.
    let folder: String
    /// The fallback folder, `/tmp/agentlog-spool-<uid>/<FNV-1a of the database path>`.
    let fallback: String

    init(databasePath: String) {
        folder = databasePath + ".spool"
        fallback = Self.fallbackRoot + "/" + String(FNV1a.hash(databasePath.utf8), radix: 16)
    }

    /// This user's folder of fallback spools.
    static var fallbackRoot: String { "/tmp/agentlog-spool-\(getuid())" }

    /// Keeps `bytes`, received at `receivedAt`, beside the database or else in the fallback
    /// folder; returns the file written. A payload that is not a hook payload at all goes to
    /// `rejected/`, which nothing replays.
    func keep(_ bytes: [UInt8], receivedAt: Int64, rejected: Bool = false) throws(HookError) -> String {
        do {
            return try keep(bytes, receivedAt: receivedAt, in: folder, rejected: rejected)
        } catch let first {
            guard Self.makePrivateFolder(Self.fallbackRoot), Self.makePrivateFolder(fallback) else { throw first }
            do {
                return try keep(bytes, receivedAt: receivedAt, in: fallback, rejected: rejected)
            } catch {
                throw HookError("\(first.description); and the fallback spool \(fallback) failed too (\(error.description))")
            }
        }
    }

    /// A folder of this user's, mode 0700, made if missing; one that is someone else's (or a
    /// link) is refused, since `/tmp` is shared.
    private static func makePrivateFolder(_ path: String) -> Bool {
        if mkdir(path, 0o700) != 0 && errno != EEXIST { return false }
        return isPrivateFolder(path)
    }

    /// Whether `path` is a folder (not a link) of this user's that no one else may write to:
    /// only then are the payloads in it this user's own.
    static func isPrivateFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == getuid() && info.st_mode & 0o022 == 0
    }

    /// The fallback folder, when it is this user's alone; else nothing is read from it.
    private var trustedFallback: String? {
        Self.isPrivateFolder(Self.fallbackRoot) && Self.isPrivateFolder(fallback) ? fallback : nil
    }

    private func keep(_ bytes: [UInt8], receivedAt: Int64, in base: String, rejected: Bool) throws(HookError) -> String {
        if mkdir(base, 0o700) != 0 && errno != EEXIST {
            throw HookError("cannot create the spool folder \(base): \(String(cString: strerror(errno)))")
        }
        let folder = rejected ? base + "/rejected" : base
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

    /// Whether any payload waits in either spool (cheap: the folders are usually missing or empty).
    var hasPending: Bool { Self.names(in: folder).first != nil || (trustedFallback.map { Self.names(in: $0).first != nil } ?? false) }

    /// The `.hook` files of a folder.
    private static func names(in folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".hook"), !name.hasPrefix(".") { names.append(name) }
        }
        return names
    }

    /// The spooled payloads of both folders, oldest first: (file, received ms, payload bytes).
    /// Unreadable or malformed files are skipped (and left for a person to look at).
    func pending(limit: Int) -> [(file: String, receivedAt: Int64, bytes: [UInt8])] {
        var files = Self.names(in: folder).map { (name: $0, file: folder + "/" + $0) }
        if let fallback = trustedFallback { files += Self.names(in: fallback).map { (name: $0, file: fallback + "/" + $0) } }
        files.sort { (Int64($0.name.prefix { $0 != "-" }) ?? 0, $0.name) < (Int64($1.name.prefix { $0 != "-" }) ?? 0, $1.name) }
        return files.prefix(limit).compactMap { entry in
            let file = entry.file
            guard let contents = Self.contents(of: file), let newline = contents.firstIndex(of: 0x0A) else { return nil }
            let header = String(decoding: contents[..<newline], as: UTF8.self).split(separator: " ")
            guard header.count == 3, header[0] == "agentlog-spool", header[1] == "1", let time = Int64(header[2]) else { return nil }
            return (file, time, Array(contents[(newline + 1)...]))
        }
    }

    /// Removes a replayed file; false when it cannot be (the replay then stops, not to repeat it).
    @discardableResult
    func remove(_ file: String) -> Bool { unlink(file) == 0 || errno == ENOENT }

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
