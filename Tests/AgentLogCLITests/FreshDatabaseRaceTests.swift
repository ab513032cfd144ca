import AgentLogSQLite
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("Twenty processes opening a brand-new database at once")
struct FreshDatabaseRaceTests {
    @Test("12 commands and 8 hooks released together on a new file: all exit 0 with nothing on stderr, one migrated schema, no backup, every event kept")
    func twentyProcessesOnANewFile() throws {
        let home = try TemporaryFolder()
        let db = home.path + "/fresh.db", gate = home.path + "/gate"
        #expect(mkfifo(gate, 0o600) == 0)
        var processes: [(Process, Pipe)] = []
        for index in 0..<20 {
            let process = Process(), errors = Pipe(), input = Pipe()
            let isHook = index % 5 == 4 || index % 5 == 2
            let tool = isHook ? HookCommandTests.hookBinary.path : CLIRun.binary.path
            let arguments = isHook ? ["--db", db] : ["--db", db, index % 2 == 0 ? "db" : "events", index % 2 == 0 ? "migrate" : "--format"]
                + (isHook || index % 2 == 0 ? [] : ["json"])
            // Each waits at the gate (a FIFO) and starts its tool the moment the gate opens.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", #"read _ < "$0"; exec "$@""#, gate, tool] + arguments
            process.environment = ["HOME": home.path, "PATH": "/usr/bin:/bin"]
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            if isHook {
                input.fileHandleForWriting.write(Data(#"{"hook_event_name":"SessionStart","session_id":"race-\#(index)","cwd":"/p","source":"startup"}"#.utf8))
            }
            try input.fileHandleForWriting.close()
            processes.append((process, errors))
        }
        let opener = open(gate, O_WRONLY)
        #expect(opener >= 0)
        _ = String(repeating: "go\n", count: 20).withCString { write(opener, $0, 60) }
        var failures: [String] = []
        for (index, (process, errors)) in processes.enumerated() {
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus != 0 || !stderr.isEmpty { failures.append("process \(index): \(process.terminationStatus) \(stderr)") }
        }
        close(opener)
        #expect(failures.isEmpty, "\(failures)")

        let connection = try SQLiteConnection(path: db, busyMilliseconds: 1_000)
        let ledger = try connection.statement("SELECT COUNT(*) FROM \(Schema.ledgerTable)").runReturningInt()
        #expect(ledger == Int64(Schema.migrations.count))
        let integrity = try connection.statement("PRAGMA integrity_check")
        #expect(try integrity.step() && integrity.text(0) == "ok")
        let files = try FileManager.default.contentsOfDirectory(atPath: home.path)
        #expect(!files.contains { $0.contains(".before-") }, "a file without history is not backed up: \(files)")
        // Every hook's event is in the database, or in the spool for the next command to replay.
        let stored = try connection.statement("SELECT COUNT(DISTINCT session_id) FROM events").runReturningInt() ?? 0
        let spooled = (try? FileManager.default.contentsOfDirectory(atPath: db + ".spool"))?.count ?? 0
        #expect(Int(stored) + spooled == 8, "\(stored) stored, \(spooled) spooled")
    }
}
