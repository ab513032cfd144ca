import AgentLogDatabase
import AgentLogHooks
import AgentLogJSON
import AgentLogSQLite
import AgentLogSync
import ArgumentParser
import Foundation

/// `agentlog doctor`: everything agentlog needs, checked in one screen, each problem with what to do.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the executables, the database, the hooks, the statusline, the spool, the source folders and disk space.",
        discussion: "Exits 1 when a check fails (a warning alone exits 0). Nothing is changed.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try output.require([.text, .json], command: "doctor") }

    func run() throws {
        let report = DoctorReport(checks: DoctorChecks(global: global).all())
        if output.isJSON {
            print(try JSONOutput.document(report).text())
        } else {
            for check in report.checks {
                let mark = check.level == .ok ? "✓" : check.level == .warn ? "!" : "✗"
                print("\(mark) \(check.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(check.detail)")
                if !check.fix.isEmpty { print("  \(String(repeating: " ", count: 12)) → \(check.fix)") }
            }
        }
        if report.checks.contains(where: { $0.level == .fail }) { throw ExitCode.failure }
    }
}

/// One check's outcome.
struct DoctorCheck: Sendable {
    enum Level: String, Sendable { case ok, warn, fail }
    var name: String
    var level: Level
    var detail: String
    /// What to do about it ("" when nothing).
    var fix: String = ""
}

/// `agentlog.doctor.v1`: every check with its level, what it found and what to do.
struct DoctorReport: SchemaResult {
    static let schema = "agentlog.doctor.v1"
    var checks: [DoctorCheck]

    func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([
            ("ok", .bool(!checks.contains { $0.level == .fail })),
            ("checks", .array(checks.map {
                .object([("name", .string($0.name)), ("level", .string($0.level.rawValue)), ("detail", .string($0.detail)),
                         ("fix", $0.fix.isEmpty ? .null : .string($0.fix))])
            })),
        ]).encode(to: encoder)
    }
}

/// The checks, in the order they are shown.
struct DoctorChecks {
    let global: GlobalOptions
    var context: CommandContext { CommandContext.current }

    func all() -> [DoctorCheck] {
        [executables(), database(), hooks(), statusline(), spool(), sources(), cleanup(), diskSpace()]
    }

    /// The executables agentlog is made of (those a registration names, and the server), on PATH.
    func executables() -> DoctorCheck {
        let folders = (context.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        var found: [String: String] = [:]
        let registered = Executables.names.filter { $0 != ServerExecutable.name }
        for name in registered {
            found[name] = folders.first { FileManager.default.isExecutableFile(atPath: $0 + "/" + name) }
        }
        // agentlog runs agentlog-server from its own folder (symlinks resolved), not from PATH.
        if let folder = found["agentlog"] {
            let beside = URL(fileURLWithPath: folder + "/agentlog").resolvingSymlinksInPath().deletingLastPathComponent().path
            if FileManager.default.isExecutableFile(atPath: beside + "/" + ServerExecutable.name) { found[ServerExecutable.name] = beside }
        }
        let missing = Executables.names.filter { found[$0] == nil }
        let installed = Executables.binFolder(prefix: global.expand(Executables.defaultPrefix))
        if !missing.isEmpty, missing.allSatisfy({ FileManager.default.isExecutableFile(atPath: installed + "/" + $0) }) {
            return DoctorCheck(name: "executables", level: .warn, detail: "installed in \(installed), which is not on PATH",
                               fix: "echo 'export PATH=\"\(installed):$PATH\"' >> ~/.profile, then open a new shell")
        }
        guard !missing.isEmpty else {
            return DoctorCheck(name: "executables", level: .ok, detail: "\(Executables.names.joined(separator: ", ")) on PATH (\(Set(found.values).sorted().joined(separator: ", ")))")
        }
        if missing == [ServerExecutable.name], let folder = found["agentlog"] {
            return DoctorCheck(name: "executables", level: .warn, detail: "\(ServerExecutable.name) (serve, mcp) is not beside \(folder)/agentlog",
                               fix: "from the source folder: swift run -c release agentlog install (into ~/.local/bin; --prefix DIR for another)")
        }
        return DoctorCheck(name: "executables", level: .warn, detail: "not on PATH: \(missing.joined(separator: ", "))",
                           fix: "from the source folder: swift run -c release agentlog install (into ~/.local/bin; --prefix DIR for another)")
    }

    /// The database: there, readable and writable, of a schema this build knows.
    func database() -> DoctorCheck {
        let path = global.databasePath
        guard FileManager.default.fileExists(atPath: path) else {
            return DoctorCheck(name: "database", level: .warn, detail: "\(path) does not exist yet", fix: "agentlog sync creates it")
        }
        guard access(path, R_OK | W_OK) == 0 else {
            return DoctorCheck(name: "database", level: .fail, detail: "\(path) cannot be read and written by this user",
                               fix: "chmod 600 \(path), as its owner")
        }
        do {
            let db = try SQLiteConnection(path: path, busyMilliseconds: 2_000)
            let applied = try db.appliedMigrations()
            let known = Schema.migrations.map(\.name)
            let size = ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil).map { " (\(ByteCountFormatter.string(fromByteCount: Int64($0), countStyle: .file)))" } ?? ""
            if let unknown = applied.subtracting(known).sorted().first {
                return DoctorCheck(name: "database", level: .fail, detail: "\(path) has migration \(unknown), newer than this agentlog",
                                   fix: "use the newer agentlog that wrote it")
            }
            if let missing = known.first(where: { !applied.contains($0) }) {
                return DoctorCheck(name: "database", level: .warn, detail: "\(path)\(size): schema before \(missing)",
                                   fix: "any agentlog command upgrades it (a backup is taken first)")
            }
            return DoctorCheck(name: "database", level: .ok, detail: "\(path)\(size), schema \(known.last ?? "") (current)")
        } catch {
            return DoctorCheck(name: "database", level: .fail, detail: "\(path): \(error)", fix: "agentlog db check says more")
        }
    }

