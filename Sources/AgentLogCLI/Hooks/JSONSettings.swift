import AgentLogJSON
import Foundation

/// A JSON settings file — Claude Code's settings.json, ~/.claude.json and .mcp.json, Gemini
/// CLI's settings.json — read and written with its keys in their order, so that adding or
/// removing agentlog's hooks or MCP server changes nothing else in it (the formatting becomes
/// two-space indented JSON, as Claude Code writes it).
package struct JSONSettings {
    package var root: [(String, JSONOutput)]

    /// The hook events agentlog registers; tool events get the matcher `*`.
    static let events = ["SessionStart", "SessionEnd", "UserPromptSubmit", "PreToolUse", "PostToolUse", "PostToolUseFailure",
                         "PermissionRequest", "Notification", "Stop", "SubagentStart", "SubagentStop", "PreCompact"]
    static let toolEvents: Set<String> = ["PreToolUse", "PostToolUse", "PostToolUseFailure", "PermissionRequest"]

    package init(root: [(String, JSONOutput)] = []) { self.root = root }

    /// Parses a settings file; an empty file is empty settings.
    package init(bytes: [UInt8], path: String) throws {
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            self.init()
            return
        }
        let value: JSONOutput = try bytes.withUnsafeBytes { raw in
            let json = JSONScanner(raw)
            var members: [JSONScanner.Member] = []
            do {
                try json.scanObject(into: &members)
            } catch {
                throw CLIError("\(path) is not a JSON object (\(error)); fix it or move it away first.")
            }
            let start = bytes.firstIndex { $0 == UInt8(ascii: "{") } ?? 0
            let end = (bytes.lastIndex { $0 == UInt8(ascii: "}") } ?? bytes.count - 1) + 1
            return Self.value(json, JSONSpan(start: start, end: end, kind: .object))
        }
        guard case .object(let members) = value else { throw CLIError("\(path) is not a JSON object.") }
        self.init(root: members)
    }

    private static func value(_ json: JSONScanner, _ span: JSONSpan) -> JSONOutput {
        switch span.kind {
        case .object:
            var members: [JSONScanner.Member] = []
            json.members(of: span, into: &members)
            return .object(members.map { (json.string($0.key) ?? "", value(json, $0.value)) })
        case .array:
            var elements: [JSONSpan] = []
            json.elements(of: span, into: &elements)
            return .array(elements.map { value(json, $0) })
        case .string: return .string(json.string(span) ?? "")
        case .number: return .number(json.raw(span))
        case .bool: return .bool(json.bool(span) ?? false)
        case .null: return .null
        }
    }

    var text: String { JSONOutput.object(root).text() + "\n" }

    /// Whether a hook entry's command is one of agentlog's.
    static func isOurs(_ command: String) -> Bool { isOurs(command, executable: "agentlog-hook", subcommand: "hook") }

    /// Whether `command` runs agentlog's `executable`, or `agentlog` with `subcommand`.
    static func isOurs(_ command: String, executable: String, subcommand: String) -> Bool {
        let program: String
        if command.hasPrefix("'") {
            program = String(command.dropFirst().prefix { $0 != "'" })
        } else {
            program = command.split(separator: " ").first.map(String.init) ?? ""
        }
        return program.hasSuffix("/" + executable) || program == executable
            || ((program.hasSuffix("/agentlog") || program == "agentlog") && command.contains(" " + subcommand))
    }

    /// Adds `command` for every event agentlog handles, replacing an older agentlog entry in
    /// place and leaving every other hook as it is.
    mutating func install(command: String) {
        var hooks = objectMembers(root.first { $0.0 == "hooks" }?.1)
        for event in Self.events {
            var groups = arrayElements(hooks.first { $0.0 == event }?.1)
            var placed = false
            groups = groups.compactMap { group -> JSONOutput? in
                var members = objectMembers(group)
                var entries = arrayElements(members.first { $0.0 == "hooks" }?.1)
                entries = entries.compactMap { entry in
                    guard Self.isOurs(Self.command(of: entry)) else { return entry }
                    if placed { return nil }  // a duplicate of ours
                    placed = true
                    return Self.entry(command)
                }
                if entries.isEmpty { return nil }
                set(&members, "hooks", .array(entries))
                return .object(members)
            }
            if !placed {
                var group: [(String, JSONOutput)] = []
                if Self.toolEvents.contains(event) { group.append(("matcher", .string("*"))) }
                group.append(("hooks", .array([Self.entry(command)])))
                groups.append(.object(group))
            }
            set(&hooks, event, .array(groups))
        }
        set(&root, "hooks", .object(hooks))
    }

    /// Removes agentlog's entries, and the groups and events they leave empty.
    mutating func uninstall() {
        guard let index = root.firstIndex(where: { $0.0 == "hooks" }) else { return }
        var hooks = objectMembers(root[index].1)
        hooks = hooks.compactMap { event, value in
            guard case .array(let groups) = value else { return (event, value) }
            let kept: [JSONOutput] = groups.compactMap { group in
                var members = objectMembers(group)
                guard let entriesIndex = members.firstIndex(where: { $0.0 == "hooks" }),
                      case .array(let entries) = members[entriesIndex].1 else { return group }
                let others = entries.filter { !Self.isOurs(Self.command(of: $0)) }
                if others.isEmpty { return nil }
                members[entriesIndex].1 = .array(others)
                return .object(members)
            }
            return kept.isEmpty ? nil : (event, .array(kept))
        }
        if hooks.isEmpty { root.remove(at: index) } else { root[index].1 = .object(hooks) }
    }

    /// The commands registered for `event`.
    func commands(for event: String) -> [String] {
        let hooks = objectMembers(root.first { $0.0 == "hooks" }?.1)
        return arrayElements(hooks.first { $0.0 == event }?.1).flatMap { group in
            arrayElements(objectMembers(group).first { $0.0 == "hooks" }?.1).map(Self.command(of:))
        }
    }

    private static func entry(_ command: String) -> JSONOutput {
        .object([("type", .string("command")), ("command", .string(command))])
    }

    private static func command(of entry: JSONOutput) -> String {
        guard case .object(let members) = entry, case .string(let command)? = members.first(where: { $0.0 == "command" })?.1 else { return "" }
        return command
    }

    func objectMembers(_ value: JSONOutput?) -> [(String, JSONOutput)] {
        if case .object(let members)? = value { return members }
        return []
    }

    private func arrayElements(_ value: JSONOutput?) -> [JSONOutput] {
        if case .array(let elements)? = value { return elements }
        return []
    }

    func set(_ members: inout [(String, JSONOutput)], _ key: String, _ value: JSONOutput) {
        if let index = members.firstIndex(where: { $0.0 == key }) { members[index].1 = value } else { members.append((key, value)) }
    }
}
