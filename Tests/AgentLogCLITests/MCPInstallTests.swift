import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("agentlog mcp install and uninstall")
struct MCPInstallTests {
    /// Codex's config as a user has it: a setting, another server, and a stale entry of ours.
    static let codexConfig = """
        model = "o3"

        [mcp_servers.github]
        command = "github-mcp"
        args = ["stdio"]

        [mcp_servers.agentlog]
        command = "/old/agentlog"
        args = ["mcp"]

        [mcp_servers.agentlog.env]
        X = "1"

        [profiles.fast]
        model = "o4-mini"
        """

    @Test("install registers the server with Claude Code, Codex and Gemini CLI, keeping other entries; again changes nothing; uninstall removes only ours")
    func installAll() async throws {
        let home = try TemporaryFolder()
        try home.write(".claude.json", Data(#"{"numStartups": 3, "mcpServers": {"other": {"command": "other-mcp"}}}"#.utf8))
        try home.write(".codex/config.toml", Data(Self.codexConfig.utf8))
        let install = await CLIRun(["mcp", "install"], home: home.path)
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.components(separatedBy: "Updated ").count == 4, "\(install.stdout)")

        let claude = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: home.url.appendingPathComponent(".claude.json"))) as? [String: Any])
        #expect(claude["numStartups"] as? Int == 3)
        let servers = try #require(claude["mcpServers"] as? [String: Any])
        #expect(servers["other"] != nil)
        let ours = try #require(servers["agentlog"] as? [String: Any])
        #expect(ours["type"] as? String == "stdio" && ours["args"] as? [String] == ["mcp"])
        #expect((ours["command"] as? String)?.hasPrefix("/") == true)

        let codex = try String(contentsOf: home.url.appendingPathComponent(".codex/config.toml"), encoding: .utf8)
        #expect(codex.contains("[mcp_servers.github]") && codex.contains("[profiles.fast]") && codex.hasPrefix("model = \"o3\""))
        #expect(!codex.contains("/old/agentlog") && !codex.contains("[mcp_servers.agentlog.env]"))
        #expect(codex.components(separatedBy: "[mcp_servers.agentlog]").count == 2 && codex.contains("args = [\"mcp\"]"))

        let gemini = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: home.url.appendingPathComponent(".gemini/settings.json"))) as? [String: Any])
        #expect(((gemini["mcpServers"] as? [String: Any])?["agentlog"] as? [String: Any])?["args"] as? [String] == ["mcp"])

        let again = await CLIRun(["mcp", "install"], home: home.path)
        #expect(again.status == 0 && again.stdout.components(separatedBy: "nothing to change").count == 4, "\(again.stdout)")

        let uninstall = await CLIRun(["mcp", "uninstall"], home: home.path)
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        let after = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: home.url.appendingPathComponent(".claude.json"))) as? [String: Any])
        #expect((after["mcpServers"] as? [String: Any])?.keys.sorted() == ["other"])
        let codexAfter = try String(contentsOf: home.url.appendingPathComponent(".codex/config.toml"), encoding: .utf8)
        #expect(!codexAfter.contains("agentlog") && codexAfter.contains("[mcp_servers.github]") && codexAfter.contains("[profiles.fast]"))
    }

    @Test("--dry-run prints the diff and writes nothing; --scope project writes .mcp.json here; --read-only and --db are passed on; a broken file is refused")
    func options() async throws {
        let home = try TemporaryFolder()
        let project = try TemporaryFolder()
        let dry = await CLIRun(["mcp", "install", "--agent", "claude", "--dry-run"], home: home.path)
        #expect(dry.status == 0 && dry.stdout.contains("+    \"agentlog\": {"), "\(dry.stdout)")
        #expect(!FileManager.default.fileExists(atPath: home.path + "/.claude.json"))

        let scoped = await CLIRun(["mcp", "install", "--agent", "claude", "--scope", "project", "--read-only", "--db", "/data/a.db"],
                                  home: home.path, directory: project.path)
        #expect(scoped.status == 0, "\(scoped.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: project.url.appendingPathComponent(".mcp.json"))) as? [String: Any])
        let entry = try #require((json["mcpServers"] as? [String: Any])?["agentlog"] as? [String: Any])
        #expect(entry["args"] as? [String] == ["mcp", "--db", "/data/a.db", "--read-only"])

        try home.write(".gemini/settings.json", Data("{ not json".utf8))
        let broken = await CLIRun(["mcp", "install", "--agent", "gemini"], home: home.path)
        #expect(broken.status == 1 && broken.stderr.contains("settings.json is not a JSON object"), "\(broken.stderr)")
        let bad = await CLIRun(["mcp", "install", "--agent", "copilot"], home: home.path)
        #expect(bad.status == 2)
    }

    @Test("mcp parses its options: the server by default, --read-only")
    func parses() throws {
        #expect(throws: Never.self) { _ = try AgentLogCommand.parseAsRoot(["mcp", "--read-only"]) }
        #expect(throws: Never.self) { _ = try AgentLogCommand.parseAsRoot(["mcp", "install", "--agent", "codex", "--scope", "user"]) }
        #expect(throws: (any Error).self) { _ = try AgentLogCommand.parseAsRoot(["mcp", "--colour"]) }
    }
}
