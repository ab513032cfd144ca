import Foundation
import Testing
@testable import AgentLogIngest

@Suite("Timestamps")
struct TimestampTests {
    @Test("parses the forms transcripts use and agrees with Foundation")
    func parses() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for text in ["2025-10-30T12:04:13.121Z", "2026-02-28T23:59:59.999Z", "1999-12-31T00:00:00.000Z"] {
            let expected = Int64((formatter.date(from: text)!.timeIntervalSince1970 * 1000).rounded())
            #expect(Timestamp.milliseconds(fromISO8601: text) == expected)
            #expect(Timestamp.iso8601(milliseconds: expected) == text)
        }
        #expect(Timestamp.milliseconds(fromISO8601: "2025-10-30T12:04:13Z") == Timestamp.milliseconds(fromISO8601: "2025-10-30T12:04:13.000Z"))
        #expect(Timestamp.milliseconds(fromISO8601: "2025-10-30T14:04:13.5+02:00") == Timestamp.milliseconds(fromISO8601: "2025-10-30T12:04:13.500Z"))
    }

    @Test("rejects malformed timestamps", arguments: ["", "2025-10-30", "2025-13-01T00:00:00Z", "2025-10-30T25:00:00Z", "2025-10-30T12:04:13.121X", "yesterday"])
    func rejects(_ text: String) {
        #expect(Timestamp.milliseconds(fromISO8601: text) == nil)
    }
}

@Suite("Prices")
struct PriceTableTests {
    @Test("finds models by exact name, provider prefix and date suffix; unknown models have no price")
    func lookup() {
        let table = PriceTable.builtIn
        #expect(table.price(for: "claude-sonnet-4-5-20250929")?.input == 3_000_000)
        #expect(table.price(for: "anthropic/claude-opus-4-7")?.output == 25_000_000)
        #expect(table.price(for: "claude-opus-4-6-20260205")?.cacheRead == 500_000)
        #expect(table.price(for: "gpt-9-imaginary") == nil)
        #expect(table.price(for: "claude-opus-4-20260101") == nil)  // an unknown dated model is not guessed
    }

    @Test("every Claude model in the corpus has a price")
    func corpusModels() {
        for model in ["claude-haiku-4-5-20251001", "claude-opus-4-20250514", "claude-opus-4-5-20251101", "claude-opus-4-6",
                      "claude-opus-4-7", "claude-sonnet-4-20250514", "claude-sonnet-4-5-20250929", "claude-sonnet-4-6"] {
            #expect(PriceTable.builtIn.price(for: model) != nil, "\(model) has no price")
        }
        #expect(PriceTable.isFree("<synthetic>"))
    }

    @Test("prices every bucket separately and exactly, 1-hour cache writes at their own rate")
    func exactCost() throws {
        let price = try #require(PriceTable.builtIn.price(for: "claude-sonnet-4-5-20250929"))
        let tokens = TokenCounts(input: 1_000_000, output: 1_000_000, cacheCreation: 3_000_000, cacheCreation1h: 1_000_000, cacheRead: 10_000_000)
        // $3 + $15 + 2 × $3.75 + 1 × $6 + 10 × $0.30 = $34.50
        #expect(price.costPicoUSD(tokens, overThreshold: false) == 34_500_000_000_000)
        // Over 200K: $6 + $22.50 + 2 × $7.50 + $12 + 10 × $0.60 = $61.50
        #expect(price.costPicoUSD(tokens, overThreshold: true) == 61_500_000_000_000)
        let small = TokenCounts(input: 1, output: 0, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 1)
        #expect(price.costPicoUSD(small, overThreshold: false) == 3_300_000)
    }

    @Test("money formatting rounds once and groups thousands")
    func money() {
        #expect(Money.micros(fromPico: 1_499_999) == 1)
        #expect(Money.micros(fromPico: 1_500_000) == 2)
        #expect(Money.decimalString(micros: 12_345_678) == "12.345678")
        #expect(Money.decimalString(micros: 5) == "0.000005")
        #expect(Money.dollars(micros: 1_234_567_890) == "$1,234.57")
    }

    @Test("an override file adds and replaces prices; a broken one is named in the error")
    func overrides() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("prices.json")
        try Data(#"{"models": {"my-model": {"input": 2, "output": 8, "cacheRead": 0.2}, "claude-opus-4-7": {"input": 1, "output": 2}}}"#.utf8).write(to: good)
        let table = try PriceTable.loading(overridesAt: good.path)
        #expect(table.price(for: "my-model")?.input == 2_000_000)
        #expect(table.price(for: "my-model")?.cacheWrite5m == 2_500_000)  // 1.25 × input when not given
        #expect(table.price(for: "my-model")?.cacheRead == 200_000)
        #expect(table.price(for: "claude-opus-4-7")?.cacheRead == 100_000)  // 0.1 × input when not given
        #expect(table.price(for: "claude-opus-4-7")?.output == 2_000_000)
        #expect(table.price(for: "claude-sonnet-4-6")?.input == 3_000_000)
        let bad = folder.appendingPathComponent("bad.json")
        try Data("{not json".utf8).write(to: bad)
        #expect { try PriceTable.loading(overridesAt: bad.path) } throws: { "\($0)".contains(bad.path) }
    }
}
