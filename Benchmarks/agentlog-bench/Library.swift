import AgentLogHistory
import AgentLogStore
import Foundation

// agentlog-bench library [--work DIR] [--runs N]
//     the embeddable library on a new database file (WAL) in DIR:
//     - append message: p50/p99 of single appends (each its own transaction, saved on return) to
//       a session that grows to 20,000 messages; baseline: an empty write transaction, same run;
//     - load a 10,000-message session (median and p95 of N loads); baseline: load of a
//       100-message session;
//     - 1,000 sessions × 100 messages appended one by one, then every session reloaded.

/// A message text of realistic, varied length (60–1,200 bytes).
func benchText(_ index: Int) -> String {
    let words = ["the", "parser", "returns", "an", "error", "when", "token", "stream", "ends", "early", "so", "we", "fix", "it"]
    let count = 10 + (index * 7919) % 200
    return (0..<count).map { words[($0 + index) % words.count] }.joined(separator: " ")
}

func libraryBenchmark(work: String, runs: Int) async throws {
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    let path = work + "/library-\(getpid()).db"
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    let store = try await AgentLogStore.open(path: path)
    print("Database: \(path) (new file, WAL)")

    // 1. Single appends, with an empty write transaction as the baseline, interleaved.
    let session = try await store.createSession(agent: "bench", title: "append")
    var appends: [Double] = [], empty: [Double] = []
    for index in 0..<20_000 {
        let message = AppMessage(role: index % 2 == 0 ? "user" : "assistant", text: benchText(index), model: index % 2 == 0 ? nil : "claude-sonnet-4-5")
        let start = now()
        try await store.appendMessage(message, to: session)
        appends.append(now() - start)
        if index % 4 == 0 {
            let start = now()
            try store.executeForTesting("SELECT 1")
            empty.append(now() - start)
        }
    }
    func micro(_ seconds: Double) -> String { String(format: "%.0f µs", seconds * 1e6) }
    print("\n| measurement | p50 | p99 | max |")
    print("|---|---|---|---|")
    print("| append message (20,000 to one session, each saved on return) | \(micro(median(appends))) | \(micro(percentile(appends, 0.99))) | \(micro(appends.max()!)) |")
    print("| baseline: empty write transaction | \(micro(median(empty))) | \(micro(percentile(empty, 0.99))) | \(micro(empty.max()!)) |")

    // 2. Loading a 10,000-message session, and a 100-message one as the baseline.
    let big = try await store.createSession(agent: "bench", title: "big")
    let small = try await store.createSession(agent: "bench", title: "small")
    for index in 0..<10_000 {
        try await store.appendMessage(AppMessage(role: index % 2 == 0 ? "user" : "assistant", text: benchText(index)), to: big)
        if index < 100 { try await store.appendMessage(AppMessage(role: "user", text: benchText(index)), to: small) }
    }
    var bigLoads: [Double] = [], smallLoads: [Double] = []
    var bytes = 0
    for _ in 0..<runs {
        var start = now()
        let loaded = try await store.loadSession(id: big.id)
        bigLoads.append(now() - start)
        bytes = loaded?.messages.reduce(0) { $0 + $1.text.utf8.count } ?? 0
        guard loaded?.messages.count == 10_000 else { fail("the big session did not load whole") }
        start = now()
        _ = try await store.loadSession(id: small.id)
        smallLoads.append(now() - start)
    }
    print("\n| load a whole session (\(runs) runs) | median | p95 |")
    print("|---|---|---|")
    print("| 10,000 messages (\(bytes / 1024) KB of text) | \(milliseconds(median(bigLoads))) ms | \(milliseconds(percentile(bigLoads, 0.95))) ms |")
    print("| baseline: 100 messages | \(milliseconds(median(smallLoads))) ms | \(milliseconds(percentile(smallLoads, 0.95))) ms |")

    // 3. 1,000 sessions × 100 messages, appended one by one (100,000 transactions), then reloaded.
    var start = now()
    var sessions: [AppSession] = []
    var manyAppends: [Double] = []
    for index in 0..<1_000 {
        let session = try await store.createSession(agent: "bench-many", title: "session \(index)")
        for message in 0..<100 {
            let one = now()
            try await store.appendMessage(AppMessage(role: message % 2 == 0 ? "user" : "assistant", text: benchText(index * 100 + message)), to: session)
            manyAppends.append(now() - one)
        }
        sessions.append(session)
    }
    let stored = now() - start
    print("\nappends of part 3: p50 \(micro(median(manyAppends))), p99 \(micro(percentile(manyAppends, 0.99))), "
          + "sum \(String(format: "%.2f", manyAppends.reduce(0, +))) s, over 10 ms: \(manyAppends.filter { $0 > 0.01 }.count)")
    start = now()
    var reloaded = 0
    for session in sessions { reloaded += try await store.loadSession(id: session.id)?.messages.count ?? 0 }
    let loaded = now() - start
    guard reloaded == 100_000 else { fail("reloaded \(reloaded) messages, not 100,000") }
    // The same, each session's 100 messages in one call (one transaction).
    start = now()
    for index in 0..<1_000 {
        let session = try await store.createSession(agent: "bench-batch", title: "session \(index)")
        try await store.appendMessages((0..<100).map { message in
            AppMessage(role: message % 2 == 0 ? "user" : "assistant", text: benchText(index * 100 + message))
        }, to: session)
    }
    let batched = now() - start
    print("\n| 1,000 sessions × 100 messages | seconds |")
    print("|---|---|")
    print("| stored, one append (one transaction) per message | \(String(format: "%.2f", stored)) s |")
    print("| stored, one appendMessages call per session | \(String(format: "%.2f", batched)) s |")
    print("| reloaded, every session whole | \(String(format: "%.2f", loaded)) s |")
    print("| both | \(String(format: "%.2f", stored + loaded)) s |")
    let size = ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_048_576
    print("\nDatabase after the run: \(size) MB")
}
