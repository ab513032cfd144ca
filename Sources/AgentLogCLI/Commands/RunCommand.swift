import AgentLogProcess
import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog run -- COMMAND ARGS…`: runs a command for a project and records the run.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command for a project and record it: pid, host, arguments, start, end, exit code.",
        discussion: """
            The command runs in the project's directory with this terminal's input and output. \
            SIGINT, SIGTERM and SIGHUP sent to agentlog are passed on to it (a Ctrl-C reaches it \
            directly and is not sent twice; SIGINT or SIGHUP ignored when agentlog starts, as under \
            nohup, stay ignored). The run is completed when the command exits 0 and failed \
            otherwise, with its exit code (128 + the signal when a signal ended it); agentlog exits \
            with that code, or dies of the same SIGINT, SIGTERM or SIGHUP. If agentlog and the \
            command both vanish (kill -9, a reboot), the next `agentlog runs` shows the run crashed.

            The project (its directory) remembers the command and --prompt: `agentlog run --project \
            DIR` with no command runs the last one again. The command sees AGENTLOG_RUN_ID, \
            AGENTLOG_PROJECT, AGENTLOG_DB and, with a prompt, AGENTLOG_PROMPT.

              agentlog run -- claude -p "fix the failing test"
              agentlog run --project ~/src/billing --name billing -- make test
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The project's directory (default: the current one).", valueName: "dir"))
    var project: String?

    @Option(help: ArgumentHelp("The project's name (default: the directory's last component).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("A prompt to remember for the project, given to the command as $AGENTLOG_PROMPT.", valueName: "text"))
    var prompt: String?

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command and its arguments, after --.", valueName: "command"))
    var command: [String] = []

    func run() async throws {
        let directory = try Self.projectDirectory(project, global)
        let store = try global.openStore()
        try await store.detectCrashedRuns()
        let known = try await store.project(directory: directory)
        let arguments = command.isEmpty ? (known?.defaultCommand ?? []) : command
        guard !arguments.isEmpty else {
            throw ValidationError("Give the command to run after --; \(directory) has no default command yet.")
        }
        let saved = try await store.upsertProject(directory: directory, name: name, defaultPrompt: prompt)
        let run = try await store.createRun(NewRun(projectId: saved.id, args: arguments, process: nil, wrapper: .current))
        var environment = ["AGENTLOG_RUN_ID": String(run.id), "AGENTLOG_PROJECT": directory, "AGENTLOG_DB": global.databasePath]
        if let prompt = prompt ?? saved.defaultPrompt { environment["AGENTLOG_PROMPT"] = prompt }
        guard FileManager.default.changeCurrentDirectoryPath(directory) else {
            try await store.updateRunStatus(id: run.id, .failed, exitCode: 127)
            throw CLIError("Cannot enter the project directory \(directory).")
        }
        let child: ChildProcess
        let forwarder: SignalForwarder
        do {
            forwarder = try SignalForwarder.install()
            child = try ChildProcess.spawn(arguments, environment: environment, forwarder: forwarder)
        } catch {
            try await store.updateRunStatus(id: run.id, .failed, exitCode: 127)
            printError("error: \(error.description.prefix(1).uppercased() + error.description.dropFirst()).")
            throw ExitCode(127)
        }
        _ = try? await store.setRunProcess(id: run.id, ProcessIdentity.of(pid: child.pid))
        // Remembered once it started: a mistyped command does not become the default.
        if !command.isEmpty { _ = try? await store.upsertProject(directory: directory, defaultCommand: command) }
        let end: Termination
        do {
            end = try await child.termination(forwarding: forwarder)
        } catch {
            // The child is not ours to wait for any more; what became of it is unknown.
            _ = try? await store.markRunCrashed(id: run.id)
            throw CLIError("Lost track of \(arguments[0]) (pid \(child.pid)): \(error.description).")
        }
        await Self.record(end, run: run.id, in: store)
        // Die of the same signal, so that a shell loop around agentlog sees the Ctrl-C.
        if case .signaled(let signal) = end, SignalForwarder.forwardedSignals.contains(signal) {
            Foundation.signal(signal, SIG_DFL)
            // To the process, not this thread (a task's thread may block it); delivery is at once.
            kill(getpid(), signal)
            usleep(200_000)
        }
        if end.exitCode != 0 { throw ExitCode(end.exitCode) }
    }

    /// Records how the command ended, trying again for a while if the database is busy (a
    /// long sync): the run must not be left `running`, which the next sweep would call a crash.
    static func record(_ end: Termination, run id: Int64, in store: AgentLogStore) async {
        var delay: UInt64 = 50_000_000
        for attempt in 1...6 {
            do {
                try await store.updateRunStatus(id: id, end.exitCode == 0 ? .completed : .failed, exitCode: end.exitCode)
                return
            } catch {
                if attempt == 6 {
                    printError("warning: run \(id) ended with exit code \(end.exitCode), but that could not be recorded: \(error)")
                    return
                }
                try? await Task.sleep(nanoseconds: delay)
                delay *= 2
            }
        }
    }

    /// `--project` expanded, or the working directory; it must be a directory.
    static func projectDirectory(_ option: String?, _ global: GlobalOptions) throws -> String {
        let path = URL(fileURLWithPath: option.map(global.expand) ?? CommandContext.current.currentDirectory).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("The project directory \(path) does not exist.")
        }
        return path
    }
}
