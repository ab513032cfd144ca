import AgentLogJSON
import MCP

/// One MCP tool: its name, what it is for, its arguments (their schema and their checks), the
/// schema of the document it answers, and what it does.
struct ToolDefinition: Sendable {
    let name: String
    let title: String
    let description: String
    let arguments: [ToolArgument]
    /// The JSON Schema of the answer (an `agentlog.<thing>.v1` document).
    let output: Value
    /// Whether it writes (coordination); such tools are not offered with `--read-only`.
    let writes: Bool
    /// Runs the tool; a ``ToolError`` becomes an MCP tool error.
    let run: @Sendable (ToolArguments, ToolContext) async throws -> JSONOutput

    /// The `tools/list` entry.
    var tool: Tool {
        let required = arguments.filter(\.required).map { Value.string($0.name) }
        var schema: [String: Value] = [
            "type": "object",
            "properties": .object(Dictionary(uniqueKeysWithValues: arguments.map { ($0.name, $0.schema) })),
            "additionalProperties": false,
        ]
        if !required.isEmpty { schema["required"] = .array(required) }
        return Tool(name: name, title: title, description: description, inputSchema: .object(schema),
                    annotations: .init(title: title, readOnlyHint: !writes, destructiveHint: false, idempotentHint: !writes,
                                       openWorldHint: false),
                    outputSchema: output)
    }
}
