import AgentLogIngest
import AgentLogHistory
import AgentLogStore
import AgentLogSync
import Foundation

// agentlog-bench: the measurements of BENCHMARKS.md, too big for `swift test`.
//
//   agentlog-bench totals TREE DB
//       sync TREE into DB in-process and print the totals (compare with scale-corpus.py's "expected")
//   agentlog-bench agents claude=TREE codex=TREE [--runs N]
//       cold sync MB/s per agent, in-process, runs interleaved; prints the ratio to Claude's
//   agentlog-bench parse claude=TREE codex=TREE [--runs N]
//       parse-only MB/s per agent on one thread (no store, no compression): the readers' share
//   agentlog-bench suite TREE [--agentlog PATH] [--runs N] [--work DIR]
//       whole-process figures with the release `agentlog` binary: cold sync MB/s and peak RSS,
//       database size, `report daily` with nothing changed, sync after appending 1 MB; each with
//       a baseline measured in the same run. Prints a Markdown table.
//
//   agentlog-bench search DB / show DB SESSION: see Queries.swift; hooks DB: see Hooks.swift;
//   library [--work DIR] [--runs N]: the embeddable library's figures, see Library.swift.
//
// Build with `swift build -c release` first. TREE comes from ../shared/tools/scale-corpus.py.

let arguments = Array(CommandLine.arguments.dropFirst())

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("agentlog-bench: \(message)\n".utf8))
    exit(2)
}

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

/// Runs a process to completion (posix_spawn and wait4, so that its own peak RSS is reported);
/// returns wall seconds and the peak RSS in kB. Output goes to /dev/null.
func run(_ executable: String, _ args: [String], home: String, stdin: String? = nil, check: Bool = true)
    -> (seconds: Double, maxRSSKB: Int, status: Int32) {
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "CLAUDE_CONFIG_DIR")
    environment.removeValue(forKey: "AGENTLOG_DB")
    environment["HOME"] = home  // never this machine's own agent folders
    let argv = ([executable] + args).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    if let stdin { posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0) }
    defer { posix_spawn_file_actions_destroy(&actions) }
    var pid: pid_t = 0
    let start = now()
    guard posix_spawn(&pid, executable, &actions, nil, argv, envp) == 0 else { fail("cannot run \(executable)") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let elapsed = now() - start
    if check, status != 0 { fail("\(executable) \(args.joined(separator: " ")) exited with status \(status)") }
    return (elapsed, Int(usage.ru_maxrss), status)
}

func jsonlFiles(under root: String) -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: root)!
    var files: [String] = []
    while let path = enumerator.nextObject() as? String {
        if path.hasSuffix(".jsonl") { files.append(root + "/" + path) }
    }
    return files.sorted()
}

func treeBytes(_ files: [String]) -> Int64 {
    files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? NSNumber)?.int64Value ?? 0) }
}

func fileSize(_ path: String) -> Int64 {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
}

/// Reads every file once (the I/O floor of a sync).
func readAll(_ files: [String]) -> Double {
    let start = now()
    var buffer = [UInt8](repeating: 0, count: 4 << 20)
    for file in files {
        let descriptor = open(file, O_RDONLY)
        while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        close(descriptor)
    }
    return now() - start
}

/// Foundation's JSONSerialization over every line of the first `limit` bytes of files: the
/// general-purpose parser baseline.
func foundationParse(_ files: [String], limit: Int64) -> (seconds: Double, bytes: Int64) {
    var bytes: Int64 = 0
    var elapsed = 0.0
    for file in files where bytes < limit {
        guard let data = FileManager.default.contents(atPath: file) else { continue }
        let start = now()
        for line in data.split(separator: UInt8(ascii: "\n")) {
            _ = try? JSONSerialization.jsonObject(with: Data(line))
        }
        elapsed += now() - start
        bytes += Int64(data.count)
    }
    return (elapsed, bytes)
}

