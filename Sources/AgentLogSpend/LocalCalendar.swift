#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Local days, weeks and months without Foundation, through the C library's time zone (`TZ`,
/// else the system's): what "today" means to the statusline, the hook and `budget status`.
public struct LocalCalendar: Sendable {
    /// A calendar in the process's time zone.
    public init() {}

    /// The start and end (ms since 1970) of the day, week (from Monday) or month holding `time`.
    public func period(_ period: BudgetPeriod, containing time: Int64) -> (start: Int64, end: Int64) {
        var parts = Self.localParts(time)
        parts.tm_hour = 0
        parts.tm_min = 0
        parts.tm_sec = 0
        switch period {
        case .daily: break
        case .weekly: parts.tm_mday -= (Int32(parts.tm_wday) + 6) % 7
        case .monthly: parts.tm_mday = 1
        }
        let start = Self.time(of: parts)
        switch period {
        case .daily: parts.tm_mday += 1
        case .weekly: parts.tm_mday += 7
        case .monthly: parts.tm_mon += 1
        }
        return (start, Self.time(of: parts))
    }

    private static func localParts(_ time: Int64) -> tm {
        var seconds = time_t(time >= 0 ? time / 1000 : (time - 999) / 1000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return parts
    }

    private static func time(of parts: tm) -> Int64 {
        var parts = parts
        parts.tm_isdst = -1
        return Int64(mktime(&parts)) * 1000
    }
}
