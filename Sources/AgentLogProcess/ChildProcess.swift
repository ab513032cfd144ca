import CSignalForwarding
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended.
public enum Termination: Sendable, Equatable {
    /// It exited with this code.
    case exited(Int32)
    /// A signal ended it.
    case signaled(Int32)

    /// The exit status a shell reports: the exit code, or 128 + the signal number.
    public var exitCode: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }

    /// Decodes a `waitpid` status.
    init(waitStatus status: Int32) {
        let low = status & 0x7f
        self = low == 0 ? .exited((status >> 8) & 0xff) : .signaled(low)
    }
}

/// A failure to start or watch a process, naming the command at fault.
public struct ProcessError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, starting in lower case (`cannot run make: command not found`).
    public var description: String
    /// Creates a value with these fields.
    public init(_ description: String) { self.description = description }

    /// `strerror` of an error number, in lower case.
    static func reason(_ code: Int32) -> String { String(cString: strerror(code)).lowercased() }
}

/// SIGINT, SIGTERM and SIGHUP caught for passing on to a child, and SIGCHLD to wake the waiter;
/// made by ``install()``. Signal actions are process-wide, so this works whatever threads the
/// process has. A SIGINT or SIGHUP this process was started with ignored (`nohup`, a background
/// job of a script) stays ignored, here and in the child.
public struct SignalForwarder: Sendable {
    /// The signals passed on to the child.
    public static let forwardedSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Where the handlers report what they received (the read end of a pipe).
    let descriptor: Int32
    /// The forwarded signals that are caught (the others stayed ignored).
    public let caught: [Int32]

    /// Catches the signals; call it once, before starting the child.
    public static func install() throws(ProcessError) -> SignalForwarder {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw ProcessError("cannot create a pipe: \(ProcessError.reason(errno))") }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        var caught: [Int32] = []
        // SIGTERM is always caught: a wrapper asked to end passes it on.
        for signal in forwardedSignals + [SIGCHLD] {
            let result = agentlog_forward_signal(signal, ends[1], signal == SIGTERM || signal == SIGCHLD ? 0 : 1)
            if result < 0 { throw ProcessError("cannot catch signal \(signal): \(ProcessError.reason(errno))") }
            if result == 0, signal != SIGCHLD { caught.append(signal) }
        }
        return SignalForwarder(descriptor: ends[0], caught: caught)
    }
}

/// A command started with this process's standard input, output and error, whose end the
/// starter waits for while passing on the signals it is sent (`agentlog run`).
///
/// ```swift
/// let forwarder = try SignalForwarder.install()
/// let child = try ChildProcess.spawn(["make", "test"], forwarder: forwarder)
/// let end = await child.termination(forwarding: forwarder)
/// exit(end.exitCode)
/// ```
public struct ChildProcess: Sendable {
    /// The child's process id.
    public let pid: Int32

    /// Starts `arguments[0]` (looked up in `PATH`) with the rest as its arguments, in this
    /// process's working directory, with `environment` added to this process's environment. The
    /// child starts with no blocked signals; the signals `forwarder` catches, SIGCHLD and
    /// SIGPIPE start with their default action.
    public static func spawn(_ arguments: [String], environment: [String: String] = [:],
                             forwarder: SignalForwarder? = nil) throws(ProcessError) -> ChildProcess {
        guard let command = arguments.first, !command.isEmpty else { throw ProcessError("no command to run") }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in (forwarder?.caught ?? []) + [SIGCHLD, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var merged: [String: String] = [:]
        #if canImport(Darwin)
        var pointer = _NSGetEnviron().pointee!
        #else
        var pointer = environ
        #endif
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") { merged[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            pointer += 1
        }
        for (key, value) in environment { merged[key] = value }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, command, nil, &attributes, argv, envp)
        guard code == 0 else {
            throw ProcessError("cannot run \(command): \(code == ENOENT ? "command not found" : ProcessError.reason(code))")
        }
        return ChildProcess(pid: pid)
    }

    /// Waits until the child ends, passing on the signals `forwarder` catches when a process
    /// sent them (`kill`). A Ctrl-C or hang-up from the terminal already reaches the child (it is
    /// in the terminal's process group), so those are not sent twice; neither is a signal sent to
    /// the whole process group — the child receives it too. Blocks the calling thread.
    public func wait(forwarding forwarder: SignalForwarder) throws(ProcessError) -> Termination {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return Termination(waitStatus: status) }
            if reaped < 0 && errno != EINTR { throw ProcessError("cannot wait for process \(pid): \(ProcessError.reason(errno))") }
            var descriptor = pollfd(fd: forwarder.descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 1000) > 0 else { continue }
            if descriptor.revents & Int16(POLLNVAL) != 0 { throw ProcessError("the signal forwarder was closed") }
            let count = read(forwarder.descriptor, &buffer, buffer.count)
            var index = 0
            while index + 1 < count {
                let signal = Int32(buffer[index])
                if signal != SIGCHLD, buffer[index + 1] == 1 { kill(pid, signal) }
                index += 2
            }
        }
    }

    /// ``wait(forwarding:)`` on a thread of its own, so that no task's thread waits for as
    /// long as the child runs.
    public func termination(forwarding forwarder: SignalForwarder) async throws(ProcessError) -> Termination {
        let result: Result<Termination, ProcessError> = await withCheckedContinuation { continuation in
            detachThread {
                do throws(ProcessError) {
                    continuation.resume(returning: .success(try wait(forwarding: forwarder)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}

/// A closure for a new thread.
private final class ThreadBody {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// Runs `body` on a new detached thread (without Foundation).
func detachThread(_ body: @escaping @Sendable () -> Void) {
    let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    #if canImport(Darwin)
    var thread: pthread_t?
    let code = pthread_create(&thread, nil, { pointer in
        Unmanaged<ThreadBody>.fromOpaque(pointer).takeRetainedValue().run()
        return nil
    }, context)
    if code == 0, let thread { pthread_detach(thread) } else { Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().run() }
    #else
    var thread = pthread_t()
    let code = pthread_create(&thread, nil, { pointer in
        Unmanaged<ThreadBody>.fromOpaque(pointer!).takeRetainedValue().run()
        return nil
    }, context)
    if code == 0 { pthread_detach(thread) } else { Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().run() }
    #endif
}