switch arguments.first {
case "totals":
    guard arguments.count >= 3 else { fail("usage: agentlog-bench totals TREE DB") }
    let store = try AgentLogStore.open(at: arguments[2])
    let start = now()
    let report = try SyncEngine(store: store).sync(roots: [SyncRoot(path: arguments[1], agent: .claude, isExplicit: true)])
    let elapsed = now() - start
    let usage = try store.usageReport(ReportOptions(kind: .model))
    let status = try store.status()
    var byModel: [String: Any] = [:]
    for row in usage.rows {
        byModel[row.key] = ["responses": row.responses, "input_tokens": row.tokens.input, "output_tokens": row.tokens.output,
                            "cache_creation_input_tokens": row.tokens.cacheCreation, "cache_read_input_tokens": row.tokens.cacheRead]
    }
    let totals: [String: Any] = [
        "sessions": status.sessions, "responses": usage.totals.responses,
        "input_tokens": usage.totals.tokens.input, "output_tokens": usage.totals.tokens.output,
        "cache_creation_input_tokens": usage.totals.tokens.cacheCreation,
        "cache_read_input_tokens": usage.totals.tokens.cacheRead, "by_model": byModel,
        "rejected_lines": report.rejected.count, "bytes_read": report.bytesRead, "seconds": elapsed,
        "mb_per_s": Double(report.bytesRead) / 1e6 / elapsed,
    ]
    let data = try JSONSerialization.data(withJSONObject: totals, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: data, as: UTF8.self))

case "suite":
    guard arguments.count >= 2 else { fail("usage: agentlog-bench suite TREE [--agentlog PATH] [--runs N] [--work DIR]") }
    let tree = arguments[1]
    let agentlog = option("--agentlog") ?? ".build/release/agentlog"
    let runs = Int(option("--runs") ?? "3") ?? 3
    let work = option("--work") ?? NSTemporaryDirectory() + "agentlog-bench-\(getpid())"
    try? FileManager.default.removeItem(atPath: work)
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    guard FileManager.default.isExecutableFile(atPath: agentlog) else { fail("no agentlog binary at \(agentlog); run swift build -c release") }
    // The processes see HOME=<work>/home with ~/.claude/projects pointing at the tree, so that
    // `sync` and `report` (which syncs the default roots first) read the tree and nothing else.
    try FileManager.default.createDirectory(atPath: work + "/home/.claude", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: work + "/home/.claude/projects", withDestinationPath: tree)
    let home = work + "/home"
    let files = jsonlFiles(under: tree)
    let bytes = treeBytes(files)
    print("Tree: \(tree), \(files.count) JSONL files, \(String(format: "%.1f", Double(bytes) / 1e6)) MB; \(runs) runs each\n")
    print("| measurement | median | runs | baseline (same run) | ratio |")
    print("|---|---|---|---|---|")

    // 1. Cold sync, whole process, fresh database each run; peak RSS of the process.
    var syncSeconds: [Double] = []
    var rss: [Int] = []
    var database = ""
    for index in 0..<runs {
        database = work + "/cold-\(index).db"
        let result = run(agentlog, ["--db", database, "sync", "--quiet"], home: home)
        syncSeconds.append(result.seconds)
        rss.append(result.maxRSSKB)
        if index + 1 < runs { try? FileManager.default.removeItem(atPath: database) }
    }
    let readSeconds = (0..<runs).map { _ in readAll(files) }
    let parse = foundationParse(files, limit: 100_000_000)
    let syncRate = Double(bytes) / 1e6 / median(syncSeconds)
    print("| cold sync throughput | \(String(format: "%.0f", syncRate)) MB/s (\(String(format: "%.2f", median(syncSeconds))) s) | \(syncSeconds.map { String(format: "%.2f", $0) }.joined(separator: ", ")) s "
        + "| JSONSerialization parse alone: \(String(format: "%.0f", Double(parse.bytes) / 1e6 / parse.seconds)) MB/s; reading the files: \(String(format: "%.0f", Double(bytes) / 1e6 / median(readSeconds))) MB/s "
        + "| \(String(format: "%.1f", syncRate / (Double(parse.bytes) / 1e6 / parse.seconds)))× JSONSerialization |")
    print("| peak RSS during cold sync | \(Int(median(rss.map(Double.init)) / 1024)) MB | \(rss.map { String($0 / 1024) }.joined(separator: ", ")) MB | | |")
    let dbBytes = fileSize(database) + fileSize(database + "-wal")
    print("| database size incl. archive | \(String(format: "%.1f", Double(dbBytes) / 1e6)) MB | | raw JSONL \(String(format: "%.1f", Double(bytes) / 1e6)) MB | \(String(format: "%.2f", Double(dbBytes) / Double(bytes)))× |")

    // 2. `report daily` with nothing changed (it syncs first: every file is checked), whole process.
    let reportRuns = max(runs, 10)
    let startup = (0..<reportRuns).map { _ in run(agentlog, ["--db", database, "db", "path"], home: home).seconds }
    let reports = (0..<reportRuns).map { _ in run(agentlog, ["--db", database, "report", "daily", "--timezone", "UTC"], home: home).seconds }
    print("| report daily, nothing changed | \(String(format: "%.0f", median(reports) * 1000)) ms (p90 \(String(format: "%.0f", percentile(reports, 0.9) * 1000)) ms) | \(reportRuns) runs | process start (`agentlog db path`): \(String(format: "%.0f", median(startup) * 1000)) ms | \(String(format: "%.1f", median(reports) / median(startup)))× |")

    // 3. Sync after appending 1 MB to one file.
    let target = files.max { fileSize($0) < fileSize($1) }!
    let originalSize = fileSize(target)
    defer { truncate(target, off_t(originalSize)) }  // leave the tree as it was
    var appendSeconds: [Double] = []
    var noChange: [Double] = []
    for round in 0..<max(runs, 5) {
        var chunk = ""
        var line = 0
        while chunk.utf8.count < 1_000_000 {
            line += 1
            let text = String(repeating: "benchmark text \(round)-\(line) ", count: 30)
            chunk += #"{"type":"user","sessionId":"bench-append","uuid":"bench-\#(round)-\#(line)","timestamp":"2026-11-01T10:00:00.000Z","message":{"role":"user","content":"\#(text)"}}"# + "\n"
        }
        let handle = FileHandle(forWritingAtPath: target)!
        handle.seekToEndOfFile()
        handle.write(Data(chunk.utf8))
        handle.closeFile()
        appendSeconds.append(run(agentlog, ["--db", database, "sync", "--quiet"], home: home).seconds)
        noChange.append(run(agentlog, ["--db", database, "sync", "--quiet"], home: home).seconds)
    }
    print("| sync after appending 1 MB to one file | \(String(format: "%.0f", median(appendSeconds) * 1000)) ms | \(appendSeconds.map { String(format: "%.0f", $0 * 1000) }.joined(separator: ", ")) ms | sync with nothing changed: \(String(format: "%.0f", median(noChange) * 1000)) ms | +\(String(format: "%.0f", (median(appendSeconds) - median(noChange)) * 1000)) ms for the 1 MB |")

