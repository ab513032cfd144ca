import ArgumentParser
import Foundation

/// The executables agentlog is made of, installed side by side.
enum Executables {
    static let names = ["agentlog", "agentlog-hook", "agentlog-statusline", "agentlog-server"]

    /// This executable, symlinks resolved.
    static var current: URL {
        URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
    }

    /// The default prefix of `agentlog install`.
    static let defaultPrefix = "~/.local"

    /// The path of the executable `name` that registrations (hooks, statusline, MCP) should run:
    /// when this agentlog runs from a build folder (`swift run`: a path inside `.build` goes away
    /// with every clean build), an installed one — on PATH, else in the default prefix's bin
    /// (installed, but that folder not on PATH yet); else the one beside this executable; nil
    /// when none is there.
    static func toRegister(_ name: String) -> String? {
        let me = current
        if me.path.contains("/.build/") {
            let folders = (CommandContext.current.environment["PATH"] ?? "").split(separator: ":").map(String.init)
                + [binFolder(prefix: CommandContext.current.absolute(defaultPrefix))]
            if let folder = folders.first(where: { !$0.contains("/.build/") && FileManager.default.isExecutableFile(atPath: $0 + "/" + name) }) {
                return folder + "/" + name
            }
        }
        let sibling = me.deletingLastPathComponent().appendingPathComponent(name).path
        return FileManager.default.isExecutableFile(atPath: sibling) ? sibling : nil
    }

    /// Builds those of `names` that are missing beside this executable, when this is a SwiftPM
    /// build folder (`…/.build/<triple>/<configuration>/`), saying so on standard error; else
    /// names what is missing.
    static func buildMissing(_ names: [String], in source: URL) throws {
        let missing = names.filter { !FileManager.default.isExecutableFile(atPath: source.appendingPathComponent($0).path) }
        guard !missing.isEmpty else { return }
        guard let range = source.path.range(of: "/.build/") else {
            throw CLIError("\(missing.joined(separator: " and ")) must be beside \(current.path); build \(missing.count == 1 ? "it" : "them") with "
                           + "`swift build -c release`, or install every executable with `agentlog install`.")
        }
        let package = String(source.path[..<range.lowerBound])
        let configuration = source.lastPathComponent == "debug" ? "debug" : "release"
        for product in missing {
            printError("Building \(product) (swift build -c \(configuration) --product \(product))…")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["swift", "build", "-c", configuration, "--package-path", package, "--product", product]
            process.standardOutput = FileHandle.standardError
            process.standardInput = FileHandle.nullDevice  // not the MCP client's messages
            do {
                try process.run()
            } catch {
                throw CLIError("Cannot run swift build for \(product): \(error.localizedDescription)")
            }
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CLIError("swift build of \(product) failed (exit \(process.terminationStatus)).") }
        }
    }

    /// Warns when `name`, beside this executable in a build folder, is more than two minutes
    /// older than it: `swift run agentlog serve` after a pull builds only agentlog (one `swift
    /// build` links both within seconds). Building it here could wait for the build that runs us.
    static func warnIfOlder(_ name: String, in source: URL) {
        guard source.path.contains("/.build/") else { return }
        func modified(_ path: String) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        guard let mine = modified(current.path), let theirs = modified(source.appendingPathComponent(name).path),
              theirs < mine.addingTimeInterval(-120) else { return }
        printError("warning: \(name) is older than \(current.lastPathComponent) in \(source.path); "
                   + "`swift build -c \(source.lastPathComponent == "debug" ? "debug" : "release")` brings both up to date.")
    }

    /// `~/.local/bin` for the prefix `~/.local`.
    static func binFolder(prefix: String) -> String { (prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix) + "/bin" }

    /// The program a registered command runs (its first word, or its quoted first part).
    static func program(of command: String) -> (program: String, rest: String) {
        if command.hasPrefix("'") {
            let program = String(command.dropFirst().prefix { $0 != "'" })
            return (program, String(command.dropFirst(program.count + 2)))
        }
        let program = String(command.prefix { $0 != " " })
        return (program, String(command.dropFirst(program.count)))
    }
}

