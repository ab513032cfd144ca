import AgentLogJSON
import AgentLogHistory
import AgentLogStore
import Foundation

// agentlog-bench hooks DB [--hook PATH] [--agentlog PATH] [--sync-tree TREE]
//     1. every PreToolUse and PostToolUse payload of ../shared/corpus/hooks/pwd__*.json through
//        the agentlog-hook process, one after another (spawn to exit; baseline: /bin/true);
//     2. 16 concurrent senders × 500 events each while `agentlog sync` of TREE (Codex rollouts)
//        runs: events stored = events sent, non-zero exits, p99.

/// The payloads of a corpus hook file (a JSON array), as bytes.
func corpusHookPayloads(_ name: String) throws -> [[UInt8]] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/corpus/hooks/\(name)")
    let bytes = Array(try Data(contentsOf: url))
    return try bytes.withUnsafeBytes { raw in
        let json = JSONScanner(raw)
        var elements: [JSONSpan] = []
        json.elements(of: try json.scanValue(at: 0), into: &elements)
        return elements.map { Array(bytes[$0.start..<$0.end]) }
    }
}

func hookBenchmark(database: String, hook: String, agentlog: String, syncTree: String?) throws {
    guard FileManager.default.isExecutableFile(atPath: hook) else { fail("no agentlog-hook at \(hook); run swift build -c release") }
    let work = NSTemporaryDirectory() + "agentlog-bench-hooks-\(getpid())"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    let size = (try? FileManager.default.attributesOfItem(atPath: database)[.size] as? NSNumber)?.int64Value ?? 0
    let store = try AgentLogStore.open(at: database)  // brings the schema up to date first
    let before = try store.events(EventQuery()).count
    print("Database: \(database), \(String(format: "%.2f", Double(size) / 1e9)) GB, \(before) events before")

    // 1. Sequential, real payloads.
    let payloads = try corpusHookPayloads("pwd__pre_tool_use.json") + corpusHookPayloads("pwd__post_tool_use.json")
    var times: [Double] = []
    var baseline: [Double] = []
    for (index, payload) in payloads.enumerated() {
        let file = work + "/p\(index).json"
        _ = FileManager.default.createFile(atPath: file, contents: Data(payload))
        baseline.append(run("/bin/true", [], home: work, stdin: file).seconds)
        times.append(run(hook, ["--db", database], home: work, stdin: file).seconds)
    }
    print("\n| measurement | goal | p50 | p99 | max | runs | baseline: spawning /bin/true |")
    print("|---|---|---|---|---|---|---|")
    print("| agentlog-hook, sequential, corpus PreToolUse/PostToolUse payloads | p50 ≤ 10 ms, p99 ≤ 30 ms | \(milliseconds(median(times))) ms "
        + "| \(milliseconds(percentile(times, 0.99))) ms | \(milliseconds(times.max()!)) ms | \(times.count) "
        + "| p50 \(milliseconds(median(baseline))) ms, p99 \(milliseconds(percentile(baseline, 0.99))) ms |")

    // 2. Concurrent senders while a sync writes.
    let senders = 16, perSender = 500
    var sync: Process?
    if let syncTree {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: agentlog)
        process.arguments = ["--db", database, "sync", "--path", syncTree, "--agent", "codex", "--quiet"]
        process.environment = ["HOME": work, "PATH": "/usr/bin:/bin"]
        try process.run()
        sync = process
    }
    let collected = Collected()
    let tag = "bench-\(getpid())-\(Int(Date().timeIntervalSince1970))"
    DispatchQueue.concurrentPerform(iterations: senders) { sender in
        var mine: [Double] = []
        var failed = 0
        for index in 0..<perSender {
            let file = work + "/c\(sender)-\(index).json"
            let json = #"{"hook_event_name":"PostToolUse","session_id":"\#(tag)-\#(sender)","cwd":"/bench","tool_name":"Bash","#
                + #""tool_use_id":"t\#(sender)-\#(index)","tool_input":{"command":"echo \#(index)"},"tool_response":{"stdout":"\#(index)"}}"#
            _ = FileManager.default.createFile(atPath: file, contents: Data(json.utf8))
            let result = agentlogBenchRun(hook, ["--db", database], home: work, stdin: file)
            mine.append(result.seconds)
            if result.status != 0 { failed += 1 }
            try? FileManager.default.removeItem(atPath: file)
        }
        collected.add(mine, failed)
    }
    let (latencies, failures) = collected.value
    let syncStatus: String
    if let sync {
        sync.waitUntilExit()
        syncStatus = "while `agentlog sync` of \(syncTree!) ran (exit \(sync.terminationStatus))"
    } else {
        syncStatus = "without a concurrent sync"
    }
    let stored = try (0..<senders).reduce(0) { $0 + (try store.events(EventQuery(session: "\(tag)-\($1)")).count) }
    let spool = (try? FileManager.default.contentsOfDirectory(atPath: database + ".spool").filter { $0.hasSuffix(".hook") }.count) ?? 0
    print("| \(senders) concurrent senders × \(perSender) events \(syncStatus) | p99 ≤ 100 ms | \(milliseconds(median(latencies))) ms "
        + "| \(milliseconds(percentile(latencies, 0.99))) ms | \(milliseconds(latencies.max()!)) ms | \(latencies.count) | |")
    print("\nEvents sent \(senders * perSender), stored \(stored) (+ \(spool) waiting in the spool), non-zero exits \(failures).")
}

/// ``run(_:_:home:stdin:check:)`` without failing on a non-zero exit, callable from any thread.
func agentlogBenchRun(_ executable: String, _ args: [String], home: String, stdin: String) -> (seconds: Double, status: Int32) {
    let result = run(executable, args, home: home, stdin: stdin, check: false)
    return (result.seconds, result.status)
}

/// Latencies and failures gathered from several threads.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var latencies: [Double] = []
    private var failures = 0

    func add(_ more: [Double], _ failed: Int) {
        lock.withLock {
            latencies += more
            failures += failed
        }
    }

    var value: ([Double], Int) { lock.withLock { (latencies, failures) } }
}