case "parse":
    // Parse-only throughput per agent on one thread: agentlog-bench parse claude=TREE codex=TREE
    let runs = Int(option("--runs") ?? "3") ?? 3
    let trees = arguments.dropFirst().filter { $0.contains("=") }.map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
    var rates: [String: [Double]] = [:]
    var records: [String: Int] = [:]
    for _ in 0..<runs {
        for tree in trees {
            guard let agent = AgentKind(rawValue: tree[0]) else { fail("unknown agent \(tree[0])") }
            let files = jsonlFiles(under: tree[1])
            var bytes = 0
            var count = 0
            let start = now()
            for path in files {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                bytes += data.count
                var batch = RecordBatch(agent: agent)
                var claude = ClaudeTranscriptReader(fileName: (path as NSString).lastPathComponent)
                var codex = CodexTranscriptReader(sessionId: nil, model: nil)
                data.withUnsafeBytes { raw in
                    var start = 0
                    var number = 0
                    while start < raw.count, let newline = memchr(raw.baseAddress! + start, 0x0A, raw.count - start) {
                        let end = UnsafeRawPointer(newline) - raw.baseAddress!
                        number += 1
                        let line = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                        if agent == .codex {
                            codex.add(line: line, number: number, offset: Int64(start), to: &batch)
                        } else {
                            claude.add(line: line, number: number, offset: Int64(start), to: &batch)
                        }
                        start = end + 1
                    }
                }
                codex.endBatch(&batch)
                count += batch.messages.count + batch.usages.count + batch.toolCalls.count + batch.toolResults.count
            }
            rates[tree[0], default: []].append(Double(bytes) / 1e6 / (now() - start))
            records[tree[0]] = count
        }
    }
    print("| agent | tree | records | median MB/s | runs (MB/s) |")
    print("|---|---|---|---|---|")
    for tree in trees {
        let values = rates[tree[0]] ?? []
        print("| \(tree[0]) | \(tree[1]) | \(records[tree[0]] ?? 0) | \(String(format: "%.0f", median(values))) | \(values.map { String(format: "%.0f", $0) }.joined(separator: ", ")) |")
    }

