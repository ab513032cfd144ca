#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A process as this machine knows it: its pid and when it started. A pid alone is not enough
/// to tell whether a recorded process is still alive, because the system reuses pids; the start
/// time (with the boot it belongs to) tells a reused pid from the original process.
///
/// ```swift
/// let me = ProcessIdentity.current
/// let alive = ProcessIdentity.isRunning(pid: me.pid, startToken: me.startToken)  // true
/// ```
public struct ProcessIdentity: Sendable, Equatable, Codable {
    /// The process id.
    public var pid: Int32
    /// An opaque token for the process's start: on Linux the boot id and the start time in clock
    /// ticks since boot (`/proc/<pid>/stat`), on macOS the start time in microseconds.
    public var startToken: String?

    /// Creates a value with these fields.
    public init(pid: Int32, startToken: String?) {
        self.pid = pid
        self.startToken = startToken
    }

    /// This process.
    public static var current: ProcessIdentity { of(pid: getpid()) }

    /// The process that has `pid` now, with its start token (`nil` when there is none).
    public static func of(pid: Int32) -> ProcessIdentity {
        ProcessIdentity(pid: pid, startToken: startToken(of: pid))
    }

    /// The start token of a running process, or `nil` when no process has that pid (a zombie,
    /// already exited and waiting to be reaped, counts as gone).
    public static func startToken(of pid: Int32) -> String? {
        if case .running(let token) = lookup(pid) { return token }
        return nil
    }

    /// What the system says of a pid.
    enum Lookup: Equatable {
        case running(String)
        /// No such process, or a zombie.
        case gone
        /// The system would not say (the process may exist).
        case unknown
    }

    static func lookup(_ pid: Int32) -> Lookup {
        guard pid > 0 else { return .gone }
        #if os(Linux)
        guard let stat = readSmallFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return .gone }
        // After "pid (comm)": field 3 is the state, field 22 the start time.
        let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
        guard fields.count > 19 else { return .unknown }
        let state = fields[0].first
        if state == UInt8(ascii: "Z") || state == UInt8(ascii: "X") { return .gone }
        return .running(bootId + ":" + String(decoding: fields[19], as: UTF8.self))
        #else
        var info = kinfo_proc()
        var size = MemoryLayout<kinfo_proc>.stride
        var name: [Int32] = [CTL_KERN, KERN_PROC, KERN_PROC_PID, pid]
        guard sysctl(&name, 4, &info, &size, nil, 0) == 0 else { return .unknown }
        if size == 0 { return .gone }
        if info.kp_proc.p_stat == SZOMB { return .gone }
        let start = info.kp_proc.p_un.__p_starttime
        return .running("\(Int64(start.tv_sec) * 1_000_000 + Int64(start.tv_usec))")
        #endif
    }

    /// Whether the process that had `pid` and started at `startToken` is still running: `false`
    /// when the pid is gone, or when it now belongs to a process that started at another time.
    /// Without a recorded token only the pid is checked.
    public static func isRunning(pid: Int32, startToken recorded: String?) -> Bool {
        switch lookup(pid) {
        case .running(let token): return recorded == nil || recorded == token
        case .gone: return false
        case .unknown: return kill(pid, 0) == 0 || errno == EPERM
        }
    }

    /// This machine's name, as runs record it.
    public static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    #if os(Linux)
    /// This boot's id: start times count from boot, so a token holds both.
    static var bootId: String {
        guard let bytes = readSmallFile("/proc/sys/kernel/random/boot_id") else { return "boot" }
        return String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    static func readSmallFile(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        var count = 0
        while count < bytes.count {
            let read = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + count, $0.count - count) }
            if read < 0 && errno == EINTR { continue }
            if read <= 0 { break }
            count += read
        }
        return count > 0 ? Array(bytes.prefix(count)) : nil
    }
    #endif
}
