/// The coding agents whose histories agentlog reads.
public enum AgentKind: String, Sendable, Codable, CaseIterable {
    case claude, codex, gemini
}

/// Token counts of one model response, in disjoint buckets that add up across agents.
///
/// `input` never includes cached tokens; `cacheCreation` is the total written to the cache, of
/// which `cacheCreation1h` were written with the one-hour lifetime (the rest used five minutes).
public struct TokenCounts: Sendable, Equatable, Hashable {
    public var input: Int
    public var output: Int
    public var cacheCreation: Int
    public var cacheCreation1h: Int
    public var cacheRead: Int

    public init(input: Int = 0, output: Int = 0, cacheCreation: Int = 0, cacheCreation1h: Int = 0, cacheRead: Int = 0) {
        self.input = input
        self.output = output
        self.cacheCreation = cacheCreation
        self.cacheCreation1h = cacheCreation1h
        self.cacheRead = cacheRead
    }

    /// Tokens written to the cache with the five-minute lifetime.
    public var cacheCreation5m: Int { max(0, cacheCreation - cacheCreation1h) }
    /// All four buckets added up.
    public var total: Int { input + output + cacheCreation + cacheRead }
    /// The prompt size that decides long-context pricing: input, cache writes and cache reads.
    public var promptTokens: Int { input + cacheCreation + cacheRead }

    public static func + (lhs: TokenCounts, rhs: TokenCounts) -> TokenCounts {
        TokenCounts(input: lhs.input + rhs.input, output: lhs.output + rhs.output,
                    cacheCreation: lhs.cacheCreation + rhs.cacheCreation,
                    cacheCreation1h: lhs.cacheCreation1h + rhs.cacheCreation1h,
                    cacheRead: lhs.cacheRead + rhs.cacheRead)
    }

    public static func += (lhs: inout TokenCounts, rhs: TokenCounts) { lhs = lhs + rhs }
}

/// One model response's usage, identified for de-duplication by (message id, request id).
public struct UsageRecord: Sendable, Equatable {
    /// The API message id (`message.id`); empty when the line had none.
    public var messageId: String
    /// The API request id (`requestId`); empty when the line had none.
    public var requestId: String
    public var model: String
    public var tokens: TokenCounts

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
    public var path: String
    public var operation: FileOperation

    public init(path: String, operation: FileOperation) {
        self.path = path
        self.operation = operation
    }
}

/// A tool invocation found in an assistant message.
public struct ToolUse: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The input as JSON text, cut to a preview.
    public var inputPreview: String
    public var inputLength: Int
    /// The file the call reads or changes, for file tools.
    public var filePath: String?
    public var fileOperation: FileOperation?
    /// For Task/Agent calls: the subagent type, description and prompt.
    public var subagentType: String?
    public var subagentDescription: String?
    public var subagentPrompt: String?
    /// Further files the call touched (every file of a Codex patch after the first).
    public var otherFiles: [TouchedFile] = []

    /// Every file the call touched.
    public var touchedFiles: [TouchedFile] {
        guard let filePath, let fileOperation else { return otherFiles }
        return [TouchedFile(path: filePath, operation: fileOperation)] + otherFiles
    }

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
    public var toolUseId: String
    public var isError: Bool
    public var outputPreview: String
    /// Length of the whole output in UTF-8 bytes (the full text lives only in the raw archive).
    public var outputLength: Int

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
