import AgentLogDatabase
import AgentLogSQLite
import Foundation

/// What a command needs from the world it runs in: where its output goes, its standard input,
/// the environment, the current folder, the clock and how the database is opened. The executable runs commands in
/// ``process`` (this process's own); tests run them in-process in a context of their own
/// (``captured(environment:currentDirectory:input:now:)``) and read what they wrote.
///
/// Commands reach it as ``current``, a task-local value: ``AgentLogCommand/run(_:in:)``
/// binds it for the command it runs.
public struct CommandContext: Sendable {
    /// Standard output.
    public var standardOutput: OutputSink
    /// Standard error: diagnostics, warnings, progress.
    public var standardError: OutputSink
    /// All of standard input (read on demand: only the hook reads it).
    public var readInput: @Sendable () -> [UInt8]
    /// The next line of standard input without its line ending, `nil` at its end (piped replays).
    public var readLine: @Sendable () -> String?
    /// The environment variables.
    public var environment: [String: String]
    /// The current folder, for relative paths.
    public var currentDirectory: String
    /// The clock.
    public var now: @Sendable () -> Date

    /// A context; see ``process`` and ``captured(environment:currentDirectory:input:now:)``.
    public init(standardOutput: OutputSink, standardError: OutputSink, readInput: @escaping @Sendable () -> [UInt8],
                readLine: @escaping @Sendable () -> String?, environment: [String: String], currentDirectory: String,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.readInput = readInput
        self.readLine = readLine
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.now = now
    }

    /// This process: its file descriptors 0, 1 and 2, its environment, folder and clock.
    public static var process: CommandContext {
        CommandContext(standardOutput: .fileDescriptor(STDOUT_FILENO), standardError: .fileDescriptor(STDERR_FILENO),
                       readInput: { FileHandle.standardInput.readDataToEndOfFile().map { $0 } },
                       readLine: { Swift.readLine(strippingNewline: true).map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 } },
                       environment: ProcessInfo.processInfo.environment,
                       currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// A context whose output and errors are kept in memory (``OutputSink/text``), with the
    /// given environment, folder, standard input and clock: how tests run commands.
    public static func captured(environment: [String: String], currentDirectory: String, input: [UInt8] = [],
                                now: @escaping @Sendable () -> Date = { Date() }) -> CommandContext {
        let lines = InputLines(input)
        return CommandContext(standardOutput: .buffer(), standardError: .buffer(), readInput: { input }, readLine: { lines.next() },
                              environment: environment, currentDirectory: currentDirectory, now: now)
    }

    /// The context of the command running now.
    @TaskLocal public static var current: CommandContext = .process

    /// Now, in milliseconds since 1970, by the context's clock.
    package var nowMilliseconds: Int64 { Int64((now().timeIntervalSince1970 * 1000).rounded()) }

    /// Opens the database at `path` (``GlobalOptions/openStore(migrate:)`` calls this);
    /// `migrate: false` only looks.
    public var openStore: @Sendable (_ path: String, _ migrate: Bool) throws -> AgentLogStore = { path, migrate in
        try AgentLogStore.open(at: path, migrate: migrate)
    }

    /// What `serve`, `mcp` and `auth user` do once parsed: set by the `agentlog-server`
    /// executable and by tests; `nil` in `agentlog`, which then runs `agentlog-server` (``ServerHalf``).
    package var serverHalf: (any ServerHalf)?

    /// The command line `agentlog-server` is run with when a command needs the server half and
    /// there is none: set by the `agentlog` executable to its own; `nil` elsewhere (in-process
    /// runs then fail with a message instead).
    package var serverArguments: [String]?

    /// `$HOME` (or `/` when it is not set).
    var home: String { environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/" }

    /// `path` with `~/` expanded and a relative path taken from the current folder.
    func absolute(_ path: String) -> String {
        DatabaseLocation.absolute(path, environment: { environment[$0] }, currentDirectory: currentDirectory)
    }

    /// Whether standard output is a terminal that may be coloured (and `NO_COLOR` is not set).
    var colorsOutput: Bool { standardOutput.isTerminal && environment["NO_COLOR"] == nil }
}

/// The lines of a captured standard input, handed out one at a time.
private final class InputLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: ArraySlice<String>

    init(_ input: [UInt8]) {
        var lines = String(decoding: input, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        if lines.last == "" { lines.removeLast() }
        self.lines = lines[...]
    }

    func next() -> String? { lock.withLock { lines.popFirst() } }
}

/// Where a command's output goes: a file descriptor of this process, or a buffer in memory.
public final class OutputSink: @unchecked Sendable {
    private let descriptor: Int32?
    private let lock = NSLock()
    private var captured: [UInt8] = []

    private init(descriptor: Int32?) { self.descriptor = descriptor }

    /// Writes to a file descriptor of this process.
    public static func fileDescriptor(_ descriptor: Int32) -> OutputSink { OutputSink(descriptor: descriptor) }

    /// Keeps what is written in memory (see ``text``).
    public static func buffer() -> OutputSink { OutputSink(descriptor: nil) }

    /// Whether this is a terminal (a buffer never is).
    public var isTerminal: Bool { descriptor.map { isatty($0) == 1 } ?? false }

    /// Writes `bytes`.
    public func write(_ bytes: [UInt8]) {
        guard let descriptor else {
            lock.withLock { captured += bytes }
            return
        }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// Writes `text` as UTF-8.
    public func write(_ text: String) { write(Array(text.utf8)) }

    /// What a buffer holds, as text (empty for a file descriptor).
    public var text: String { lock.withLock { String(decoding: captured, as: UTF8.self) } }
}

/// Writes `items` to the current command's standard output, as Swift's `print` would: every
/// command's output goes through its ``CommandContext``.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    CommandContext.current.standardOutput.write(items.map { "\($0)" }.joined(separator: separator) + terminator)
}

/// Writes a line to the current command's standard error.
func printError(_ text: String) {
    CommandContext.current.standardError.write(text + "\n")
}
