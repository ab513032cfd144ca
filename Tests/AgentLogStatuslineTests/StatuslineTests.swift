import AgentLogHistory
import AgentLogIngest
import AgentLogPricing
import AgentLogSQLite
import AgentLogTestSupport
import Foundation
import Testing
@testable import AgentLogSpend
@testable import AgentLogStatusline

/// A payload as Claude Code sends it, with rate limits.
func payload(session: String = "s1", fiveHour: Double = 35, resets: Int64 = 1_796_400_000, cwd: String = "/src/app") -> [UInt8] {
    Array("""
        {"session_id":"\(session)","model":{"id":"claude-opus-4-6","display_name":"Opus 4.6"},
         "workspace":{"current_dir":"\(cwd)","project_dir":"\(cwd)"},"cost":{"total_cost_usd":1.2345},
         "context_window":{"used_percentage":83.4,"context_window_size":200000},
         "rate_limits":{"five_hour":{"used_percentage":\(fiveHour),"resets_at":\(resets)},"seven_day":{"used_percentage":12.5,"resets_at":"2026-12-10T00:00:00Z"}}}
        """.utf8)
}

@Suite("The statusline")
struct StatuslineTests {
    @Test("every payload of the corpus's statusline log is read: model, session and Claude Code's cost")
    func corpusPayloads() throws {
        let file = Corpus.root.appendingPathComponent("hooks/wha__status_line.json")
        let records = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [[String: Any]])
        #expect(records.count == 44)
        for record in records {
            let input = try #require(record["input_data"] as? [String: Any])
            let parsed = try StatuslinePayload(bytes: Array(try JSONSerialization.data(withJSONObject: input)))
            let model = try #require(input["model"] as? [String: Any])
            #expect(parsed.modelName == model["display_name"] as? String && parsed.modelId == model["id"] as? String)
            #expect(parsed.sessionId == input["session_id"] as? String)
            let cost = try #require((input["cost"] as? [String: Any])?["total_cost_usd"] as? Double)
            #expect(parsed.sessionCostMicros == Int64((cost * 1_000_000).rounded()))
            #expect(parsed.fiveHour == nil && parsed.directory == input["cwd"] as? String)
        }
    }

    @Test("rate limits, context and reset times are read in every form; bad values are left out")
    func payloadFields() throws {
        let parsed = try StatuslinePayload(bytes: payload())
        #expect(parsed.fiveHour == .init(usedPercent: 35, resetsAt: 1_796_400_000_000))
        #expect(parsed.sevenDay?.resetsAt == Timestamp.milliseconds(fromISO8601: "2026-12-10T00:00:00Z"))
        #expect(parsed.contextUsedPercent == 83.4 && parsed.contextWindowSize == 200_000)
        let computed = try StatuslinePayload(bytes: Array(#"{"context_window":{"context_window_size":200000,"current_usage":{"input_tokens":10000,"cache_read_input_tokens":90000,"output_tokens":5}}}"#.utf8))
        #expect(computed.contextUsedPercent == 50)
        let bad = try StatuslinePayload(bytes: Array(#"{"cost":{"total_cost_usd":-4},"rate_limits":{"five_hour":{"used_percentage":"x"}},"model":"m"}"#.utf8))
        #expect(bad.sessionCostMicros == nil && bad.fiveHour == nil && bad.modelId == "m")
        #expect(throws: StatuslineError.self) { try StatuslinePayload(bytes: Array("[1".utf8)) }
        #expect(throws: StatuslineError.self) { try StatuslinePayload(bytes: Array("[1]".utf8)) }
    }

    @Test("a format leaves out parts whose placeholders are empty and names what is wrong with it")
    func template() throws {
        let template = try StatuslineTemplate("{model}[ · {session_cost}][ · ctx {context}] [[x]] {{y}}")
        #expect(template.render(["model": "Opus", "context": "40%"]) == "Opus · ctx 40% [x] {y}")
        #expect(try StatuslineTemplate("[{model} | ]{today_cost}").render(["today_cost": "$1.00"]) == "$1.00")
        #expect(StatuslineTemplate.standard.render([:]) == "")
        #expect(throws: StatuslineError.self) { try StatuslineTemplate("{nope}") }
        #expect((try? StatuslineTemplate("{nope}")) == nil)
        do { _ = try StatuslineTemplate("{nope}") } catch { #expect("\(error)".contains("{nope}") && "\(error)".contains("{model}")) }
        for broken in ["[{model}", "{model}]", "{model", "model}"] { #expect(throws: StatuslineError.self) { try StatuslineTemplate(broken) } }
    }

    @Test("the payload is kept: the session's latest, and a rate-limit reading only when it changed")
    func recording() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/new/agentlog.db"  // the folder does not exist yet
        let runner = try StatuslineRunner(arguments: ["--db", path, "--no-color"], environment: { $0 == "HOME" ? folder.path : nil })
        for (time, percent) in [(Int64(1_000), 35.0), (2_000, 35), (3_000, 36)] {
            let result = runner.run(input: payload(fiveHour: percent), now: time, environment: { $0 == "HOME" ? folder.path : nil })
            #expect(result.diagnostics.isEmpty)
            #expect(result.line.hasPrefix("Opus 4.6 · $1.23 · today $0.00") && result.line.contains("ctx 83% · 5h \(Int(percent))% · 7d 13%"))
        }
        let db = try SQLiteConnection(path: path, busyMilliseconds: 1_000)
        let samples = try db.statement("SELECT window, observed_at, used_percent, resets_at FROM rate_limit_samples ORDER BY id")
        var rows: [String] = []
        while try samples.step() { rows.append("\(samples.text(0)!) \(samples.int64(1)!) \(samples.double(2)!) \(samples.int64(3) ?? 0)") }
        #expect(rows == ["five_hour 1000 35.0 1796400000000", "seven_day 1000 12.5 1796860800000", "five_hour 3000 36.0 1796400000000"])
        let session = try db.statement("SELECT observed_at, model, cost_micros, context_used_percent FROM statusline_sessions WHERE session_id = 's1'")
        #expect(try session.step() && session.int64(0) == 3_000 && session.text(1) == "claude-opus-4-6" && session.int64(2) == 1_234_500)
        // --no-store keeps nothing; garbage is reported and still gives a line.
        let quiet = try StatuslineRunner(arguments: ["--db", path, "--no-store"])
        _ = quiet.run(input: payload(session: "s2", fiveHour: 90), now: 4_000)
        let count = try db.statement("SELECT (SELECT COUNT(*) FROM rate_limit_samples) + (SELECT COUNT(*) FROM statusline_sessions)")
        #expect(try count.step() && count.int64(0) == 4)
        let garbage = runner.run(input: Array("\u{FF}{not json".utf8), now: 5_000)
        #expect(garbage.diagnostics.first?.contains("not JSON") == true && garbage.line == "today $0.00")
    }

    @Test("bad arguments are named")
    func arguments() {
        #expect(throws: StatuslineError.self) { try StatuslineRunner(arguments: ["--frobnicate"]) }
        #expect(throws: StatuslineError.self) { try StatuslineRunner(arguments: ["--db"]) }
        #expect(throws: StatuslineError.self) { try StatuslineRunner(arguments: ["--format", "{x}"]) }
        #expect((try? StatuslineRunner(arguments: ["--db=/tmp/x.db", "--no-color"]))?.databasePath == "/tmp/x.db")
    }

    @Test("absurd counts and amounts are held in range instead of stopping the statusline")
    func absurdValues() throws {
        let price = try #require(PriceTable.builtIn.price(for: "claude-opus-4-6"))
        #expect(price.costPicoUSD(TokenCounts(input: .max, output: .max, cacheCreation: .max, cacheRead: .max), overThreshold: false) == .max)
        #expect(Money.micros(fromPico: .max) == Int64.max / 1_000_000 + 1 && Money.micros(fromPico: .min) == Int64.min / 1_000_000 - 1)
        #expect(Money.dollars(micros: .max) == "$9,223,372,036,854.78" && Money.dollars(micros: .min) == "-$9,223,372,036,854.78")
        #expect(Money.decimalString(micros: .min).hasPrefix("-9223372036854"))
        let huge = try StatuslinePayload(bytes: Array(#"{"context_window":{"context_window_size":1,"current_usage":{"input_tokens":9000000000000000000,"cache_read_input_tokens":9000000000000000000}},"rate_limits":{"five_hour":{"used_percentage":1e308,"resets_at":1e300}}}"#.utf8))
        #expect(huge.contextUsedPercent == 1000 && huge.fiveHour?.usedPercent == 1000 && huge.fiveHour?.resetsAt == nil)
    }

    @Test("durations, tokens and percentages read as a status bar shows them")
    func formatting() {
        #expect(StatuslineValues.duration(0) == "0m" && StatuslineValues.duration(61_000) == "2m")
        #expect(StatuslineValues.duration(130 * 60_000) == "2h10m" && StatuslineValues.duration(3 * 86_400_000 + 3_600_000) == "3d1h")
        #expect(StatuslineValues.tokens(812) == "812" && StatuslineValues.tokens(340_500) == "340k" && StatuslineValues.tokens(1_250_000) == "1.2M")
        #expect(StatuslineValues.percent(83.4) == "83%")
    }
}
