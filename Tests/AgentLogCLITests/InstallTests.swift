import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("agentlog install and uninstall", .serialized)
struct InstallTests {
    let home: TemporaryFolder

    init() throws { home = try TemporaryFolder() }

    private func run(_ arguments: [String]) async -> CLIRun { await CLIRun(arguments, home: home.path) }

    @Test("install copies the four executables, points registered hooks and statusline at them, and says to add the folder to PATH; uninstall takes both away")
    func installAndUninstall() async throws {
        let prefix = home.path + "/prefix", bin = prefix + "/bin"
        let dry = await run(["install", "--prefix", prefix, "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.components(separatedBy: "Would copy").count == 5 && !FileManager.default.fileExists(atPath: bin))
        let settings = home.path + "/.claude/settings.json"
        _ = try home.write(".claude/settings.json", Data("""
            {"model": "opus",
             "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "/old/.build/debug/agentlog-hook --guard-claims=warn"}]}]},
             "statusLine": {"type": "command", "command": "'/old/.build/debug/agentlog' statusline --db /tmp/x.db"}}
            """.utf8))
        let installed = await run(["install", "--prefix", prefix])
        #expect(installed.status == 0, "\(installed.stderr)")
        for name in Executables.names {
            #expect(FileManager.default.isExecutableFile(atPath: bin + "/" + name), "\(name)")
        }
        #expect(installed.stdout.contains("Installed agentlog, agentlog-hook, agentlog-statusline, agentlog-server in \(bin).") && installed.stdout.contains("is not on your PATH"))
        let text = try String(contentsOfFile: settings, encoding: .utf8)
        #expect(text.contains("\(bin)/agentlog-hook --guard-claims=warn") && !text.contains("/old/.build"))
        #expect(text.contains("\(bin)/agentlog-statusline --db /tmp/x.db") && text.contains("\"model\": \"opus\""))
        // The installed agentlog runs.
        let version = try CLIRun.run(URL(fileURLWithPath: bin + "/agentlog"), ["db", "path"], home: home.path)
        #expect(version.status == 0 && version.stdout.hasSuffix("agentlog.db\n"))
        // Again, after an "upgrade": the same files replaced, the registrations unchanged.
        #expect(await run(["install", "--prefix", prefix]).status == 0)
        #expect(try String(contentsOfFile: settings, encoding: .utf8) == text)
        let removed = await run(["uninstall", "--prefix", prefix])
        #expect(removed.status == 0 && removed.stdout.contains("Removed agentlog, agentlog-hook, agentlog-statusline, agentlog-server from \(bin)."))
        #expect(Executables.names.allSatisfy { !FileManager.default.fileExists(atPath: bin + "/" + $0) })
        let after = try String(contentsOfFile: settings, encoding: .utf8)
        #expect(!after.contains("agentlog") && after.contains("\"model\": \"opus\""))
        #expect(await run(["uninstall", "--prefix", prefix]).stdout.contains("Nothing of agentlog's is in"))
    }

    @Test("a registered command's program and arguments are told apart, quoted or not, with agentlog's own subcommands dropped")
    func commandParts() {
        #expect(Executables.program(of: "/a/agentlog-hook --db x") == ("/a/agentlog-hook", " --db x"))
        #expect(Executables.program(of: "'/a b/agentlog-hook' --db x") == ("/a b/agentlog-hook", " --db x"))
        #expect(InstallCommand.arguments(" hook --db x", of: "/a/agentlog") == " --db x")
        #expect(InstallCommand.arguments(" statusline --format y", of: "agentlog") == " --format y")
        #expect(InstallCommand.arguments(" --db x", of: "/a/agentlog-hook") == " --db x")
        #expect(Executables.binFolder(prefix: "/usr/local/") == "/usr/local/bin")
    }
}
