import AgentLogSQLite
import AgentLogDatabase
import AgentLogIngest
import GRDB

/// Changes to `usage_rollup` and `session_usage_rollup` summed over one write transaction,
/// applied at its end: one upsert per (slot, agent, model, tier) and one per (session, slot,
/// model, tier) instead of one per response.
final class RollupDelta {
    /// A row of `usage_rollup`.
    private struct SlotKey: Hashable {
        var slot: Int64
        var agent: String
        var model: String
        var tier: Int
    }

    /// A row of `session_usage_rollup`, with the agent its `usage_rollup` row needs.
    private struct SessionKey: Hashable {
        var session: Int64
        var slot: SlotKey
    }

    private struct Sum {
        var tokens = TokenCounts()
        var responses = 0

        var isZero: Bool { responses == 0 && tokens == TokenCounts() }

        static func += (sum: inout Sum, other: Sum) {
            sum.tokens += other.tokens
            sum.responses += other.responses
        }
    }

    private var sums: [SessionKey: Sum] = [:]

    /// Adds (`responses` 1) or takes off (`responses` -1) one response's counts; `session` is
    /// its session's row id.
    func add(session: Int64, agent: String, model: String, timestamp: Int64?, tokens: TokenCounts, responses: Int) {
        var tier = 0
        for threshold in Schema.longContextThresholds where tokens.promptTokens > threshold { tier += 1 }
        let slot = SlotKey(slot: (timestamp ?? 0) / AgentLogStore.slotLength, agent: agent, model: model, tier: tier)
        let sign = responses < 0 ? -1 : 1
        let signed = TokenCounts(input: sign * tokens.input, output: sign * tokens.output,
                                 cacheCreation: sign * tokens.cacheCreation, cacheCreation1h: sign * tokens.cacheCreation1h,
                                 cacheRead: sign * tokens.cacheRead)
        sums[SessionKey(session: session, slot: slot), default: Sum()] += Sum(tokens: signed, responses: responses)
    }

    /// Writes the sums into both rollups (into `usage_rollup` alone in a database kept at an
    /// earlier schema, as tests build: `v7-session-rollup` then sums the usage it finds).
    func flush(_ statements: StatementCache, _ db: Database) throws {
        var slotSums: [SlotKey: Sum] = [:]
        let bySession = try db.tableExists("session_usage_rollup")
        for (key, sum) in sums where !sum.isZero {
            slotSums[key.slot, default: Sum()] += sum
            guard bySession else { continue }
            try statements.get("""
                INSERT INTO session_usage_rollup (session_id, slot, model, tier, input_tokens, output_tokens, cache_creation_tokens,
                                                  cache_creation_1h_tokens, cache_read_tokens, responses)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (session_id, slot, model, tier) DO UPDATE SET
                    input_tokens = input_tokens + excluded.input_tokens,
                    output_tokens = output_tokens + excluded.output_tokens,
                    cache_creation_tokens = cache_creation_tokens + excluded.cache_creation_tokens,
                    cache_creation_1h_tokens = cache_creation_1h_tokens + excluded.cache_creation_1h_tokens,
                    cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
                    responses = responses + excluded.responses
                """).execute(arguments: [key.session, key.slot.slot, key.slot.model, key.slot.tier] + Self.arguments(sum))
        }
        for (key, sum) in slotSums where !sum.isZero {
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
                """).execute(arguments: [key.slot, key.agent, key.model, key.tier] + Self.arguments(sum))
        }
        sums.removeAll()
    }

    /// The five token sums and the response count, as statement arguments.
    private static func arguments(_ sum: Sum) -> StatementArguments {
        [sum.tokens.input, sum.tokens.output, sum.tokens.cacheCreation, sum.tokens.cacheCreation1h, sum.tokens.cacheRead,
         sum.responses]
    }
}
