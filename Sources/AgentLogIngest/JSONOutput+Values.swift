import AgentLogJSON

/// How times and money appear in every JSON output.
extension JSONOutput {
    /// An ISO-8601 time, or null.
    public static func time(_ milliseconds: Int64?) -> JSONOutput {
        milliseconds.map { .string(Timestamp.iso8601(milliseconds: $0)) } ?? .null
    }
    /// Micro-dollars as a decimal number of dollars.
    public static func usd(micros: Int64) -> JSONOutput { .number(Money.decimalString(micros: micros)) }

    /// A cost, or null when none of it could be priced (unknown models): never a silent zero.
    public static func cost(pico: Int64, fullyPriced: Bool) -> JSONOutput {
        !fullyPriced && pico == 0 ? .null : .usd(micros: Money.micros(fromPico: pico))
    }
}
