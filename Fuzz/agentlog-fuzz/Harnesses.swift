import AgentLogCLI
import AgentLogHistory
import AgentLogHooks
import AgentLogIngest
import AgentLogPricing
import AgentLogRedaction
import AgentLogSQLite
import AgentLogStatusline
import Foundation

/// One thing to fuzz: where its seeds come from and what must hold for every input.
struct Harness {
    let name: String
    /// The seed inputs, from the corpus.
    let seeds: () throws -> [[UInt8]]
    /// Runs one input; returns a sentence when a property fails (a crash ends the process).
    let run: ([UInt8]) throws -> String?
}

/// Where the corpus is: `../shared/corpus` beside the project.
let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/corpus").standardizedFileURL

/// The files under `folder` of the corpus whose names end in one of `suffixes`.
func corpusFiles(_ folder: String, _ suffixes: [String]) -> [URL] {
    let root = corpus.appendingPathComponent(folder)
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
    return walker.compactMap { $0 as? URL }.filter { url in suffixes.contains { url.lastPathComponent.hasSuffix($0) } }.sorted { $0.path < $1.path }
}

/// Lines of the files, as seeds (at most `limit`).
func lineSeeds(_ files: [URL], limit: Int = 4000) throws -> [[UInt8]] {
    var seeds: [[UInt8]] = []
    for file in files {
        let bytes = [UInt8](try Data(contentsOf: file))
        seeds += bytes.split(separator: 0x0A).prefix(400).map(Array.init)
        if seeds.count >= limit { break }
    }
    return Array(seeds.prefix(limit))
}

/// Feeds `input`, line by line, to a transcript reader; checks what a stored batch must never hold.
func readLines<Reader: LineReading>(_ reader: inout Reader, _ input: [UInt8], agent: AgentKind) -> String? {
    var batch = RecordBatch(agent: agent)
    var number = 0, offset: Int64 = 0
    for line in input.split(separator: 0x0A, omittingEmptySubsequences: false) {
        number += 1
        Array(line).withUnsafeBytes { reader.add(line: $0, number: number, offset: offset, to: &batch) }
        offset += Int64(line.count + 1)
    }
    reader.finish(&batch)
    for usage in batch.usages {
        let tokens = usage.usage.tokens
        if tokens.input < 0 || tokens.output < 0 || tokens.cacheCreation < 0 || tokens.cacheRead < 0 {
            return "a usage row with a negative count: \(tokens)"
        }
    }
    if batch.rejected.contains(where: { $0.line < 1 || $0.line > number }) { return "a rejection names a line that is not there" }
    return nil
}

/// The transcript readers, alike for the harness.
protocol LineReading {
    mutating func add(line: UnsafeRawBufferPointer, number: Int, offset: Int64, to batch: inout RecordBatch)
    mutating func finish(_ batch: inout RecordBatch)
}

extension ClaudeTranscriptReader: LineReading { mutating func finish(_ batch: inout RecordBatch) {} }
extension CodexTranscriptReader: LineReading { mutating func finish(_ batch: inout RecordBatch) { endBatch(&batch) } }
extension GeminiSessionReader: LineReading { mutating func finish(_ batch: inout RecordBatch) {} }

