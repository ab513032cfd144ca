import AgentLogPricing
import AgentLogSQLite
import AgentLogSpend

/// One run of `agentlog-statusline`: Claude Code's payload in, the payload kept, one line out.
/// It never parses transcripts: costs come from the usage rollups the sync keeps. Whatever goes
/// wrong, it prints what it can (the payload's own model and cost) and exits 0, with the
/// problem on stderr.
///
/// ```swift
/// let runner = try StatuslineRunner(arguments: ["--db", "/tmp/agentlog.db"])
/// print(runner.run(input: bytes, now: nowMs).line)
/// ```
public struct StatuslineRunner: Sendable {
    /// What one run produced.
    public struct Result: Sendable, Equatable {
        /// The line for Claude Code's status bar.
        public var line: String
        /// Problems, one sentence each (stderr).
        public var diagnostics: [String]
    }

    /// The database read and written.
    public var databasePath: String
    /// The line's format.
    public var template = StatuslineTemplate.standard
    /// Whether the payload is stored (`--no-store` turns it off).
    public var store = true
    /// Whether warnings are coloured with ANSI escapes (off with `--no-color` or `$NO_COLOR`).
    public var color = true
    /// The user's price file, when `--prices` names one.
    public var pricesPath: String?

    /// A runner for the database at `databasePath` with the default format.
    public init(databasePath: String) { self.databasePath = databasePath }

    /// The usage line `--help` prints.
    public static let usage = """
        usage: agentlog-statusline [--db PATH] [--format TEMPLATE] [--prices FILE] [--no-store] [--no-color]
        Reads Claude Code's statusline payload on stdin and prints one line. Register it with
        `agentlog statusline install`.
        """

    /// A runner configured by a command line: `--db PATH`, `--format TEMPLATE`, `--prices FILE`,
    /// `--no-store`, `--no-color`; `environment` gives `$AGENTLOG_DB`, `$NO_COLOR` and `$HOME`.
    public init(arguments: [String], environment: (String) -> String? = DatabaseLocation.processEnvironment,
                currentDirectory: String = DatabaseLocation.currentDirectory()) throws(StatuslineError) {
        var explicit: String?
        var index = arguments.startIndex
        func value(_ name: String) throws(StatuslineError) -> String {
            let argument = arguments[index]
            if argument.hasPrefix(name + "=") { return String(argument.dropFirst(name.count + 1)) }
            index += 1
            guard index < arguments.endIndex else { throw StatuslineError("\(name) needs a value") }
            return arguments[index]
        }
        var format: String?
        color = environment("NO_COLOR").map(\.isEmpty) ?? true
        databasePath = ""
        while index < arguments.endIndex {
            let argument = arguments[index]
            switch argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument {
            case "--db": explicit = try value("--db")
            case "--format": format = try value("--format")
            case "--prices": pricesPath = DatabaseLocation.absolute(try value("--prices"), environment: environment, currentDirectory: currentDirectory)
            case "--no-store" where argument == "--no-store": store = false
            case "--no-color" where argument == "--no-color": color = false
            default: throw StatuslineError("unknown argument '\(argument)'\n\(Self.usage)")
            }
            index += 1
        }
        databasePath = DatabaseLocation.resolve(explicit: explicit, environment: environment, currentDirectory: currentDirectory)
        if let format { template = try StatuslineTemplate(format) }
    }

    /// The line for `input` (the payload's bytes) at `now` (ms since 1970).
    public func run(input: [UInt8], now: Int64, environment: (String) -> String? = DatabaseLocation.processEnvironment,
                    calendar: LocalCalendar = LocalCalendar()) -> Result {
        var diagnostics: [String] = []
        var payload = StatuslinePayload()
        do {
            payload = try StatuslinePayload(bytes: input)
        } catch {
            diagnostics.append("agentlog statusline: \(error)")
        }
        var values = StatuslineValues(payload: payload, now: now, color: color)
        do {
            let db = try open()
            let hasLimits = try db.appliedMigrations().contains("v9-limits")
            if store, hasLimits, input.count > 2 {
                do {
                    try StatuslineRecorder(db: db).record(payload, at: now)
                } catch let error as SQLiteError where error.primaryCode == 5 /* SQLITE_BUSY */ {
                    // Another process is writing; the next payload will be kept.
                } catch {
                    // Read-only or full: say so, and still show what the history knows.
                    diagnostics.append("agentlog statusline: cannot keep the payload in \(databasePath): \(error)")
                }
            }
            let prices: PriceTable
            do {
                prices = try PriceTable.forUser(explicit: pricesPath, environment: environment) {
                    DatabaseLocation.absolute($0, environment: environment, currentDirectory: DatabaseLocation.currentDirectory())
                }
            } catch {
                diagnostics.append("agentlog statusline: \(error) Built-in prices are used.")
                prices = .builtIn
            }
            try values.read(SpendReader(db: db, prices: prices), calendar: calendar)
        } catch {
            diagnostics.append("agentlog statusline: \(databasePath): \(error)")
        }
        return Result(line: template.render(values.values), diagnostics: diagnostics)
    }

    /// The database; a missing one is created with the whole schema (as the hook does), so the
    /// first payload after `statusline install` on a new machine is kept.
    private func open() throws -> SQLiteConnection {
        guard DatabaseLocation.createFolder(of: databasePath) else { throw StatuslineError("cannot create the folder of \(databasePath)") }
        let db = try SQLiteConnection(path: databasePath, busyMilliseconds: 200, create: true)
        db.keepLogOnClose()
        try db.createSchemaIfNew(waitMilliseconds: 200)
        return db
    }
}
