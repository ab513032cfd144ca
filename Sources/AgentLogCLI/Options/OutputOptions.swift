import Foundation
import ArgumentParser

/// How a command prints its result.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json, csv
}

/// `--format text|json|csv`, declared once for every command that prints a result.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: text, json (one object whose \"schema\" names it, camelCase keys) or csv (reports only).")
    var format: OutputFormat = .text

    /// Refuses a format the command does not write, naming the ones it does.
    func require(_ formats: [OutputFormat], command: String) throws {
        guard formats.contains(format) else {
            throw ValidationError("--format \(format.rawValue) is not available for \(command); use \(formats.map(\.rawValue).joined(separator: " or ")).")
        }
    }

    /// Whether JSON was asked for.
    var isJSON: Bool { format == .json }
}

/// `--limit N`, declared once; each command has its own default.
struct LimitOption: ParsableArguments {
    @Option(help: ArgumentHelp("Show at most this many rows (default: 50; 20 for search).", valueName: "n"))
    var limit: Int?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
    }

    /// The limit given, or `fallback`.
    func value(default fallback: Int) -> Int { limit ?? fallback }
}

/// `--timezone TZ`, declared once for every command that shows days or times.
struct TimeZoneOption: ParsableArguments {
    @Option(help: ArgumentHelp("Time zone for days and times, e.g. Europe/Berlin or UTC (default: this machine's).", valueName: "tz"))
    var timezone: String?

    func validate() throws { _ = try zone() }

    /// The zone named, or this machine's.
    func zone() throws -> TimeZone { try Self.zone(named: timezone) }

    /// The zone `name` names (an identifier or an abbreviation), or this machine's for `nil`.
    static func zone(named name: String?) throws -> TimeZone {
        guard let name else { return .current }
        guard let zone = TimeZone(identifier: name) ?? TimeZone(abbreviation: name) else {
            throw ValidationError("Unknown time zone '\(name)' for --timezone; use a name like Europe/Berlin or UTC.")
        }
        return zone
    }
}
