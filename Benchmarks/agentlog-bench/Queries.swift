import AgentLogHistory
import AgentLogStore
import Foundation

// agentlog-bench search DB [--runs N] [--agentlog PATH]
//     builds the search index if needed, picks rare terms (in 0.1–1% of messages) and the four
//     most common ones from the index itself, then times top-20 searches in-process and
//     as whole `agentlog search` processes (baseline: `agentlog db path`).
// agentlog-bench show DB SESSION [--runs N] [--agentlog PATH]
//     times `agentlog show SESSION --format json` as a whole process (baseline: `agentlog db path`).

/// Runs sqlite3 on `database` (read-only) and returns its output lines, fields split on `|`.
func sqlite(_ database: String, _ sql: String) -> [[String]] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", "-readonly", database, sql]
    let out = Pipe()
    process.standardOutput = out
    do { try process.run() } catch { fail("sqlite3 is needed to pick search terms: \(error)") }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if process.terminationStatus != 0 { fail("sqlite3 failed on: \(sql)") }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
}

func milliseconds(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }

func searchBenchmark(database: String, runs: Int, agentlog: String) throws {
    let store = try AgentLogStore.open(at: database)
    let indexStart = now()
    let indexed = try store.updateSearchIndex()
    let indexSeconds = now() - indexStart
    let status = try store.status()
    print("Database: \(database), \(status.messages) messages, \(status.toolCalls) tool calls, \(status.sessions) sessions")
    if indexed > 0 { print("Search index built for \(indexed) rows in \(String(format: "%.1f", indexSeconds)) s (one-off, by the first search)") }

    // Document frequencies from the code index (a temporary fts5vocab table): its terms are
    // words as written, where the prose index holds stems (`collaps`) that no query spells.
    let vocabulary = "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'messages_code', 'row');"
    func terms(_ sql: String) -> [(String, Int)] {
        sqlite(database, vocabulary + sql).compactMap { row in row.count == 2 ? (row[0], Int(row[1]) ?? 0) : nil }
    }
    let rareAll = terms("""
        SELECT term, doc FROM temp.vocab WHERE length(term) >= 5 AND term GLOB '[a-z]*' AND term NOT GLOB '*[0-9]*'
          AND doc BETWEEN \(status.messages / 1000) AND \(status.messages / 100) ORDER BY term;
        """)
    let rare = stride(from: 0, to: rareAll.count, by: max(1, rareAll.count / 12)).prefix(12).map { rareAll[$0] }
    let common = terms("SELECT term, doc FROM temp.vocab WHERE term GLOB '[a-z]*' ORDER BY doc DESC LIMIT 4;")
    guard !rare.isEmpty, !common.isEmpty else { fail("no terms found in the index") }
    let withText = Int(sqlite(database, "SELECT count(*) FROM messages WHERE text <> ''").first?.first ?? "") ?? 0
    print("Messages with text: \(withText); the others are tool results and tool-call-only replies (their text is in tool_calls).")

    func percent(_ count: Int) -> String {
        String(format: "%.2f%% of messages, %.1f%% of those with text", Double(count) * 100 / Double(status.messages),
               Double(count) * 100 / Double(max(1, withText)))
    }
    print("Rare terms: " + rare.map { "\($0.0) (\(percent($0.1)))" }.joined(separator: ", "))
    print("Common terms: " + common.map { "\($0.0) (\(percent($0.1)))" }.joined(separator: ", "))
    print("\n| measurement | p50 | p95 | max | queries |")
    print("|---|---|---|---|---|")
    for (label, set) in [("rare term, top 20, in-process", rare), ("common term, top 20, in-process", common)] {
        var times: [Double] = []
        for _ in 0..<runs {
            for (term, _) in set {
                let query = SearchQuery(expression: try SearchExpression(term))
                let start = now()
                let hits = try store.search(query)
                times.append(now() - start)
                if hits.isEmpty { fail("no hits for \(term)") }
            }
        }
        print("| \(label) | \(milliseconds(median(times))) ms | \(milliseconds(percentile(times, 0.95))) ms | \(milliseconds(times.max()!)) ms | \(times.count) |")
    }
    guard FileManager.default.isExecutableFile(atPath: agentlog) else { fail("no agentlog binary at \(agentlog); run swift build -c release") }
    let home = NSTemporaryDirectory() + "agentlog-bench-home-\(getpid())"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: home) }
    var baseline: [Double] = []
    for (label, set) in [("rare term, whole `agentlog search` process", rare), ("common term, whole `agentlog search` process", common)] {
        var times: [Double] = []
        for _ in 0..<max(1, runs / 4) {
            for (term, _) in set {
                baseline.append(run(agentlog, ["--db", database, "db", "path"], home: home).seconds)
                times.append(run(agentlog, ["--db", database, "search", term, "--no-sync", "--limit", "20"], home: home).seconds)
            }
        }
        print("| \(label) | \(milliseconds(median(times))) ms | \(milliseconds(percentile(times, 0.95))) ms | \(milliseconds(times.max()!)) ms | \(times.count) |")
    }
    print("| baseline: process start (`agentlog db path`) | \(milliseconds(median(baseline))) ms | \(milliseconds(percentile(baseline, 0.95))) ms | \(milliseconds(baseline.max()!)) ms | \(baseline.count) |")
}

func showBenchmark(database: String, session: String, runs: Int, agentlog: String) throws {
    let store = try AgentLogStore.open(at: database)
    let reference = try store.resolveSession(session)
    let transcript = try store.transcript(of: reference)
    print("Session \(reference.sessionId): \(transcript.summary.messages) messages, \(transcript.summary.toolCalls) tool calls")
    guard FileManager.default.isExecutableFile(atPath: agentlog) else { fail("no agentlog binary at \(agentlog); run swift build -c release") }
    let home = NSTemporaryDirectory() + "agentlog-bench-home-\(getpid())"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: home) }
    var inProcess: [Double] = []
    var shows: [Double] = []
    var baseline: [Double] = []
    var bytes = 0
    for _ in 0..<runs {
        let start = now()
        bytes = previewBytes(of: try store.transcript(of: reference))
        inProcess.append(now() - start)
        baseline.append(run(agentlog, ["--db", database, "db", "path"], home: home).seconds)
        shows.append(run(agentlog, ["--db", database, "show", session, "--format", "json"], home: home).seconds)
    }
    print("\n| measurement | median | p95 | runs | baseline (same run) |")
    print("|---|---|---|---|---|")
    print("| `show --format json`, whole process | \(milliseconds(median(shows))) ms | \(milliseconds(percentile(shows, 0.95))) ms | \(runs) | process start (`agentlog db path`): \(milliseconds(median(baseline))) ms |")
    print("| transcript read from the store, in-process | \(milliseconds(median(inProcess))) ms | \(milliseconds(percentile(inProcess, 0.95))) ms | \(runs) | \(bytes / 1000) kB of previews |")
}

/// The bytes of text a transcript holds.
func previewBytes(of transcript: SessionTranscript) -> Int {
    func bytes(_ thread: TranscriptThread) -> Int {
        thread.entries.reduce(0) { sum, entry in
            switch entry {
            case .message(let message): sum + (message.text?.utf8.count ?? 0) + (message.thinking?.utf8.count ?? 0)
            case .toolCall(let call, let subagent): sum + (call.inputPreview?.utf8.count ?? 0) + call.outputPreview.utf8.count + (subagent.map(bytes) ?? 0)
            case .compaction: sum
            case .subagent(let nested): sum + bytes(nested)
            }
        }
    }
    return bytes(transcript.main)
}
