/// Conversions between ISO-8601 timestamps and milliseconds since 1970 (UTC), without
/// Foundation's formatters, which are far too slow for millions of lines.
public enum Timestamp {
    /// Parses `2025-10-30T12:04:13.121Z`, `2025-10-30T12:04:13Z` or `2025-10-30T12:04:13.121+02:00`.
    public static func milliseconds(fromISO8601 text: String) -> Int64? {
        var text = text
        return text.withUTF8 { milliseconds(fromISO8601: UnsafeRawBufferPointer($0)) }
    }

    /// Parses ISO-8601 bytes; see ``milliseconds(fromISO8601:)-(String)``.
    public static func milliseconds(fromISO8601 bytes: UnsafeRawBufferPointer) -> Int64? {
        let count = bytes.count
        guard count >= 19 else { return nil }
        func digits(_ at: Int, _ length: Int) -> Int? {
            var value = 0
            for k in at..<(at + length) {
                let digit = Int(bytes[k]) - 48
                guard digit >= 0, digit <= 9 else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = digits(0, 4), bytes[4] == 0x2D, let month = digits(5, 2), bytes[7] == 0x2D,
              let day = digits(8, 2), bytes[10] == 0x54 || bytes[10] == 0x20,
              let hour = digits(11, 2), bytes[13] == 0x3A, let minute = digits(14, 2), bytes[16] == 0x3A,
              let second = digits(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis = 0
        if i < count, bytes[i] == 0x2E {
            i += 1
            var scale = 100
            while i < count, bytes[i] >= 48, bytes[i] <= 57 {
                millis += (Int(bytes[i]) - 48) * scale
                scale /= 10
                i += 1
            }
        }
        var offsetMinutes = 0
        if i < count {
            switch bytes[i] {
            case 0x5A, 0x7A: i += 1
            case 0x2B, 0x2D:
                guard i + 6 <= count, let oh = digits(i + 1, 2), bytes[i + 3] == 0x3A, let om = digits(i + 4, 2) else { return nil }
                offsetMinutes = (oh * 60 + om) * (bytes[i] == 0x2D ? -1 : 1)
                i += 6
            default: return nil
            }
        }
        guard i == count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = ((days * 24 + hour) * 60 + minute) * 60 + second - offsetMinutes * 60
        return Int64(seconds) * 1000 + Int64(millis)
    }

    /// `2025-10-30T12:04:13.121Z` for milliseconds since 1970.
    public static func iso8601(milliseconds: Int64) -> String {
        let (civil, dayMillis) = split(milliseconds)
        let ms = Int(dayMillis % 1000)
        let totalSeconds = Int(dayMillis / 1000)
        if (0...9999).contains(civil.year) {
            // Digits written in place: `show` formats tens of thousands of these.
            return String(unsafeUninitializedCapacity: 24) { buffer in
                func put(_ value: Int, _ width: Int, at offset: Int) {
                    var value = value
                    for position in stride(from: offset + width - 1, through: offset, by: -1) {
                        buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                        value /= 10
                    }
                }
                put(civil.year, 4, at: 0)
                put(civil.month, 2, at: 5)
                put(civil.day, 2, at: 8)
                put(totalSeconds / 3600, 2, at: 11)
                put(totalSeconds / 60 % 60, 2, at: 14)
                put(totalSeconds % 60, 2, at: 17)
                put(ms, 3, at: 20)
                buffer[4] = UInt8(ascii: "-")
                buffer[7] = UInt8(ascii: "-")
                buffer[10] = UInt8(ascii: "T")
                buffer[13] = UInt8(ascii: ":")
                buffer[16] = UInt8(ascii: ":")
                buffer[19] = UInt8(ascii: ".")
                buffer[23] = UInt8(ascii: "Z")
                return 24
            }
        }
        return "\(pad(civil.year, 4))-\(pad(civil.month, 2))-\(pad(civil.day, 2))T"
            + "\(pad(totalSeconds / 3600, 2)):\(pad(totalSeconds / 60 % 60, 2)):\(pad(totalSeconds % 60, 2))."
            + "\(pad(ms, 3))Z"
    }

    static func split(_ milliseconds: Int64) -> ((year: Int, month: Int, day: Int), Int64) {
        let dayLength: Int64 = 86_400_000
        var days = milliseconds / dayLength
        var rest = milliseconds % dayLength
        if rest < 0 {
            rest += dayLength
            days -= 1
        }
        return (civilFromDays(Int(days)), rest)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number since 1970-01-01.
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
