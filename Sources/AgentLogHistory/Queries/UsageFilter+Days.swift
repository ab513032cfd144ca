import AgentLogIngest
import Foundation

extension UsageFilter {
    /// Milliseconds since 1970 at the start of the day `text` names (`YYYY-MM-DD` or `YYYYMMDD`),
    /// plus `dayOffset` days, in `zone`; `nil` when `text` is not such a date. The CLI's and the
    /// API's `since` and `until` both mean this.
    public static func dayStart(_ text: String, zone: TimeZone, dayOffset: Int = 0) -> Int64? {
        let digits = text.filter(\.isNumber)
        let shaped = text.count == 10 && text.filter({ $0 == "-" }).count == 2 || text.count == 8
        guard shaped, digits.count == 8, let year = Int(digits.prefix(4)), let month = Int(digits.dropFirst(4).prefix(2)),
              let day = Int(digits.suffix(2)), (1...12).contains(month), (1...31).contains(day) else {
            return nil
        }
        // A day the month does not have (2026-02-30) is no date, not 2 March.
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        let civil = Timestamp.civilFromDays(days)
        guard civil.month == month, civil.day == day else { return nil }
        let local = Int64(days + dayOffset) * 86_400_000
        let guess = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local) / 1000))) * 1000
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - guess) / 1000))) * 1000
        return local - offset
    }
}
