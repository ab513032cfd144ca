import AgentLogIngest
import AgentLogRedaction

/// A secret masked in a batch before it was stored, and where it was.
package struct MaskedSecret: Sendable, Equatable {
    /// `table.column`: `messages.text`, `tool_calls.input_preview`, `sessions.title`, ….
    package var location: String
    /// The agent's session id.
    package var session: String
    /// The message uuid or tool_use id ('' for a session's own fields).
    package var item: String
    /// What was found (offsets in the text as it was).
    package var finding: SecretFinding
}

extension IngestItem {
    /// Masks every secret in the batch's searchable text — messages and thinking, tool-call
    /// input and output previews, session titles, first prompts and summaries — and keeps where
    /// each was in ``secrets``. The raw archive keeps the bytes as they were: it is never searched.
    package mutating func redactSecrets() {
        var found: [MaskedSecret] = []
        func mask(_ text: inout String, _ location: String, _ session: String, _ item: String) {
            let (masked, findings) = Redactor.redact(text)
            guard !findings.isEmpty else { return }
            text = masked
            found += findings.map { MaskedSecret(location: location, session: session, item: item, finding: $0) }
        }
        for index in batch.messages.indices {
            let session = batch.messages[index].sessionId, uuid = batch.messages[index].entry.uuid
            mask(&batch.messages[index].entry.text, "messages.text", session, uuid)
            mask(&batch.messages[index].entry.thinking, "messages.thinking", session, uuid)
        }
        for index in batch.toolCalls.indices {
            let session = batch.toolCalls[index].sessionId, id = batch.toolCalls[index].use.id
            mask(&batch.toolCalls[index].use.inputPreview, "tool_calls.input_preview", session, id)
            if batch.toolCalls[index].result != nil {
                mask(&batch.toolCalls[index].result!.outputPreview, "tool_calls.output_preview", session, id)
            }
        }
        for index in batch.toolResults.indices {
            let result = batch.toolResults[index]
            mask(&batch.toolResults[index].result.outputPreview, "tool_calls.output_preview", result.sessionId, result.result.toolUseId)
        }
        batch.rewriteSessionFacts { session, facts in
            if var title = facts.title { mask(&title, "sessions.title", session, ""); facts.title = title }
            if var prompt = facts.firstPrompt { mask(&prompt, "sessions.first_prompt", session, ""); facts.firstPrompt = prompt }
        }
        for index in batch.summaries.indices {
            mask(&batch.summaries[index].summary, "summaries.summary", "", batch.summaries[index].leafUuid)
        }
        secrets = found
    }
}
