import AgentLogJSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `stat` says about a file: enough to tell whether it changed since the last sync.
struct FileFingerprint: Equatable, Sendable {
    var device: Int64
    var inode: Int64
    var size: Int64
    var mtimeNs: Int64

    /// The fingerprint in a `stat` result.
    init(_ info: stat) {
        #if canImport(Darwin)
        let mtime = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
        let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
        self.init(device: Int64(bitPattern: UInt64(info.st_dev)), inode: Int64(bitPattern: UInt64(info.st_ino)),
                  size: Int64(info.st_size), mtimeNs: mtime)
    }

    init(device: Int64, inode: Int64, size: Int64, mtimeNs: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.mtimeNs = mtimeNs
    }
}

/// Errors of the file system, naming the path and the system's reason.
struct FileSystemError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path): \(reason)" }

    static func current(_ path: String) -> FileSystemError {
        FileSystemError(path: path, reason: String(cString: strerror(errno)))
    }
}

/// A read-only file descriptor, closed when the value is released.
final class ReadableFile {
    let descriptor: Int32
    let path: String

    init(path: String) throws(FileSystemError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError.current(path) }
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// Reads up to `count` bytes at `offset` into `buffer` starting at `index`; returns how many
    /// were read (0 at the end of the file).
    func read(into buffer: inout [UInt8], at index: Int, count: Int, offset: Int64) throws(FileSystemError) -> Int {
        let result = buffer.withUnsafeMutableBytes { bytes in
            pread(descriptor, bytes.baseAddress! + index, count, off_t(offset))
        }
        guard result >= 0 else { throw FileSystemError.current(path) }
        return result
    }

    /// The first `count` bytes of the file (fewer if it is shorter).
    func prefix(_ count: Int) throws(FileSystemError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let read = try read(into: &buffer, at: filled, count: count - filled, offset: Int64(filled))
            if read == 0 { break }
            filled += read
        }
        buffer.removeLast(count - filled)
        return buffer
    }
}

/// Lists the files under a folder, without following symbolic links into loops.
enum DirectoryWalker {
    /// Every regular file under `root` whose name passes `include`, with its fingerprint, in
    /// no particular order (the sync sorts the few that changed). A nothing-changed sync is
    /// mostly this walk, and its `getdents` and `stat` calls wait on the kernel: `threads`
    /// threads walk, each taking the next folder from a queue they share, so that a tree of a
    /// few deep folders is walked as fast as one of many shallow ones. Files are stat'ed relative
    /// to their open folder (`fstatat`), which spares the kernel a walk of the whole path for
    /// each of thousands of files.
    static func files(under root: String, threads: Int = 2,
                      include: @escaping @Sendable (String) -> Bool) -> [(path: String, fingerprint: FileFingerprint)] {
        let queue = FolderQueue(root)
        let helpers = (1..<max(1, threads)).map { _ in
            Background { () -> [(path: String, fingerprint: FileFingerprint)] in
                var part: [(path: String, fingerprint: FileFingerprint)] = []
                walk(queue, include: include, into: &part)
                return part
            }
        }
        var found: [(path: String, fingerprint: FileFingerprint)] = []
        walk(queue, include: include, into: &found)
        for helper in helpers { found += (try? helper.value()) ?? [] }
        return found
    }

    /// Walks folders from `queue` into `found` until the queue is done.
    private static func walk(_ queue: FolderQueue, include: (String) -> Bool,
                             into found: inout [(path: String, fingerprint: FileFingerprint)]) {
        var below: [String] = []
        while let folder = queue.take() {
            list(folder, include: include, into: &found, folders: &below)
            queue.finish(found: below)
            below.removeAll(keepingCapacity: true)
        }
    }

    /// The files of one folder into `found`, its folders into `below`.
    private static func list(_ folder: String, include: (String) -> Bool,
                             into found: inout [(path: String, fingerprint: FileFingerprint)], folders below: inout [String]) {
        guard let handle = opendir(folder) else { return }
        defer { closedir(handle) }
        let descriptor = dirfd(handle)
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let type = entry.pointee.d_type
            if type == DT_DIR {
                below.append(folder + "/" + name)
                continue
            }
            guard type == DT_REG || type == DT_LNK || type == DT_UNKNOWN else { continue }
            var info = stat()
            guard fstatat(descriptor, name, &info, 0) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                if type == DT_UNKNOWN { below.append(folder + "/" + name) }  // not into linked folders
            } else if (info.st_mode & S_IFMT) == S_IFREG, include(name) {
                found.append((folder + "/" + name, FileFingerprint(info)))
            }
        }
    }
}

/// ``FNV1a`` as stored: the prefix hash that tells a replaced file from an appended one.
func fnv1a(_ bytes: [UInt8]) -> Int64 { Int64(bitPattern: FNV1a.hash(bytes)) }
