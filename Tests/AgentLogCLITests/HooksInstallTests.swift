import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("agentlog hooks install and uninstall", .serialized)
struct HooksInstallTests {
    /// A settings file as a user has it: other settings, and hooks of their own on two events.
    static let existing = """
        {
          "model": "opus",
          "permissions": { "allow": ["Bash(npm test:*)"] },
          "hooks": {
            "PreToolUse": [
              { "matcher": "Bash", "hooks": [ { "type": "command", "command": "~/bin/check-bash.sh" } ] }
            ],
            "Stop": [ { "hooks": [ { "type": "command", "command": "say done", "timeout": 5 } ] } ]
          },
          "statusLine": { "type": "command", "command": "~/bin/status.sh" }
        }
        """

    @Test("install adds one entry per event, keeps the user's hooks and settings in order, and is idempotent; uninstall restores the original")
    func installMergesAndUninstallRestores() throws {
        var settings = try JSONSettings(bytes: Array(Self.existing.utf8), path: "settings.json")
        let original = settings.text
        settings.install(command: "/opt/agentlog/agentlog-hook")
        #expect(settings.root.map(\.0) == ["model", "permissions", "hooks", "statusLine"])
        for event in JSONSettings.events {
            #expect(settings.commands(for: event).filter(JSONSettings.isOurs) == ["/opt/agentlog/agentlog-hook"], "\(event)")
        }
        #expect(settings.commands(for: "PreToolUse") == ["~/bin/check-bash.sh", "/opt/agentlog/agentlog-hook"])
        #expect(settings.commands(for: "Stop") == ["say done", "/opt/agentlog/agentlog-hook"])
        #expect(settings.text.contains("\"timeout\": 5"))
        // Installing again, or with other options, replaces ours in place.
        let once = settings.text
        settings.install(command: "/opt/agentlog/agentlog-hook")
        #expect(settings.text == once)
        settings.install(command: "/opt/agentlog/agentlog-hook --guard-claims=strict")
        #expect(settings.commands(for: "PreToolUse") == ["~/bin/check-bash.sh", "/opt/agentlog/agentlog-hook --guard-claims=strict"])
        settings.uninstall()
        #expect(settings.text == original)
        // An empty file gets a hooks section and nothing else; uninstalling leaves it empty.
        var empty = try JSONSettings(bytes: [], path: "settings.json")
        empty.install(command: "'/Applications/My Tools/agentlog' hook")
        #expect(empty.root.map(\.0) == ["hooks"])
        #expect(JSONSettings.isOurs("'/Applications/My Tools/agentlog' hook"))
        empty.uninstall()
        #expect(empty.root.isEmpty)
    }

    @Test("the command writes the user's settings file, --dry-run only prints the diff, a broken file is refused")
    func commandLine() async throws {
        let home = try TemporaryFolder()
        let path = home.path + "/.claude/settings.json"
        try home.write(".claude/settings.json", Data(Self.existing.utf8))
        let dry = await CLIRun(["hooks", "install", "--dry-run"], home: home.path)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("+") && dry.stdout.contains("agentlog"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.existing)
        let install = await CLIRun(["hooks", "install", "--guard-claims"], home: home.path)
        #expect(install.status == 0, "\(install.stderr)")
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("agentlog-hook --guard-claims=warn") || written.contains("hook --guard-claims=warn"))
        #expect(written.contains("check-bash.sh"))
        #expect(await CLIRun(["hooks", "install", "--guard-claims"], home: home.path).stdout.contains("nothing to change"))
        #expect(await CLIRun(["hooks", "uninstall"], home: home.path).status == 0)
        let after = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let before = try JSONSerialization.jsonObject(with: Data(Self.existing.utf8)) as? [String: Any]
        #expect(NSDictionary(dictionary: after ?? [:]).isEqual(to: before ?? [:]))
        try home.write(".claude/settings.json", Data("{ not json".utf8))
        let broken = await CLIRun(["hooks", "install"], home: home.path)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains(path))
    }
}
