import AgentLogSQLite
import AgentLogDatabase
import AgentLogIngest
import GRDB

/// Changes to `usage_rollup` summed over one write transaction, applied at its end: one upsert
/// per (slot, agent, model, tier) instead of one per response.
final class RollupDelta {
    private struct Key: Hashable {
        var slot: Int64
        var agent: String
        var model: String
        var tier: Int
    }

    private var sums: [Key: (tokens: TokenCounts, responses: Int)] = [:]

    /// Adds (`responses` 1) or takes off (`responses` -1) one response's counts.
    func add(agent: String, model: String, timestamp: Int64?, tokens: TokenCounts, responses: Int) {
        let prompt = tokens.promptTokens
        var tier = 0
        for threshold in Schema.longContextThresholds where prompt > threshold { tier += 1 }
        let key = Key(slot: (timestamp ?? 0) / AgentLogStore.slotLength, agent: agent, model: model, tier: tier)
        var sum = sums[key] ?? (TokenCounts(), 0)
        let sign = responses < 0 ? -1 : 1
        sum.tokens += TokenCounts(input: sign * tokens.input, output: sign * tokens.output,
                                  cacheCreation: sign * tokens.cacheCreation, cacheCreation1h: sign * tokens.cacheCreation1h,
                                  cacheRead: sign * tokens.cacheRead)
        sum.responses += responses
        sums[key] = sum
    }

    /// Writes the sums into `usage_rollup`.
    func flush(_ statements: StatementCache) throws {
        for (key, sum) in sums where sum.responses != 0 || sum.tokens != TokenCounts() {
            try statements.get("""
                INSERT INTO usage_rollup (slot, agent, model, tier, input_tokens, output_tokens, cache_creation_tokens,
                                          cache_creation_1h_tokens, cache_read_tokens, responses)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (slot, agent, model, tier) DO UPDATE SET
                    input_tokens = input_tokens + excluded.input_tokens,
                    output_tokens = output_tokens + excluded.output_tokens,
                    cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens,
                    cache_creation_1h_tokens = cache_creation_1h_tokens + excluded.cache_creation_1h_tokens,
                    cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
                    responses = responses + excluded.responses
                """).execute(arguments: [key.slot, key.agent, key.model, key.tier, sum.tokens.input, sum.tokens.output,
                                         sum.tokens.cacheCreation, sum.tokens.cacheCreation1h, sum.tokens.cacheRead,
                                         sum.responses])
        }
        sums.removeAll()
    }
}