/// `agentlog install`: puts agentlog, agentlog-hook, agentlog-statusline and agentlog-server in a folder on PATH.
struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install agentlog, agentlog-hook, agentlog-statusline and agentlog-server into PREFIX/bin (default ~/.local/bin).",
        discussion: """
            Run it from the build: `swift run -c release agentlog install`. The hook, statusline and \
            server executables are built beside agentlog if they are not there yet (the same build, \
            so nothing is built twice; agentlog-server runs serve and mcp). Each file is replaced atomically, so a hook that runs meanwhile \
            never meets half a file. Hooks and the statusline already registered in \
            ~/.claude/settings.json are pointed at the installed executables, so they stay valid \
            after every upgrade. Says which folder to add to PATH when it is not there.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Install under this folder: the executables go to PREFIX/bin.", valueName: "prefix"))
    var prefix: String = Executables.defaultPrefix

    @Flag(help: "Say what would be done and do nothing.")
    var dryRun = false

    func run() throws {
        let source = Executables.current.deletingLastPathComponent()
        let bin = Executables.binFolder(prefix: global.expand(prefix))
        if dryRun {
            for name in Executables.names {
                let from = source.appendingPathComponent(name).path
                if !FileManager.default.isExecutableFile(atPath: from) { print("Would build \(name) beside agentlog.") }
                print("Would copy \(from) to \(bin)/\(name).")
            }
            return
        }
        try Executables.buildMissing(Executables.names, in: source)
        do {
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        } catch {
            throw CLIError("Cannot create \(bin): \(error.localizedDescription)")
        }
        for name in Executables.names {
            let from = source.appendingPathComponent(name).path, to = bin + "/" + name
            guard from != to else { continue }
            try Self.copyAtomically(from, to)
        }
        print("Installed \(Executables.names.joined(separator: ", ")) in \(bin).")
        try retargetRegistrations(bin: bin)
        let path = (CommandContext.current.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if !path.contains(bin) && !path.contains(bin + "/") {
            print("\(bin) is not on your PATH. Add it, e.g.: echo 'export PATH=\"\(bin):$PATH\"' >> ~/.profile")
        }
    }

    /// Copies `from` to `to` through a temporary file in the same folder and a rename, mode 0755.
    static func copyAtomically(_ from: String, _ to: String) throws {
        let temporary = to + ".agentlog-new"
        let manager = FileManager.default
        do {
            try? manager.removeItem(atPath: temporary)
            try manager.copyItem(atPath: from, toPath: temporary)
            try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary)
            guard rename(temporary, to) == 0 else { throw CLIError(String(cString: strerror(errno))) }
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw CLIError("Cannot install \(to): \(error.localizedDescription).")
        }
    }

    /// Points agentlog's hook and statusline in the user's Claude Code settings at `bin`.
    private func retargetRegistrations(bin: String) throws {
        let path = global.claudeUserSettings
        guard FileManager.default.fileExists(atPath: path) else { return }
        try SettingsFile.editJSON(path, dryRun: false) { settings in
            let current = settings
            if let hook = JSONSettings.events.lazy.compactMap({ current.commands(for: $0).first(where: JSONSettings.isOurs) }).first {
                let (program, rest) = Executables.program(of: hook)
                let installed = bin + "/agentlog-hook"
                if program != installed { settings.install(command: HooksCommand.Install.quoted(installed) + Self.arguments(rest, of: program)) }
            }
            if let line = settings.statusLineCommand, JSONSettings.isOurStatusLine(line) {
                let (program, rest) = Executables.program(of: line)
                let installed = bin + "/agentlog-statusline"
                if program != installed { settings.setStatusLine(command: HooksCommand.Install.quoted(installed) + Self.arguments(rest, of: program)) }
            }
        }
    }

    /// The arguments of a registered command, without the `hook`/`statusline` subcommand that
    /// `agentlog hook …` style registrations carry.
    static func arguments(_ rest: String, of program: String) -> String {
        guard program.hasSuffix("/agentlog") || program == "agentlog" else { return rest }
        for subcommand in [" hook", " statusline show", " statusline"] where rest.hasPrefix(subcommand) {
            return String(rest.dropFirst(subcommand.count))
        }
        return rest
    }
}

/// `agentlog uninstall`: removes what `agentlog install` put in PREFIX/bin, and agentlog's hook
/// and statusline from the user's Claude Code settings (they would point at nothing).
struct UninstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove agentlog, agentlog-hook, agentlog-statusline and agentlog-server from PREFIX/bin, and agentlog's hook and statusline from Claude Code's settings.",
        discussion: "The database (~/.agentlog) is kept: delete it yourself if you want it gone. MCP registrations are removed by `agentlog mcp uninstall`.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The prefix agentlog was installed under.", valueName: "prefix"))
    var prefix: String = Executables.defaultPrefix

    @Flag(help: "Leave Claude Code's settings as they are.")
    var keepSettings = false

    func run() throws {
        let bin = Executables.binFolder(prefix: global.expand(prefix))
        var removed: [String] = []
        for name in Executables.names where FileManager.default.fileExists(atPath: bin + "/" + name) {
            do {
                try FileManager.default.removeItem(atPath: bin + "/" + name)
                removed.append(name)
            } catch {
                throw CLIError("Cannot remove \(bin)/\(name): \(error.localizedDescription).")
            }
        }
        print(removed.isEmpty ? "Nothing of agentlog's is in \(bin)." : "Removed \(removed.joined(separator: ", ")) from \(bin).")
        guard !keepSettings else { return }
        let path = global.claudeUserSettings
        guard FileManager.default.fileExists(atPath: path) else { return }
        try SettingsFile.editJSON(path, dryRun: false) { settings in
            settings.uninstall()
            if let line = settings.statusLineCommand, JSONSettings.isOurStatusLine(line) { settings.setStatusLine(command: nil) }
        }
    }
}
