import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogCLI

@Suite("agentlog statusline, budget and report limits", .serialized)
struct StatuslineBudgetCLITests {
    let home: TemporaryFolder
    let db: String

    init() throws {
        home = try TemporaryFolder()
        db = home.path + "/agentlog.db"
    }

    private func run(_ arguments: [String], input: String? = nil) async -> CLIRun {
        await CLIRun(["--db", db] + arguments, home: home.path, input: input)
    }

    @Test("budget set, status (text and json) and remove; bad amounts and unknown budgets are one sentence")
    func budgets() async throws {
        #expect(await run(["budget", "status"]).stdout.contains("No budgets set"))
        let set = await run(["budget", "set", "daily", "$12.50"])
        #expect(set.status == 0 && set.stdout == "Set the daily $12.50 budget.\n")
        #expect(await run(["budget", "set", "weekly", "100", "--project", "/src/app/", "--agent", "claude"]).status == 0)
        let status = await run(["budget", "status"])
        #expect(status.stdout.contains("daily $12.50: $0.00 spent, 0%") && status.stdout.contains("weekly $100.00 for /src/app (claude)"))
        let json = try #require(await run(["budget", "status", "--format", "json"]).json)
        #expect(json["schema"] as? String == "agentlog.budgets.v1")
        let budgets = try #require(json["budgets"] as? [[String: Any]])
        #expect(budgets.count == 2 && budgets[0]["level"] as? String == "ok" && (budgets[0]["amountUSD"] as? NSNumber)?.doubleValue == 12.5)
        #expect(budgets[1]["project"] as? String == "/src/app" && budgets[1]["agent"] as? String == "claude")
        for bad in [["budget", "set", "daily", "-3"], ["budget", "set", "daily", "lots"], ["budget", "set", "hourly", "3"],
                    ["budget", "set", "daily", "3", "--agent", "all"]] {
            let result = await run(bad)
            #expect(result.status == 2 && result.stdout.isEmpty, "\(bad)")
        }
        let missing = await run(["budget", "remove", "monthly"])
        #expect(missing.status == 1 && missing.stderr.contains("No monthly budget is set"))
        #expect(await run(["budget", "remove", "daily"]).status == 0)
        #expect(try #require(await run(["budget", "status", "--format", "json"]).json?["budgets"] as? [Any]).count == 1)
    }

    @Test("statusline prints the line for a payload on stdin and keeps it")
    func statuslineShow() async throws {
        let payload = #"{"session_id":"s1","model":{"display_name":"Opus 4.6"},"cost":{"total_cost_usd":0.5},"rate_limits":{"five_hour":{"used_percentage":91}}}"#
        let result = await run(["statusline", "--no-color"], input: payload)
        #expect(result.status == 0 && result.stdout == "Opus 4.6 · $0.50 · today $0.00 · 5h 91%\n")
        let custom = await run(["statusline", "--format", "[{five_hour} of 5h]"], input: payload)
        let colored = (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        #expect(custom.stdout == (colored ? "\u{1B}[33m91%\u{1B}[0m of 5h\n" : "91% of 5h\n"))
        let limits = await run(["report", "limits", "--no-sync", "--timezone", "UTC"])
        #expect(limits.stdout.contains("claude five_hour (5 h 00 min): 91 %"))
        #expect(await run(["statusline", "--format", "{nope}"]).status == 2)
    }

    @Test("statusline install registers agentlog's statusline, keeps other settings, refuses to replace another without --force; uninstall removes only ours")
    func statuslineInstall() async throws {
        let settings = home.path + "/.claude/settings.json"
        _ = try home.write(".claude/settings.json", Data(#"{"model": "opus", "statusLine": {"type": "command", "command": "~/bin/status.sh"}}"#.utf8))
        let refused = await run(["statusline", "install"])
        #expect(refused.status == 1 && refused.stderr.contains("~/bin/status.sh") && refused.stderr.contains("--force"))
        #expect(await run(["statusline", "install", "--force", "--format", "{model} {today_cost}"]).status == 0)
        var text = try String(contentsOfFile: settings, encoding: .utf8)
        #expect(text.contains("\"model\": \"opus\"") && text.contains("statusline") && text.contains("--format '{model} {today_cost}'"))
        #expect(text.contains("--db ") && text.contains("\"padding\": 0"))
        let again = await run(["statusline", "install", "--format", "{model} {today_cost}"])
        #expect(again.stdout.contains("already says this"))
        #expect(await run(["statusline", "uninstall"]).status == 0)
        text = try String(contentsOfFile: settings, encoding: .utf8)
        #expect(!text.contains("statusLine") && text.contains("\"model\": \"opus\""))
    }

    @Test("report limits on a history with no readings says where they come from")
    func limitsEmpty() async {
        let result = await run(["report", "limits", "--no-sync"])
        #expect(result.status == 0 && result.stdout.contains("No rate-limit readings yet"))
        #expect(await run(["report", "limits", "--no-sync", "--format", "csv"]).status == 2)
    }
}
