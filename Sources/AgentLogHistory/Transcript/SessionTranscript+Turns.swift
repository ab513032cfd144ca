import AgentLogDatabase
import AgentLogIngest

/// A turn: a prompt and everything up to the next one, with what it cost.
public struct TranscriptTurn: Sendable, Equatable {
    /// 1 for the first prompt; 0 for what came before it, if anything did.
    public var index: Int
    /// The main conversation's entries of this turn (subagents nested inside).
    public var entries: ArraySlice<TranscriptEntry>
    /// When the turn's first timed entry happened, ms since 1970.
    public var startedAt: Int64?
    /// Responses whose time falls in this turn.
    public var tokens = TokenCounts()
    /// Cost of this turn's priced responses, in pico-dollars.
    public var costPico: Int64 = 0
    /// Everything up to the end of this turn.
    public var cumulativeTokens = TokenCounts()
    /// Cost of every priced response up to the end of this turn, in pico-dollars.
    public var cumulativeCostPico: Int64 = 0
    /// Models without a price used so far (their cost is missing from the sums).
    public var unpricedModels: [String] = []

    /// The prompt that opened the turn.
    public var prompt: TranscriptMessage? {
        if case .message(let message) = entries.first, message.kind == .prompt { return message }
        return nil
    }

    /// Whether anything in the turn failed.
    public var hasError: Bool { entries.contains(where: \.hasError) }
}

extension SessionTranscript {
    /// The main conversation cut at each prompt, each turn with the tokens and cost of the
    /// responses made during it and the running totals. The last turn's running totals are the
    /// session's totals.
    public func turns() -> [TranscriptTurn] {
        let entries = main.entries
        guard !entries.isEmpty else { return [] }
        var starts: [Int] = []
        for (index, entry) in entries.enumerated() {
            if case .message(let message) = entry, message.kind == .prompt { starts.append(index) }
        }
        let hasPreamble = starts.first != 0
        if hasPreamble { starts.insert(0, at: 0) }
        var turns: [TranscriptTurn] = starts.enumerated().map { position, start in
            let end = position + 1 < starts.count ? starts[position + 1] : entries.count
            let slice = entries[start..<end]
            return TranscriptTurn(index: hasPreamble ? position : position + 1, entries: slice,
                                  startedAt: slice.lazy.compactMap(\.timestamp).first)
        }
        // Each response goes to the last turn that started at or before it; responses without a
        // time or before the first turn go to the first.
        var turn = 0
        for response in usage.sorted(by: { ($0.timestamp ?? .min) < ($1.timestamp ?? .min) }) {
            while turn + 1 < turns.count, let next = turns[turn + 1].startedAt, let time = response.timestamp, time >= next {
                turn += 1
            }
            turns[turn].tokens += response.tokens
            if let cost = response.costPico {
                turns[turn].costPico += cost
            } else if !turns[turn].unpricedModels.contains(response.model) {
                turns[turn].unpricedModels.append(response.model)
            }
        }
        var tokens = TokenCounts()
        var cost: Int64 = 0
        var unpriced: [String] = []
        for index in turns.indices {
            tokens += turns[index].tokens
            cost += turns[index].costPico
            unpriced += turns[index].unpricedModels.filter { !unpriced.contains($0) }
            turns[index].cumulativeTokens = tokens
            turns[index].cumulativeCostPico = cost
            turns[index].unpricedModels = unpriced
        }
        return turns
    }
}