case "agents":
    // Cold sync throughput of one tree per agent, runs interleaved so the machine's noise hits
    // all alike: agentlog-bench agents claude=TREE codex=TREE [gemini=TREE] [--runs N]
    let runs = Int(option("--runs") ?? "3") ?? 3
    let trees = arguments.dropFirst().filter { $0.contains("=") }.map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
    var rates: [String: [Double]] = [:]
    for round in 0..<runs {
        for tree in trees {
            guard let agent = AgentKind(rawValue: tree[0]) else { fail("unknown agent \(tree[0])") }
            let database = NSTemporaryDirectory() + "agentlog-bench-agents-\(getpid())-\(round).db"
            defer { for suffix in ["", "-wal", "-shm", ".sync.lock"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
            let store = try AgentLogStore.open(at: database)
            let start = now()
            let report = try SyncEngine(store: store).sync(roots: [SyncRoot(path: tree[1], agent: agent, isExplicit: true)])
            rates[tree[0], default: []].append(Double(report.bytesRead) / 1e6 / (now() - start))
        }
    }
    print("| agent | tree | median MB/s | runs (MB/s) |")
    print("|---|---|---|---|")
    for tree in trees {
        let values = rates[tree[0]] ?? []
        print("| \(tree[0]) | \(tree[1]) | \(String(format: "%.0f", median(values))) | \(values.map { String(format: "%.0f", $0) }.joined(separator: ", ")) |")
    }
    if let claude = rates["claude"] {
        for tree in trees where tree[0] != "claude" {
            // Each round's ratio pairs runs made a few seconds apart, so slow drift of the
            // machine cancels out; the median of those is the figure to quote.
            let rounds = zip(rates[tree[0]]!, claude).map { $0 / $1 }
            print("\n\(tree[0]) / claude: \(String(format: "%.2f", median(rates[tree[0]]!) / median(claude))) (ratio of medians); "
                + "\(String(format: "%.2f", median(rounds))) (median of the rounds' ratios: \(rounds.map { String(format: "%.2f", $0) }.joined(separator: ", ")))")
        }
    }

case "search":
    guard arguments.count >= 2 else { fail("usage: agentlog-bench search DB [--runs N] [--agentlog PATH]") }
    try searchBenchmark(database: arguments[1], runs: Int(option("--runs") ?? "20") ?? 20,
                        agentlog: option("--agentlog") ?? ".build/release/agentlog")

case "hooks":
    guard arguments.count >= 2 else { fail("usage: agentlog-bench hooks DB [--hook PATH] [--agentlog PATH] [--sync-tree TREE]") }
    try hookBenchmark(database: arguments[1], hook: option("--hook") ?? ".build/release/agentlog-hook",
                      agentlog: option("--agentlog") ?? ".build/release/agentlog", syncTree: option("--sync-tree"))

case "show":
    guard arguments.count >= 3 else { fail("usage: agentlog-bench show DB SESSION [--runs N] [--agentlog PATH]") }
    try showBenchmark(database: arguments[1], session: arguments[2], runs: Int(option("--runs") ?? "20") ?? 20,
                      agentlog: option("--agentlog") ?? ".build/release/agentlog")

case "library":
    try await libraryBenchmark(work: option("--work") ?? NSTemporaryDirectory(), runs: Int(option("--runs") ?? "20") ?? 20)

default:
    fail("usage: agentlog-bench totals TREE DB | suite TREE [--agentlog PATH] [--runs N] | agents claude=TREE codex=TREE [--runs N] "
         + "| parse claude=TREE codex=TREE | search DB | show DB SESSION | hooks DB | library [--work DIR]")
}
