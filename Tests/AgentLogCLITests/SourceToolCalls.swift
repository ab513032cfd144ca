import AgentLogTestSupport
import Foundation

/// The tool calls in the corpus's source files, by session id, read independently of agentlog's
/// parsers (with Foundation's JSONSerialization): Claude `tool_use` and `tool_result` blocks,
/// Codex `function_call`/`custom_tool_call`/`local_shell_call`/`web_search_call` items and
/// their outputs, Gemini `toolCalls` entries. A result whose call line is missing still counts.
enum SourceToolCalls {
    static func inCorpus() throws -> [String: Set<String>] {
        var calls: [String: Set<String>] = [:]
        for url in try files(under: Corpus.claude, ending: ".jsonl") {
            for line in try lines(url) {
                guard let session = line["sessionId"] as? String,
                      let content = (line["message"] as? [String: Any])?["content"] as? [[String: Any]] else { continue }
                for block in content {
                    // A result is a call too, even when the line with the call is missing.
                    let id = block["type"] as? String == "tool_use" ? block["id"]
                        : block["type"] as? String == "tool_result" ? block["tool_use_id"] : nil
                    if let id = id as? String { calls[session, default: []].insert(id) }
                }
            }
        }
        for url in try files(under: Corpus.root.appendingPathComponent("codex"), ending: ".jsonl") {
            var session: String?
            for line in try lines(url) {
                let payload = line["payload"] as? [String: Any] ?? [:]
                if line["type"] as? String == "session_meta" { session = payload["id"] as? String }
                guard line["type"] as? String == "response_item", let session, let kind = payload["type"] as? String else { continue }
                if kind.hasSuffix("_call_output"), let id = payload["call_id"] as? String {
                    calls[session, default: []].insert(id)
                }
                guard ["function_call", "custom_tool_call", "local_shell_call", "web_search_call"].contains(kind) else { continue }
                calls[session, default: []].insert(payload["call_id"] as? String ?? "\(kind)-\(calls[session]?.count ?? 0)")
            }
        }
        for url in try files(under: Corpus.root.appendingPathComponent("gemini"), ending: "") {
            let messages: [[String: Any]]
            let session: String?
            if url.pathExtension == "jsonl" {
                let all = try lines(url)
                session = all.first?["sessionId"] as? String
                messages = all
            } else {
                let document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
                session = document["sessionId"] as? String
                messages = document["messages"] as? [[String: Any]] ?? []
            }
            guard let session else { continue }
            for message in messages {
                for call in message["toolCalls"] as? [[String: Any]] ?? [] {
                    if let id = call["id"] as? String { calls[session, default: []].insert(id) }
                }
            }
        }
        return calls
    }

    private static func files(under folder: URL, ending suffix: String) throws -> [URL] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        var urls: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.lastPathComponent.hasSuffix(suffix), (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
                urls.append(url)
            }
        }
        return urls
    }

    /// The JSON objects of a JSON Lines file; lines that are not objects are skipped.
    private static func lines(_ url: URL) throws -> [[String: Any]] {
        try Data(contentsOf: url).split(separator: UInt8(ascii: "\n")).compactMap {
            try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
        }
    }
}
