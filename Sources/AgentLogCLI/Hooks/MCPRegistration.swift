import Foundation
import AgentLogJSON

/// agentlog's MCP server entry in each agent's configuration: `mcpServers.agentlog` in the JSON
/// files of Claude Code and Gemini CLI, `[mcp_servers.agentlog]` in Codex's config.toml. Other
/// entries and settings are kept as they are.
enum MCPRegistration {
    /// The entry's name.
    static let name = "agentlog"

    /// Claude Code's entry (as `claude mcp add` writes it).
    static func claudeEntry(command: String, arguments: [String]) -> JSONOutput {
        .object([("type", .string("stdio")), ("command", .string(command)), ("args", .array(arguments.map { .string($0) })),
                 ("env", .object([]))])
    }

    /// Gemini CLI's entry.
    static func geminiEntry(command: String, arguments: [String]) -> JSONOutput {
        .object([("command", .string(command)), ("args", .array(arguments.map { .string($0) }))])
    }

    /// Codex's config.toml with agentlog's table set to `command` and `arguments` (added at the
    /// end when there is none; replaced, with its sub-tables, where it is).
    static func codexConfig(_ text: String?, command: String?, arguments: [String] = []) -> String {
        var lines = (text ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var kept: [String] = []
        var insideOurs = false
        var insertAt: Int?
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                let header = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).replacingOccurrences(of: "\"", with: "")
                insideOurs = header == "mcp_servers.\(name)" || header.hasPrefix("mcp_servers.\(name).")
                if insideOurs, insertAt == nil { insertAt = kept.count }
            }
            if !insideOurs { kept.append(line) }
        }
        if let command {
            let table = ["[mcp_servers.\(name)]", "command = \(quoted(command))",
                         "args = [\(arguments.map(quoted).joined(separator: ", "))]"]
            if let insertAt {
                kept.insert(contentsOf: table + (insertAt < kept.count ? [""] : []), at: insertAt)
            } else {
                if let last = kept.last, !last.trimmingCharacters(in: .whitespaces).isEmpty { kept.append("") }
                kept += table
            }
        }
        while kept.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { kept.removeLast() }
        return kept.isEmpty ? "" : kept.joined(separator: "\n") + "\n"
    }

    /// A TOML basic string.
    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += String(format: "\\u%04X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

extension JSONSettings {
    /// Sets `mcpServers.<name>` to `entry`, keeping the other servers; nil removes it (and
    /// `mcpServers` when nothing else is in it).
    mutating func setMCPServer(_ name: String, _ entry: JSONOutput?) {
        var servers = objectMembers(root.first { $0.0 == "mcpServers" }?.1)
        if let entry {
            set(&servers, name, entry)
        } else {
            guard root.contains(where: { $0.0 == "mcpServers" }) else { return }
            servers.removeAll { $0.0 == name }
        }
        if servers.isEmpty { root.removeAll { $0.0 == "mcpServers" } } else { set(&root, "mcpServers", .object(servers)) }
    }
}
