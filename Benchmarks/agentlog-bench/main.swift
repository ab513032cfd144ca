import AgentLogIngest
import AgentLogStore
import AgentLogSync
import Foundation

// agentlog-bench: measurements that are too big for `swift test`. See BENCHMARKS.md.
//
//   agentlog-bench totals TREE DB        sync TREE into DB and print the totals as JSON
//   agentlog-bench parse TREE            parse every line of TREE (no database), print MB/s

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: agentlog-bench totals TREE DB | parse TREE\n".utf8))
    exit(2)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

switch arguments[1] {
case "totals":
    let store = try AgentLogStore.open(at: arguments[3])
    var report = SyncReport()
    let elapsed = try seconds {
        report = try SyncEngine(store: store).sync(roots: [SyncRoot(path: arguments[2], agent: .claude, isExplicit: true)])
    }
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
        "db_bytes": status.fileBytes, "archive_raw": status.archiveRawBytes, "archive_stored": status.archiveStoredBytes,
    ]
    let data = try JSONSerialization.data(withJSONObject: totals, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: data, as: UTF8.self))
default:
    FileHandle.standardError.write(Data("unknown mode \(arguments[1])\n".utf8))
    exit(2)
}
