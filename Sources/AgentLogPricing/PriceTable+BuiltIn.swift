extension PriceTable {
    /// List prices as of late 2026, USD per million tokens, standard (non-batch) tier.
    ///
    /// Sources, by the keys used in the comments:
    /// - A-PRICE: Anthropic pricing page, https://platform.claude.com/docs/en/about-claude/pricing
    ///   (input, 5-minute and 1-hour cache writes, cache hits, output; read late 2026).
    /// - A-OLD: the earlier page https://docs.anthropic.com/en/docs/about-claude/pricing (Sonnet 3.7,
    ///   Haiku 3.5, and the ">200K input tokens" table of the Sonnet 4/4.5 1M-context beta).
    /// - LITELLM: BerriAI/litellm model_prices_and_context_window.json at commit 00035b69f416.
    /// - O-MODEL: OpenAI model pages https://developers.openai.com/api/docs/models/ (gpt-5-codex,
    ///   gpt-5.4 long-context rule); GH-COPILOT: github/docs copilot models-and-pricing table.
    /// - G-QUOTE: Google's Gemini API pricing (https://ai.google.dev/gemini-api/docs/pricing) as
    ///   quoted by third-party pages, plus LITELLM.
    ///
    /// Anthropic long context: Sonnet 4 and 4.5 billed a whole request over 200K prompt tokens at
    /// the higher rates (1M beta, retired 2026-04-30). Opus/Sonnet 4.6 and later are flat.
    /// OpenAI and Google cache writes are free, so both write prices equal the input price only
    /// where the provider bills writes; here they are set to the input price because those
    /// agents report no separate write count (their cache-write buckets are always 0).
    public static let builtIn = PriceTable(models: [
        // Anthropic (A-PRICE, LITELLM)
        "claude-opus-4-7": .usd(5, 25, write5m: 6.25, write1h: 10, read: 0.50),
        "claude-opus-4-6": .usd(5, 25, write5m: 6.25, write1h: 10, read: 0.50),
        "claude-sonnet-4-6": .usd(3, 15, write5m: 3.75, write1h: 6, read: 0.30),
        "claude-opus-4-5-20251101": .usd(5, 25, write5m: 6.25, write1h: 10, read: 0.50),
        "claude-haiku-4-5-20251001": .usd(1, 5, write5m: 1.25, write1h: 2, read: 0.10),
        // A-PRICE, A-OLD (long-context table), LITELLM
        "claude-sonnet-4-5-20250929": .usd(3, 15, write5m: 3.75, write1h: 6, read: 0.30,
                                           long: .usd(over: 200_000, 6, 22.5, write5m: 7.5, write1h: 12, read: 0.60)),
        // A-PRICE, A-OLD, LITELLM; the 1-hour long-context write (12.00) is 2 × the 6.00 long input
        // rate, following Anthropic's cache multipliers (litellm has no figure for it).
        "claude-sonnet-4-20250514": .usd(3, 15, write5m: 3.75, write1h: 6, read: 0.30,
                                         long: .usd(over: 200_000, 6, 22.5, write5m: 7.5, write1h: 12, read: 0.60)),
        "claude-opus-4-1-20250805": .usd(15, 75, write5m: 18.75, write1h: 30, read: 1.50),
        "claude-opus-4-20250514": .usd(15, 75, write5m: 18.75, write1h: 30, read: 1.50),
        // A-OLD, LITELLM
        "claude-3-7-sonnet-20250219": .usd(3, 15, write5m: 3.75, write1h: 6, read: 0.30),
        // A-OLD only (no first-party litellm entry)
        "claude-3-5-haiku-20241022": .usd(0.80, 4, write5m: 1, write1h: 1.60, read: 0.08),
        // Aliases litellm prices the same way
        "claude-opus-4-1": .usd(15, 75, write5m: 18.75, write1h: 30, read: 1.50),
        "claude-sonnet-4-5": .usd(3, 15, write5m: 3.75, write1h: 6, read: 0.30,
                                  long: .usd(over: 200_000, 6, 22.5, write5m: 7.5, write1h: 12, read: 0.60)),
        "claude-haiku-4-5": .usd(1, 5, write5m: 1.25, write1h: 2, read: 0.10),
        "claude-opus-4-5": .usd(5, 25, write5m: 6.25, write1h: 10, read: 0.50),

        // OpenAI, Codex CLI models (LITELLM, O-MODEL, GH-COPILOT); cached input is the read rate.
        "gpt-5": .usd(1.25, 10, write5m: 1.25, write1h: 1.25, read: 0.125),
        "gpt-5-codex": .usd(1.25, 10, write5m: 1.25, write1h: 1.25, read: 0.125),
        "gpt-5.1-codex": .usd(1.25, 10, write5m: 1.25, write1h: 1.25, read: 0.125),
        "gpt-5.1-codex-max": .usd(1.25, 10, write5m: 1.25, write1h: 1.25, read: 0.125),
        "gpt-5.1-codex-mini": .usd(0.25, 2, write5m: 0.25, write1h: 0.25, read: 0.025),
        "gpt-5.2": .usd(1.75, 14, write5m: 1.75, write1h: 1.75, read: 0.175),
        "gpt-5.2-codex": .usd(1.75, 14, write5m: 1.75, write1h: 1.75, read: 0.175),
        "gpt-5.3-codex": .usd(1.75, 14, write5m: 1.75, write1h: 1.75, read: 0.175),
        // O-MODEL rule: over 272K input the whole request is 2× input (cached too, per litellm), 1.5× output.
        "gpt-5.4": .usd(2.50, 15, write5m: 2.50, write1h: 2.50, read: 0.25,
                        long: .usd(over: 272_000, 5, 22.5, write5m: 5, write1h: 5, read: 0.50)),
        "gpt-5.5": .usd(5, 30, write5m: 5, write1h: 5, read: 0.50,
                        long: .usd(over: 272_000, 10, 45, write5m: 10, write1h: 10, read: 1)),

        // Google Gemini (G-QUOTE, LITELLM): over 200K prompt tokens the Pro models bill the whole
        // request at the higher rates. Thinking tokens are billed as output.
        "gemini-2.5-pro": .usd(1.25, 10, write5m: 1.25, write1h: 1.25, read: 0.125,
                               long: .usd(over: 200_000, 2.50, 15, write5m: 2.50, write1h: 2.50, read: 0.25)),
        "gemini-2.5-flash": .usd(0.30, 2.50, write5m: 0.30, write1h: 0.30, read: 0.03),
        "gemini-3-pro-preview": .usd(2, 12, write5m: 2, write1h: 2, read: 0.20,
                                     long: .usd(over: 200_000, 4, 18, write5m: 4, write1h: 4, read: 0.40)),
        "gemini-3-flash-preview": .usd(0.50, 3, write5m: 0.50, write1h: 0.50, read: 0.05),
        "gemini-3.1-pro-preview": .usd(2, 12, write5m: 2, write1h: 2, read: 0.20,
                                       long: .usd(over: 200_000, 4, 18, write5m: 4, write1h: 4, read: 0.40)),
    ])
}