/// Every harness, by name.
func harnesses(scratch: String) throws -> [Harness] {
    let fts = try SQLiteConnection(path: scratch + "/fts.db", busyMilliseconds: 1_000, create: true)
    try fts.execute("""
        CREATE VIRTUAL TABLE IF NOT EXISTS prose USING fts5(text, tokenize="porter unicode61 remove_diacritics 2");
        CREATE VIRTUAL TABLE IF NOT EXISTS code USING fts5(text, tokenize="unicode61 remove_diacritics 0 tokenchars '_.-/'");
        INSERT INTO prose (text) VALUES ('connection refused on port 5432'); INSERT INTO code (text) VALUES ('src/main.swift: error');
        """)
    var hookRuns = 0
    return [
        Harness(name: "claude", seeds: { try lineSeeds(corpusFiles("claude", [".jsonl"])) }) { input in
            var reader = ClaudeTranscriptReader(fileName: "fuzz.jsonl")
            return readLines(&reader, input, agent: .claude)
        },
        Harness(name: "codex", seeds: { try lineSeeds(corpusFiles("codex", [".jsonl"])) }) { input in
            var reader = CodexTranscriptReader(sessionId: nil, model: nil)
            return readLines(&reader, input, agent: .codex)
        },
        Harness(name: "gemini", seeds: { try corpusFiles("gemini", [".json", ".jsonl"]).map { [UInt8](try Data(contentsOf: $0)) } }) { input in
            var batch = RecordBatch(agent: .gemini)
            _ = input.withUnsafeBytes { GeminiSessionReader.readDocument($0, into: &batch) }
            var reader = GeminiSessionReader(sessionId: nil)
            return readLines(&reader, input, agent: .gemini)
        },
        Harness(name: "hooks", seeds: { try hookSeeds() }) { input in
            guard let payload = try? HookPayload(bytes: input) else { return nil }
            _ = payload.summary
            hookRuns += 1
            // Every 25th payload that decodes goes through a real hook run into a real database.
            guard hookRuns % 25 == 0 else { return nil }
            let result = HookRunner(databasePath: scratch + "/hooks.db").run(payload: input)
            return result.exitCode == 0 || result.exitCode == 2 ? nil : "the hook exited \(result.exitCode): \(result.stderr)"
        },
        Harness(name: "settings", seeds: { try settingsSeeds() }) { input in
            _ = try? JSONSettings(bytes: input, path: "settings.json")
            _ = try? StatuslinePayload(bytes: input)
            let file = scratch + "/prices.json"
            _ = FileManager.default.createFile(atPath: file, contents: Data(input))
            if let table = try? PriceTable.loading(overridesAt: file) {
                for model in ["claude-opus-4-6", "gpt-5", "fuzz"] {
                    if let price = table.price(for: model), price.input < 0 || price.output < 0 { return "a negative price for \(model)" }
                }
            }
            return nil
        },
        Harness(name: "search", seeds: { searchSeeds() }) { input in
            guard let expression = try? SearchExpression(String(decoding: input, as: UTF8.self)) else { return nil }
            for table in ["prose", "code"] {
                let statement = try fts.statement("SELECT rowid FROM \(table) WHERE \(table) MATCH ?")
                statement.bind(1, expression.match)
                do {
                    while try statement.step() {}
                } catch {
                    return "FTS5 refused the built expression \(expression.match) from \(String(decoding: input.prefix(200), as: UTF8.self)): \(error)"
                }
            }
            return nil
        },
        Harness(name: "redaction", seeds: { try lineSeeds(corpusFiles("claude", [".jsonl"]), limit: 1500) + searchSeeds() }) { input in
            let text = String(decoding: input, as: UTF8.self)
            let (masked, _) = Redactor.redact(text)
            let again = Redactor.findings(in: masked)
            return again.isEmpty ? nil : "masked text still holds \(again.map(\.kind.rawValue)) in \(String(masked.prefix(300)))"
        },
    ]
}

func hookSeeds() throws -> [[UInt8]] {
    try corpusFiles("hooks", [".json"]).flatMap { file -> [[UInt8]] in
        let bytes = [UInt8](try Data(contentsOf: file))
        guard let array = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [Any] else { return [bytes] }
        return try array.map { [UInt8](try JSONSerialization.data(withJSONObject: $0)) }
    }
}

func settingsSeeds() throws -> [[UInt8]] {
    [
        #"{"cleanupPeriodDays": 90, "hooks": {"PreToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": "agentlog-hook"}]}]}}"#,
        #"{"models": {"claude-opus-4-6": {"input": 5, "output": 25, "cacheWrite": 6.25, "cacheRead": 0.5}}}"#,
        #"{"session_id":"s","model":{"id":"claude-opus-4-6","display_name":"Opus"},"cost":{"total_cost_usd":1.5},"rate_limits":{"five_hour":{"used_percentage":40,"resets_at":1790000000}}}"#,
        #"{"mcpServers": {"agentlog": {"command": "agentlog", "args": ["mcp"]}}}"#,
    ].map { Array($0.utf8) }
}

func searchSeeds() -> [[UInt8]] {
    ["connection refused", "\"exact phrase\"", "error AND NOT warning", "src/main.swift", "tool:Bash rm -rf", "foo* OR bar",
     "NEAR(a b, 3)", "(unbalanced", "a:b:c", "-leading", "ünïcödé 日本語", "\"", "*", "^start"].map { Array($0.utf8) }
}
