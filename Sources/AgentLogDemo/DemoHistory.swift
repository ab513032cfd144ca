import AgentLogJSON
import Foundation

/// A realistic sample Claude Code history for `agentlog demo`: written to disk so the demo exercises the real sync path.
///
/// The history imitates what Claude Code 2.1.x leaves in `~/.claude/projects`: three projects,
/// fourteen sessions over the four weeks before `now`, assistant responses split over several
/// lines (one per content block, sharing `message.id`, `requestId` and usage), tool calls with
/// results (some failing), two sessions that ran subagents (`<session>/subagents/agent-<id>.jsonl`
/// plus `.meta.json`), one auto-compaction, a client-written API error, custom titles and
/// bookkeeping lines (`file-history-snapshot`, `queue-operation`) that an ingester must skip.
///
/// ```swift
/// let summary = try DemoHistory.write(to: demoRoot.appendingPathComponent("projects"), now: Date())
/// print(summary.sessions)   // 14
/// ```
///
/// All content is made up. Output is deterministic for a given `now`: ids come from a fixed-seed
/// SplitMix64 generator and JSON keys are written in Claude Code's order.
public enum DemoHistory {
    /// What was written.
    public struct Summary: Sendable, Equatable {
        /// Project folders (encoded working directories).
        public var projects: Int
        /// Main session transcripts (subagent transcripts not counted).
        public var sessions: Int
        /// Every file written: session transcripts, subagent transcripts and their `.meta.json`.
        public var files: Int
        /// Total size of those files.
        public var bytes: Int

        /// Creates a value with these fields.
        public init(projects: Int, sessions: Int, files: Int, bytes: Int) {
            self.projects = projects
            self.sessions = sessions
            self.files = files
            self.bytes = bytes
        }
    }

    /// Writes the history into `projectsDirectory` (a folder shaped like ~/.claude/projects; created if missing), with the newest session ending shortly before `now`. Deterministic for a given `now` (use a small seeded PRNG, e.g. SplitMix64, not SystemRandomNumberGenerator).
    ///
    /// Existing files with the same names are replaced; other files are left alone. Each file's
    /// modification date is set to its last timestamp.
    public static func write(to projectsDirectory: URL, now: Date) throws -> Summary {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: projectsDirectory, withIntermediateDirectories: true)
        var rng = SplitMix64(state: 0x5EED_DE30_A6E7_1065)
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let midnight = floorDiv(nowMs, 86_400_000) * 86_400_000
        var summary = Summary(projects: 0, sessions: 0, files: 0, bytes: 0)
        for project in projects() {
            let folder = projectsDirectory.appendingPathComponent(encodedFolderName(project.cwd), isDirectory: true)
            summary.projects += 1
            for session in project.sessions {
                let sessionId = rng.uuid()
                var start = midnight - Int64(session.daysAgo) * 86_400_000
                    + Int64(session.hour * 60 + session.minute) * 60_000 + Int64(rng.int(0...59_999))
                if session.daysAgo == 0 {
                    // The newest session ends 12–40 minutes before `now`: measure it on a copy first.
                    let gap = Int64(rng.int(12...40) * 60_000 + rng.int(0...59_999))
                    var probe = Recorder(rng: rng, clock: 0, session: session, cwd: project.cwd, sessionId: sessionId)
                    probe.run(session.steps)
                    start = nowMs - gap - probe.clock
                }
                var recorder = Recorder(rng: rng, clock: start, session: session, cwd: project.cwd, sessionId: sessionId)
                recorder.run(session.steps)
                rng = recorder.rng
                let main = OutputFile(path: "\(sessionId).jsonl", text: recorder.text, modified: recorder.clock)
                for file in [main] + recorder.files {
                    let url = folder.appendingPathComponent(file.path)
                    try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    let data = Data(file.text.utf8)
                    try data.write(to: url)
                    let date = Date(timeIntervalSince1970: Double(file.modified) / 1000)
                    try fileManager.setAttributes([.modificationDate: date], ofItemAtPath: url.path)
                    summary.files += 1
                    summary.bytes += data.count
                }
                summary.sessions += 1
            }
        }
        return summary
    }

    /// Claude Code's folder name for a working directory: every character but letters and digits becomes `-`.
    static func encodedFolderName(_ cwd: String) -> String {
        String(cwd.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    /// `2026-11-03T14:05:09.123Z` for milliseconds since 1970 (UTC, proleptic Gregorian).
    static func timestamp(_ ms: Int64) -> String {
        let seconds = floorDiv(ms, 1000)
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        // Civil-from-days (H. Hinnant).
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(Int(ms - seconds * 1000), 3))Z"
    }

    static func version(daysAgo: Int) -> String {
        daysAgo >= 26 ? "2.1.69" : daysAgo >= 20 ? "2.1.72" : daysAgo >= 13 ? "2.1.76" : daysAgo >= 6 ? "2.1.78" : "2.1.81"
    }
}

