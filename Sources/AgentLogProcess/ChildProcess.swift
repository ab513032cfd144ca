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
/// Call ``ChildProcess/prepareSignalForwarding()`` first thing in `main`, before any thread
/// starts, so that every thread of the process leaves the forwarded signals to the waiter:
///
/// ```swift
/// ChildProcess.prepareSignalForwarding()
/// let child = try ChildProcess.spawn(["make", "test"])
/// let end = child.waitForwardingSignals()
/// exit(end.exitCode)
/// ```
public struct ChildProcess: Sendable {
    /// The signals passed on to the child: interrupt, terminate, hang up.
    public static let forwardedSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    public let pid: Int32

    /// Blocks the forwarded signals and SIGCHLD in the calling thread (and so in every thread
    /// started after it), and gives them their default action, so that they wait for
    /// ``waitForwardingSignals()`` instead of ending this process. An ignored SIGTERM inherited
    /// from a parent is reset too.
    public static func prepareSignalForwarding() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        for signal in forwardedSignals + [SIGCHLD] { _ = resetSignalToDefault(signal) }
    }

    static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in forwardedSignals + [SIGCHLD] { sigaddset(&set, signal) }
        return set
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
        var defaults = signalSet()
        sigaddset(&defaults, SIGPIPE)
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
    /// with `kill`. A Ctrl-C or hang-up from the terminal already reaches the child (it is in
    /// the terminal's process group), so those are not sent twice.
    public func waitForwardingSignals() -> Termination {
        var set = Self.signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        while true {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { return Termination(waitStatus: status) }
            if reaped < 0 && errno != EINTR { return .exited(127) }
            #if os(Linux)
            var info = siginfo_t()
            var timeout = timespec(tv_sec: 1, tv_nsec: 0)
            let signal = sigtimedwait(&set, &info, &timeout)
            // si_code <= 0: sent by a process (kill, sigqueue); > 0: by the kernel (the terminal).
            if signal > 0, signal != SIGCHLD, info.si_code <= 0 { kill(pid, signal) }
            #else
            var pending = sigset_t()
            sigpending(&pending)
            for signal in Self.forwardedSignals + [SIGCHLD] where sigismember(&pending, signal) == 1 {
                var one = sigset_t()
                sigemptyset(&one)
                sigaddset(&one, signal)
                var received: Int32 = 0
                sigwait(&one, &received)
                if received != SIGCHLD { kill(pid, received) }
            }
            usleep(10_000)
            #endif
        }
    }
}

/// Sets a signal's action to the default.
private func resetSignalToDefault(_ number: Int32) -> Bool {
    var action = sigaction()
    #if os(Linux)
    action.__sigaction_handler.sa_handler = SIG_DFL
    #else
    action.__sigaction_u.__sa_handler = SIG_DFL
    #endif
    sigemptyset(&action.sa_mask)
    return sigaction(number, &action, nil) == 0
}
