import AgentLogIngest
import Foundation

/// How the dashboard writes numbers, money and times: short, exact where it matters, in the
/// server's time zone.
struct Format: Sendable {
    let timeZone: TimeZone

    /// Dollars from pico-dollars: cents from $1, four decimals below that.
    static func money(pico: Int64) -> String {
        let dollars = Double(pico) / 1e12
        if dollars == 0 { return "$0" }
        if dollars >= 1_000 { return "$" + grouped(Int(dollars.rounded())) }
        if dollars >= 1 { return String(format: "$%.2f", dollars) }
        // Below a dollar: up to four decimals, trailing zeros dropped down to cents ($0.50, $0.0387).
        var text = String(format: "%.4f", dollars)
        while text.hasSuffix("0"), text.count > 4 { text.removeLast() }
        return "$" + text
    }

    /// `1.2M`, `45.3k`, `812`.
    static func tokens(_ count: Int) -> String {
        switch count {
        case 1_000_000_000...: String(format: "%.2fB", Double(count) / 1e9)
        case 1_000_000...: String(format: "%.1fM", Double(count) / 1e6)
        case 10_000...: String(format: "%.0fk", Double(count) / 1e3)
        case 1_000...: String(format: "%.1fk", Double(count) / 1e3)
        default: String(count)
        }
    }

    /// `12,345`.
    static func grouped(_ value: Int) -> String { Money.groupThousands(Int64(value)) }

    /// `812 B`, `45 kB`, `1.2 MB`, `3.4 GB`.
    static func bytes(_ count: Int64) -> String {
        switch count {
        case 1_000_000_000...: String(format: "%.1f GB", Double(count) / 1e9)
        case 10_000_000...: "\(count / 1_000_000) MB"
        case 1_000_000...: String(format: "%.1f MB", Double(count) / 1e6)
        case 1_000...: "\(count / 1_000) kB"
        default: "\(count) B"
        }
    }

    /// `4 s`, `12 min`, `3 h 5 min`.
    static func duration(ms: Int64?) -> String {
        guard let ms, ms >= 0 else { return "" }
        let seconds = ms / 1000
        if seconds < 60 { return "\(seconds) s" }
        if seconds < 3600 { return "\(seconds / 60) min" }
        let minutes = (seconds % 3600) / 60
        return "\(seconds / 3600) h" + (minutes > 0 ? " \(minutes) min" : "")
    }

    /// `2026-04-15 22:26`.
    func dateTime(ms: Int64?) -> String {
        guard let ms else { return "" }
        let (year, month, day, seconds) = civil(ms)
        return "\(year)-\(Self.two(month))-\(Self.two(day)) \(Self.two(seconds / 3600)):\(Self.two(seconds / 60 % 60))"
    }

    /// `22:26:15`.
    func time(ms: Int64?) -> String {
        guard let ms else { return "" }
        let seconds = civil(ms).seconds
        return "\(Self.two(seconds / 3600)):\(Self.two(seconds / 60 % 60)):\(Self.two(seconds % 60))"
    }

    /// The local date and the seconds into that day of a moment, by the zone's offset then
    /// (a page dates thousands of entries, and a formatter per entry costs more than the rest of
    /// the page); the calendar arithmetic is `Timestamp`'s, shared with the ISO 8601 writer.
    private func civil(_ ms: Int64) -> (year: Int, month: Int, day: Int, seconds: Int) {
        let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms) / 1000)))
        let local = ms / 1000 + offset - (ms % 1000 < 0 ? 1 : 0)
        let days = Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
        let date = Timestamp.civilFromDays(days)
        return (date.year, date.month, date.day, Int(local - Int64(days) * 86_400))
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// The ISO 8601 form, for `<time datetime=…>`.
    static func iso(ms: Int64?) -> String {
        guard let ms else { return "" }
        return Date(timeIntervalSince1970: Double(ms) / 1000).ISO8601Format()
    }

    /// `text` escaped for a query string or a link.
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// A project path shortened to its last two parts.
    static func project(_ path: String?) -> String {
        guard let path, !path.isEmpty else { return "—" }
        let parts = path.split(separator: "/")
        return parts.suffix(2).joined(separator: "/")
    }

    /// Text cut to `limit` characters, with an ellipsis when cut.
    static func clip(_ text: String?, _ limit: Int) -> String {
        guard let text else { return "" }
        // Only the part shown is looked at: previews run to kilobytes.
        let head = text.prefix(limit + 1)
        let flat = String(head.map { $0 == "\n" || $0 == "\r\n" ? " " : $0 })
        return head.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }
}