// MARK: - Script model

extension DemoHistory {
    struct Project: Sendable {
        var cwd: String
        var sessions: [Session]
    }

    struct Session: Sendable {
        var daysAgo: Int
        var hour: Int
        var minute: Int
        var model: String
        var branch: String
        /// Extra context tokens each tool result adds (large files read, long outputs).
        var bulk: Int = 1200
        var steps: [Step]
    }

    enum Step: Sendable {
        case prompt(String)
        /// One API response; written as one line per content block.
        case response(thinking: String?, text: String?, tools: [Tool])
        /// An auto-compaction: boundary line plus summary, then the conversation goes on.
        case compact(String)
        /// A client-written `<synthetic>` error reply.
        case apiError(String)
        /// A prompt typed while Claude works: queued now, delivered after the next final answer.
        case queued(String)
        case title(String)
    }

    struct Tool: Sendable {
        var name: String
        var input: JSON
        var output: String
        var isError = false
        var result: JSON
        var seconds: Double
        var agent: Agent?
    }

    struct Agent: Sendable {
        var description: String
        var prompt: String
        var steps: [Step]
        var report: String
    }

    struct OutputFile: Sendable {
        var path: String
        var text: String
        var modified: Int64
    }
}

// MARK: - JSON with ordered keys

extension DemoHistory {
    /// A JSON value that keeps object keys in the order written, so lines look like Claude Code's
    /// and output bytes do not depend on dictionary hashing.
    enum JSON: Sendable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral,
        ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
        case string(String), int(Int), bool(Bool), null, array([JSON]), object([(String, JSON)])

        init(stringLiteral value: String) { self = .string(value) }
        init(stringInterpolation: DefaultStringInterpolation) { self = .string(String(stringInterpolation: stringInterpolation)) }
        init(integerLiteral value: Int) { self = .int(value) }
        init(booleanLiteral value: Bool) { self = .bool(value) }
        init(arrayLiteral elements: JSON...) { self = .array(elements) }
        init(dictionaryLiteral elements: (String, JSON)...) { self = .object(elements) }
        init(nilLiteral: ()) { self = .null }

        /// The value on one line, as Claude Code writes it.
        var encoded: String { output.text(indent: nil) }

        private var output: JSONOutput {
            switch self {
            case .string(let value): return .string(value)
            case .int(let value): return .int(Int64(value))
            case .bool(let value): return .bool(value)
            case .null: return .null
            case .array(let values): return .array(values.map(\.output))
            case .object(let members): return .object(members.map { ($0.0, $0.1.output) })
            }
        }
    }
}

// MARK: - Random ids

/// The demo's draws from the shared generator.
extension SplitMix64 {
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func hex(_ count: Int) -> String { string(count, from: "0123456789abcdef") }
    mutating func base62(_ count: Int) -> String {
        string(count, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    }

    /// A version-4, variant-1 UUID in lowercase.
    mutating func uuid() -> String {
        let high = (next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        func hex16(_ value: UInt64) -> [Character] {
            let digits = String(value, radix: 16)
            return Array(String(repeating: "0", count: 16 - digits.count) + digits)
        }
        let a = hex16(high), b = hex16(low)
        return String(a[0..<8]) + "-" + String(a[8..<12]) + "-" + String(a[12..<16]) + "-"
            + String(b[0..<4]) + "-" + String(b[4..<16])
    }

    /// An opaque thinking-block signature.
    mutating func signature() -> String {
        "Eq" + string(int(180...520), from: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") + "="
    }
}