    /// Claude Code's user settings, as `hooks install` and `statusline install` write them.
    private func settings() -> (path: String, settings: JSONSettings?) {
        let path = global.claudeUserSettings
        guard let bytes = FileManager.default.contents(atPath: path) else { return (path, nil) }
        return (path, try? JSONSettings(bytes: Array(bytes), path: path))
    }

    /// The program a registered command runs, and whether it is there.
    private func program(of command: String) -> (path: String, live: Bool) {
        let program = Executables.program(of: command).program
        let path = program.hasPrefix("~/") ? global.home + program.dropFirst() : program
        if path.contains("/") { return (path, FileManager.default.isExecutableFile(atPath: path)) }
        let folders = (context.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return (path, folders.contains { FileManager.default.isExecutableFile(atPath: $0 + "/" + path) })
    }

    /// agentlog's hook, registered for every event and pointing at an executable that is there.
    func hooks() -> DoctorCheck {
        let (path, settings) = settings()
        guard let settings else {
            let what = FileManager.default.fileExists(atPath: path) ? "\(path) cannot be read as JSON" : "no \(path) yet"
            return DoctorCheck(name: "hooks", level: .warn, detail: what, fix: "agentlog hooks install")
        }
        let ours = JSONSettings.events.map { settings.commands(for: $0).filter(JSONSettings.isOurs) }
        let registered = ours.filter { !$0.isEmpty }.count
        guard let command = ours.first(where: { !$0.isEmpty })?.first else {
            return DoctorCheck(name: "hooks", level: .warn, detail: "agentlog's hook is not in \(path)", fix: "agentlog hooks install")
        }
        let program = program(of: command)
        guard program.live else {
            return DoctorCheck(name: "hooks", level: .fail, detail: "the hook runs \(program.path), which is not there", fix: "agentlog hooks install (again, from the agentlog you use now)")
        }
        if registered < JSONSettings.events.count {
            return DoctorCheck(name: "hooks", level: .warn, detail: "registered for \(registered) of \(JSONSettings.events.count) events", fix: "agentlog hooks install")
        }
        return DoctorCheck(name: "hooks", level: .ok, detail: "\(program.path) for all \(registered) events")
    }

    /// agentlog's statusline, when registered.
    func statusline() -> DoctorCheck {
        let (path, settings) = settings()
        guard let command = settings?.statusLineCommand else {
            return DoctorCheck(name: "statusline", level: .warn, detail: "no statusline in \(path)", fix: "agentlog statusline install")
        }
        guard JSONSettings.isOurStatusLine(command) else {
            return DoctorCheck(name: "statusline", level: .ok, detail: "another statusline is set (\(command.prefix(60))); agentlog statusline install --force replaces it")
        }
        let program = program(of: command)
        return program.live
            ? DoctorCheck(name: "statusline", level: .ok, detail: program.path)
            : DoctorCheck(name: "statusline", level: .fail, detail: "the statusline runs \(program.path), which is not there", fix: "agentlog statusline install")
    }

    /// Hook payloads waiting beside the database.
    func spool() -> DoctorCheck {
        let count = HookRunner(databasePath: global.databasePath).spooledCount
        return count == 0
            ? DoctorCheck(name: "spool", level: .ok, detail: "empty")
            : DoctorCheck(name: "spool", level: .warn, detail: "\(count) hook payloads wait to be stored", fix: "any agentlog command stores them (agentlog sync)")
    }

    /// The agents' own folders.
    func sources() -> DoctorCheck {
        let roots = SyncRoot.claudeDefaults(environment: context.environment) + SyncRoot.codexDefaults(environment: context.environment)
            + SyncRoot.geminiDefaults(environment: context.environment)
        let present = roots.filter { FileManager.default.fileExists(atPath: $0.path) }
        guard !present.isEmpty else {
            return DoctorCheck(name: "sources", level: .warn, detail: "none of \(roots.map(\.path).joined(separator: ", ")) exists",
                               fix: "use an agent first, or point agentlog sync --path at a folder of transcripts")
        }
        return DoctorCheck(name: "sources", level: .ok, detail: present.map { "\($0.agent.rawValue) \($0.path)" }.joined(separator: "; "))
    }

    /// Claude Code transcripts its cleanup deletes within days, and whether the archive has them.
    func cleanup() -> DoctorCheck {
        let cleanup = ClaudeCleanup(global: global)
        let roots = SyncRoot.claudeDefaults(environment: context.environment.merging(["HOME": global.home]) { _, home in home })
        do {
            let store = FileManager.default.fileExists(atPath: global.databasePath)
                ? try context.openStore(global.databasePath, false) : try AgentLogStore.inMemory()
            let risk = try SyncEngine(store: store).cleanupRisk(roots: roots, cutoff: cleanup.cutoff(now: context.nowMilliseconds))
            if risk.unarchived > 0 {
                return DoctorCheck(name: "cleanup", level: .fail,
                                   detail: "\(risk.unarchived) of \(risk.soon) transcripts Claude Code deletes within \(ClaudeCleanup.warningDays) days are not archived (\(cleanup.describe))",
                                   fix: "agentlog sync, now")
            }
            return DoctorCheck(name: "cleanup", level: .ok, detail: risk.soon == 0
                ? "nothing goes within \(ClaudeCleanup.warningDays) days (\(cleanup.describe))"
                : "all \(risk.soon) transcripts Claude Code deletes within \(ClaudeCleanup.warningDays) days are archived (\(cleanup.describe))")
        } catch {
            return DoctorCheck(name: "cleanup", level: .warn, detail: "cannot tell: \(error)")
        }
    }

    /// Free space where the database is.
    func diskSpace() -> DoctorCheck {
        var folder = (global.databasePath as NSString).deletingLastPathComponent
        while !FileManager.default.fileExists(atPath: folder), folder.count > 1 { folder = (folder as NSString).deletingLastPathComponent }
        var info = statvfs()
        guard statvfs(folder, &info) == 0 else { return DoctorCheck(name: "disk", level: .warn, detail: "cannot read the free space of \(folder)") }
        let free = Int64(info.f_bavail) * Int64(info.f_frsize)
        let text = ByteCountFormatter.string(fromByteCount: free, countStyle: .file)
        if free < 100_000_000 {
            return DoctorCheck(name: "disk", level: .fail, detail: "\(text) free in \(folder)", fix: "free some space: writes fail when the disk is full (hooks spool meanwhile)")
        }
        if free < 1_000_000_000 { return DoctorCheck(name: "disk", level: .warn, detail: "\(text) free in \(folder)", fix: "free some space soon") }
        return DoctorCheck(name: "disk", level: .ok, detail: "\(text) free in \(folder)")
    }
}
