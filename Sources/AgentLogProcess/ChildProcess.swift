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
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A command started with this process's standard input, output and error, whose end the
/// starter waits for while passing on the signals it is sent (`agentlog run`).
///
/// ```swift
/// try ChildProcess.forwardSignals()
/// let child = try ChildProcess.spawn(["make", "test"])
/// let end = child.waitForwardingSignals()
/// exit(end.exitCode)
/// ```
public struct ChildProcess: Sendable {
    /// The signals passed on to the child: interrupt, terminate, hang up.
    public static let forwardedSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Where the signal handlers write what they received (signal number, and 1 when a process
    /// sent it): a descriptor of its own, so a handler needs no state but this number.
    static let signalDescriptor: Int32 = 1021

    public let pid: Int32

    /// From now on SIGINT, SIGTERM and SIGHUP no longer end this process (an ignored SIGTERM
    /// inherited from a parent included) but wait for ``waitForwardingSignals()`` to pass them
    /// on, and SIGCHLD wakes it. Signal actions are process-wide, so this works whatever threads
    /// the process has.
    public static func forwardSignals() throws(ProcessError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw ProcessError("cannot create a pipe: \(String(cString: strerror(errno)))") }
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        guard dup2(ends[0], signalDescriptor) >= 0, dup2(ends[1], signalDescriptor + 1) >= 0 else {
            throw ProcessError("cannot set up signal forwarding: \(String(cString: strerror(errno)))")
        }
        for descriptor in [signalDescriptor, signalDescriptor + 1] { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        ends.forEach { _ = close($0) }
        let handler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { signal, info, _ in
            // si_code <= 0: sent by a process (kill, sigqueue); > 0: by the kernel (the terminal).
            var bytes: (UInt8, UInt8) = (UInt8(truncatingIfNeeded: signal), (info?.pointee.si_code ?? 1) <= 0 ? 1 : 0)
            _ = withUnsafeBytes(of: &bytes) { write(1022, $0.baseAddress, 2) }
        }
        for signal in forwardedSignals + [SIGCHLD] {
            var action = sigaction()
            #if os(Linux)
            action.__sigaction_handler.sa_sigaction = handler
            #else
            action.__sigaction_u.__sa_sigaction = handler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_SIGINFO | SA_RESTART | (signal == SIGCHLD ? SA_NOCLDSTOP : 0)
            guard sigaction(signal, &action, nil) == 0 else {
                throw ProcessError("cannot handle signal \(signal): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Starts `arguments[0]` (looked up in `PATH`) with the rest as its arguments, in this
    /// process's working directory, with `environment` added to this process's environment. The
    /// child starts with no blocked signals and default signal actions.
    public static func spawn(_ arguments: [String], environment: [String: String] = [:]) throws(ProcessError) -> ChildProcess {
        guard let command = arguments.first, !command.isEmpty else { throw ProcessError("no command to run") }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in forwardedSignals + [SIGCHLD, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var merged: [String: String] = [:]
        var pointer = environ
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
            let reason = code == ENOENT ? "command not found" : String(cString: strerror(code)).lowercased()
            throw ProcessError("cannot run \(command): \(reason)")
        }
        return ChildProcess(pid: pid)
    }

    /// Waits until the child ends, passing on SIGINT, SIGTERM and SIGHUP sent to this process
    /// with `kill` (after ``forwardSignals()``). A Ctrl-C or hang-up from the terminal already
    /// reaches the child (it is in the terminal's process group), so those are not sent twice.
    public func waitForwardingSignals() -> Termination {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return Termination(waitStatus: status) }
            if reaped < 0 && errno != EINTR { return .exited(127) }
            var descriptor = pollfd(fd: Self.signalDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 1000) > 0 else { continue }
            let count = read(Self.signalDescriptor, &buffer, buffer.count)
            var index = 0
            while index + 1 < count {
                let signal = Int32(buffer[index])
                if signal != SIGCHLD, buffer[index + 1] == 1 { kill(pid, signal) }
                index += 2
            }
        }
    }
}
