import AgentLogTestSupport
import Foundation
import Testing

@Suite("agentlog run, runs and projects with real processes", .serialized)
struct RunCommandTests {
    let home: TemporaryFolder
    let db: String
    let project: String

    init() throws {
        home = try TemporaryFolder()
        db = home.path + "/agentlog.db"
        project = home.path + "/work/billing"
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
    }

    /// `agentlog arguments` in a process of its own: runs pass signals on and exit with their
    /// command's status, which the test process must not do itself.
    private func run(_ arguments: String...) throws -> CLIRun {
        try CLIRun.spawned(["--db", db] + arguments, home: home.path)
    }

    private func runs() throws -> [[String: Any]] {
        try #require(try run("runs", "--format", "json").json?["rows"] as? [[String: Any]])
    }

    /// `agentlog run …` started in the background.
    private func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = CLIRun.binary
        process.arguments = ["--db", db, "run", "--project", project, "--"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until the newest run has its command's pid recorded.
    private func recordedChild() throws -> (run: Int, pid: Int32) {
        for _ in 0..<200 {
            if let row = try runs().first, let pid = row["pid"] as? Int, row["status"] as? String == "running" {
                return (row["id"] as? Int ?? 0, Int32(pid))
            }
            usleep(25_000)
        }
        throw CLIError("the run never recorded its command's pid")
    }

    struct CLIError: Error { var text: String; init(_ text: String) { self.text = text } }

    @Test("the wrapper exits with its command's exit code; runs are completed or failed with pid, host, args and times")
    func exitCodes() throws {
        let ok = try run("run", "--project", project, "--", "sh", "-c", "test \"$AGENTLOG_PROJECT\" = \"$PWD\"")
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try run("run", "--project", project, "--", "sh", "-c", "exit 7").status == 7)
        let missing = try run("run", "--project", project, "--", "no-such-command-here")
        #expect(missing.status == 127)
        #expect(missing.stderr.contains("no-such-command-here") && missing.stderr.split(separator: "\n").count == 1)
        let rows = try runs()
        #expect(rows.map { $0["status"] as? String } == ["failed", "failed", "completed"])
        #expect(rows.map { $0["exitCode"] as? Int } == [127, 7, 0])
        #expect(rows[1]["args"] as? [String] == ["sh", "-c", "exit 7"])
        #expect(rows[1]["pid"] is Int && rows[1]["host"] is String && rows[1]["endedAt"] is String && rows[1]["startedAt"] is String)
        #expect(rows[1]["project"] as? String == URL(fileURLWithPath: project).standardizedFileURL.path)
        // The command that started is remembered, the missing one is not: a bare run repeats `exit 7`.
        #expect(try run("run", "--project", project).status == 7)
        let usage = try run("run", "--project", home.path)
        #expect(usage.status == 2, "no command and no default: bad usage")
        #expect(try run("run", "--project", home.path + "/absent", "--", "true").status == 1)
    }

    @Test("kill -9 of the command and the wrapper: the next command shows the run crashed")
    func crashDetected() throws {
        let wrapper = try start(["sleep", "60"])
        let (id, child) = try recordedChild()
        // The wrapper first: killed second, it could still record the command's end.
        kill(wrapper.processIdentifier, SIGKILL)
        usleep(50_000)
        kill(child, SIGKILL)
        wrapper.waitUntilExit()
        usleep(100_000)  // the orphaned child is reaped by init
        let row = try #require(try runs().first { $0["id"] as? Int == id })
        #expect(row["status"] as? String == "crashed")
        #expect(row["endedAt"] is String)
        #expect(row["exitCode"] is NSNull)
        let projects = try #require(try run("projects", "--format", "json").json?["rows"] as? [[String: Any]])
        #expect(projects.first?["crashed"] as? Int == 1)
        #expect((projects.first?["latestRun"] as? [String: Any])?["status"] as? String == "crashed")
    }

    @Test("while the wrapper lives the run is running; SIGTERM to it reaches the command, whose status it records")
    func signalsForwarded() throws {
        let wrapper = try start(["sh", "-c", "trap 'exit 42' TERM; while :; do sleep 0.05; done"])
        let (id, _) = try recordedChild()
        usleep(200_000)  // the trap is set
        #expect(try runs().first { $0["id"] as? Int == id }?["status"] as? String == "running")
        kill(wrapper.processIdentifier, SIGTERM)
        wrapper.waitUntilExit()
        #expect(wrapper.terminationStatus == 42)
        let row = try #require(try runs().first { $0["id"] as? Int == id })
        #expect(row["status"] as? String == "failed" && row["exitCode"] as? Int == 42)
    }

    @Test("stdin and stdout pass through; SIGINT and SIGHUP sent with kill reach the command, and the wrapper dies of them too")
    func stdioAndSignals() throws {
        let echoed = try CLIRun.spawned(["--db", db, "run", "--project", project, "--", "sh", "-c", "tr a-z A-Z"], home: home.path, input: "hello\n")
        #expect(echoed.status == 0 && echoed.stdout == "HELLO\n", "\(echoed.stderr)")
        for signal in [SIGINT, SIGHUP] {
            let wrapper = try start(["sleep", "30"])
            let (id, _) = try recordedChild()
            kill(wrapper.processIdentifier, signal)
            wrapper.waitUntilExit()
            #expect(wrapper.terminationReason == .uncaughtSignal && wrapper.terminationStatus == signal,
                    "\(wrapper.terminationReason) \(wrapper.terminationStatus)")
            let row = try #require(try runs().first { $0["id"] as? Int == id })
            #expect(row["status"] as? String == "failed" && row["exitCode"] as? Int == 128 + Int(signal))
        }
        // The database the CLI creates has the 16 kB pages meant for syncs.
        let status = try #require(try run("db", "status", "--format", "json").json)
        #expect(status["pageSize"] as? Int == 16_384)
        #expect(status["runs"] as? Int == 3)
    }

    @Test("four processes opening a new database at once all succeed, and none backs up the empty file")
    func concurrentFirstOpen() throws {
        let processes = try (0..<4).map { _ in
            let process = Process()
            process.executableURL = CLIRun.binary
            process.arguments = ["--db", db, "runs", "--format", "json"]
            process.environment = ["HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        processes.forEach { $0.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0, 0, 0])
        #expect(try run("db", "migrate", "--list", "--format", "json").status == 0)
        let folder = URL(fileURLWithPath: db).deletingLastPathComponent().path
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".backup") }.isEmpty)
    }

    @Test("runs filters by status and project; projects show names the latest run; runs recover reports what it marked")
    func listings() throws {
        _ = try run("run", "--project", project, "--name", "Billing", "--", "true")
        _ = try run("run", "--project", home.path, "--", "false")
        #expect(try run("runs", "--status", "failed", "--format", "json").json.map { ($0["rows"] as? [Any])?.count } == 1)
        #expect(try run("runs", "--project", project, "--format", "json").json.map { ($0["rows"] as? [Any])?.count } == 1)
        #expect(try run("runs", "--status", "nope").status == 2)
        #expect(try run("runs", "--project", home.path + "/unknown").status == 1)
        let show = try run("projects", "show", project)
        #expect(show.status == 0 && show.stdout.contains("Billing") && show.stdout.contains("completed"))
        let recovered = try run("runs", "recover", "--format", "json")
        #expect(recovered.json?["schema"] as? String == "agentlog.runs.v1")
        #expect((recovered.json?["rows"] as? [Any])?.isEmpty == true)
        #expect(try run("projects").stdout.contains("Billing"))
    }
}
