/// The coding agents whose histories agentlog reads.
public enum AgentKind: String, Sendable, Codable, CaseIterable {
    case claude, codex, gemini
}

/// One model response's usage, identified for de-duplication by (message id, request id).
public struct UsageRecord: Sendable, Equatable {
    /// The API message id (`message.id`); empty when the line had none.
    public var messageId: String
    /// The API request id (`requestId`); empty when the line had none.
    public var requestId: String
    /// The model that answered, as the transcript names it; empty when the line had none.
    public var model: String
    /// The tokens the response used.
    public var tokens: TokenCounts

    /// A usage record with the given ids, model and counts.
    public init(messageId: String, requestId: String, model: String, tokens: TokenCounts) {
        self.messageId = messageId
        self.requestId = requestId
        self.model = model
        self.tokens = tokens
    }

}

/// What a tool call did to a file.
public enum FileOperation: String, Sendable, Codable {
    case read, write, edit, multiEdit = "multi_edit", notebookEdit = "notebook_edit", delete
}

/// A file a tool call touched, beyond the one in ``ToolUse/filePath`` (a patch names several).
public struct TouchedFile: Sendable, Equatable {
    /// The path of the file.
    public var path: String
    /// What the call did to the file.
    public var operation: FileOperation

    /// A touched file: `path` and what was done to it.
    public init(path: String, operation: FileOperation) {
        self.path = path
        self.operation = operation
    }
}

/// A tool invocation found in an assistant message.
public struct ToolUse: Sendable, Equatable {
    /// The tool call's id, which its result names as ``ToolResult/toolUseId``.
    public var id: String
    /// The tool's name as the agent calls it (`Read`, `Edit`, `Bash`, `Task`, …).
    public var name: String
    /// The input as JSON text, cut to a preview.
    public var inputPreview: String
    /// Length of the whole input in UTF-8 bytes.
    public var inputLength: Int
    /// The file the call reads or changes, for file tools.
    public var filePath: String?
    /// What the call does to `filePath`; `nil` when there is no file.
    public var fileOperation: FileOperation?
    /// For Task/Agent calls: the subagent type, description and prompt.
    public var subagentType: String?
    /// Task/Agent calls: the description of the subagent's job.
    public var subagentDescription: String?
    /// Task/Agent calls: the prompt given to the subagent, cut to ``PreviewLimits/text``.
    public var subagentPrompt: String?
    /// Further files the call touched (every file of a Codex patch after the first).
    public var otherFiles: [TouchedFile] = []

    /// Every file the call touched.
    public var touchedFiles: [TouchedFile] {
        guard let filePath, let fileOperation else { return otherFiles }
        return [TouchedFile(path: filePath, operation: fileOperation)] + otherFiles
    }

    /// A tool call with the given fields; no other files.
    public init(id: String, name: String, inputPreview: String, inputLength: Int, filePath: String? = nil,
                fileOperation: FileOperation? = nil, subagentType: String? = nil,
                subagentDescription: String? = nil, subagentPrompt: String? = nil) {
        self.id = id
        self.name = name
        self.inputPreview = inputPreview
        self.inputLength = inputLength
        self.filePath = filePath
        self.fileOperation = fileOperation
        self.subagentType = subagentType
        self.subagentDescription = subagentDescription
        self.subagentPrompt = subagentPrompt
    }
}

/// The result of a tool invocation, found in a later user message.
public struct ToolResult: Sendable, Equatable {
    /// The id of the tool call this is the result of.
    public var toolUseId: String
    /// Whether the tool call failed.
    public var isError: Bool
    /// The start of the output, cut to ``PreviewLimits/tool``.
    public var outputPreview: String
    /// Length of the whole output in UTF-8 bytes (the full text lives only in the raw archive).
    public var outputLength: Int

    /// A result with the given fields.
    public init(toolUseId: String, isError: Bool, outputPreview: String, outputLength: Int) {
        self.toolUseId = toolUseId
        self.isError = isError
        self.outputPreview = outputPreview
        self.outputLength = outputLength
    }
}

/// The role of a transcript message.
public enum MessageRole: String, Sendable, Codable {
    case user, assistant, system
}

/// Limits on how much text a record keeps; the rest stays in the raw archive.
public enum PreviewLimits {
    /// Prompts, replies and system text.
    public static let text = 32 * 1024
    /// Thinking text.
    public static let thinking = 16 * 1024
    /// Tool inputs and outputs.
    public static let tool = 1024
}
