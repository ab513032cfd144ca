import AgentLogIngest
import Foundation

/// Times and durations as the text output shows them.
public enum TimeText {
    /// `2026-04-18 13:10` (`…13:10:05` with `seconds`) in `zone`.
    public static func localTime(_ milliseconds: Int64?, _ zone: TimeZone, seconds: Bool = false) -> String {
        guard let milliseconds else { return "" }
        let local = milliseconds + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(milliseconds) / 1000))) * 1000
        return String(Timestamp.iso8601(milliseconds: local).prefix(seconds ? 19 : 16)).replacingOccurrences(of: "T", with: " ")
    }

    /// `1h 05m`, `12m`, `40s`.
    public static func duration(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "" }
        let seconds = milliseconds / 1000
        if seconds >= 3600 { return "\(seconds / 3600)h \(String(format: "%02d", seconds % 3600 / 60))m" }
        if seconds >= 60 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}

extension String {
    /// Cut to `length` characters with an ellipsis, on one line.
    public func clipped(_ length: Int) -> String {
        let flat = split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= length ? flat : String(flat.prefix(max(0, length - 1))) + "…"
    }
}
