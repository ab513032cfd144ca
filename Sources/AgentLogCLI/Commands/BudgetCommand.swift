import AgentLogIngest
import AgentLogJSON
import AgentLogSQLite
import AgentLogSpend
import ArgumentParser
import Foundation

/// `agentlog budget set|status|remove`: spending limits per day, week or month.
struct BudgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Set spending limits per day, week or month, and see how much of each is spent.",
        discussion: """
            Periods follow this machine's time zone ($TZ): a day from midnight, a week from \
            Monday, a month from the 1st. The statusline shows a budget from 80 % (warn) and \
            100 % (critical); the hook adds a one-line warning to the agent's context on each \
            prompt while one is over. Spending is what the history holds: run `agentlog sync` \
            (or `agentlog serve --sync`) to keep it current.
            """,
        subcommands: [Set.self, Status.self, Remove.self], defaultSubcommand: Status.self)

    /// Which budget: its period, project and agent.
    struct Scope: ParsableArguments {
        @Argument(help: "daily, weekly or monthly.")
        var period: BudgetPeriod

        @Option(help: ArgumentHelp("Only usage of sessions in this project folder (and the folders under it).", valueName: "dir"))
        var project: String?

        @Option(help: "Only usage of this agent: claude, codex or gemini.")
        var agent: AgentChoice?

        func validate() throws {
            if agent == .all { throw ValidationError("--agent all is every agent: leave --agent out.") }
        }

        /// The project folder as stored: absolute, without a trailing slash ("" for all).
        func projectPath(_ global: GlobalOptions) -> String {
            guard let project, !project.isEmpty else { return "" }
            let path = global.expand(project)
            return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a budget (replacing the one of the same period, project and agent).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: Scope

        @Argument(help: ArgumentHelp("The limit in US dollars, e.g. 20 or 12.50.", valueName: "amount"))
        var amount: String

        func validate() throws { _ = try Self.micros(amount) }

        func run() throws {
            let budget = try BudgetCommand.reader(global).setBudget(scope.period, amountMicros: try Self.micros(amount),
                                                                    project: scope.projectPath(global), agent: scope.agent?.rawValue ?? "",
                                                                    now: CommandContext.current.nowMilliseconds)
            print("Set the \(budget.label) budget.")
        }

        /// `20`, `$12.50` → micro-dollars.
        static func micros(_ text: String) throws -> Int64 {
            let digits = text.hasPrefix("$") ? String(text.dropFirst()) : text
            guard let dollars = Double(digits), dollars.isFinite, dollars >= 0.01, dollars < 1_000_000_000 else {
                throw ValidationError("The amount '\(text)' is not a number of dollars from 0.01 (e.g. 20 or 12.50).")
            }
            return Int64((dollars * 1_000_000).rounded())
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "Show each budget with what its current period has spent.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func validate() throws { try output.require([.text, .json], command: "budget status") }

        func run() throws {
            let reader = try BudgetCommand.reader(global)
            let now = CommandContext.current.nowMilliseconds
            let report = BudgetReport(budgets: try reader.statuses(of: try reader.budgets(), now: now), now: now)
            if output.isJSON {
                print(try JSONOutput.document(report).text())
                return
            }
            guard !report.budgets.isEmpty else {
                print("No budgets set. Set one with: agentlog budget set daily 20")
                return
            }
            for status in report.budgets {
                let mark = status.level == .critical ? "  OVER" : status.level == .warn ? "  warn" : ""
                let unpriced = status.spend.unpricedModels.isEmpty ? "" : " (not priced: \(status.spend.unpricedModels.joined(separator: ", ")))"
                print("\(status.budget.label): \(Money.dollars(micros: status.spentMicros)) spent, \(status.percent)%\(mark)\(unpriced)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a budget.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: Scope

        func run() throws {
            let project = scope.projectPath(global), agent = scope.agent?.rawValue ?? ""
            guard try BudgetCommand.reader(global).removeBudget(scope.period, project: project, agent: agent) else {
                throw CLIError("No \(Budget.label(scope.period, project: project, agent: agent)) budget is set; `agentlog budget status` lists them.")
            }
            print("Removed the \(scope.period.rawValue) budget.")
        }
    }

    /// The budgets' reader over the database, migrated first, priced as the reports are.
    static func reader(_ global: GlobalOptions) throws -> SpendReader {
        _ = try global.openStore()
        do {
            let db = try SQLiteConnection(path: global.databasePath, busyMilliseconds: ConnectionSettings.busyTimeoutMilliseconds)
            return SpendReader(db: db, prices: try global.prices(nil))
        } catch let error as SQLiteError {
            throw CLIError("\(global.databasePath): \(error)")
        }
    }
}

extension BudgetPeriod: ExpressibleByArgument {}
