import Foundation

/// Where the shared corpus of real agent files is: `../shared/corpus` beside the checkout.
public enum Corpus {
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/AgentLogTestSupport/TestSupport.swift
        return url.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }()

    public static var claude: URL { root.appendingPathComponent("claude") }
}

/// A temporary folder removed when the value is released.
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("agentlog-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `data` at a path relative to the folder, creating folders as needed.
    @discardableResult
    public func write(_ relativePath: String, _ data: Data) throws -> URL {
        let target = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target)
        return target
    }

    /// Appends `data` to a file relative to the folder.
    public func append(_ relativePath: String, _ data: Data) throws {
        let handle = try FileHandle(forWritingTo: url.appendingPathComponent(relativePath))
        try handle.seekToEnd()
        try handle.write(contentsOf: data)
        try handle.close()
    }

    /// Copies a file or folder into the folder.
    public func copy(_ source: URL, to relativePath: String) throws {
        let target = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: target)
    }
}

/// The totals a correct ingester must compute for a tree of Claude Code transcripts, computed
/// independently of agentlog's parser (with Foundation's JSONSerialization), following the rules
/// of `../shared/tools/scale-corpus.py` (class Tally).
public struct ExpectedTotals: Equatable, CustomStringConvertible {
    public var sessions = 0
    public var responses = 0
    public var input = 0
    public var output = 0
    public var cacheCreation = 0
    public var cacheRead = 0
    public var unparsableLines = 0

    public init() {}

    public var description: String {
        "sessions \(sessions), responses \(responses), input \(input), output \(output), cache creation \(cacheCreation), cache read \(cacheRead)"
    }

    public static func of(tree: URL) throws -> ExpectedTotals {
        var sessions = Set<String>()
        // (message.id, requestId) -> (rank, counts)
        var responses: [String: ([Int], [Int])] = [:]
        var unparsable = 0
        let enumerator = FileManager.default.enumerator(at: tree, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where url.pathExtension == "jsonl" {
            let data = try Data(contentsOf: url)
            var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            if lines.last?.isEmpty == true { lines.removeLast() }
            for line in lines {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)), let record = object as? [String: Any] else {
                    unparsable += 1
                    continue
                }
                if let id = record["sessionId"] as? String, !id.isEmpty { sessions.insert(id) }
                guard record["type"] as? String == "assistant", let message = record["message"] as? [String: Any],
                      let usage = message["usage"] as? [String: Any] else { continue }
                let counts = ["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"]
                    .map { (usage[$0] as? NSNumber)?.intValue ?? 0 }
                let rank = [counts[1], counts[0], counts[2], counts[3]]
                let key = "\(message["id"] as? String ?? "<nil>")|\(record["requestId"] as? String ?? "<nil>")"
                if let kept = responses[key] {
                    if kept.0.lexicographicallyPrecedes(rank) { responses[key] = (rank, counts) }
                } else {
                    responses[key] = (rank, counts)
                }
            }
        }
        var totals = ExpectedTotals()
        totals.sessions = sessions.count
        totals.responses = responses.count
        for (_, counts) in responses.values {
            totals.input += counts[0]
            totals.output += counts[1]
            totals.cacheCreation += counts[2]
            totals.cacheRead += counts[3]
        }
        totals.unparsableLines = unparsable
        return totals
    }
}
