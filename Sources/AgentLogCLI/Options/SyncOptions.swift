import AgentLogDatabase
import AgentLogHistory
import AgentLogIngest
import ArgumentParser

/// `--prices FILE`, declared once for every command that prices usage.
struct PricesOption: ParsableArguments {
    @Option(help: ArgumentHelp("A JSON price file that overrides built-in prices (default: $AGENTLOG_PRICES, else ~/.agentlog/prices.json when present).",
                               valueName: "path"))
    var prices: String?

    /// The price table: built-in, overridden by `--prices`, `$AGENTLOG_PRICES` or
    /// `~/.agentlog/prices.json`.
    func table(_ global: GlobalOptions) throws -> PriceTable { try global.prices(prices) }
}

/// `--no-sync` and `--prices`: what every command that reads usage shares. By default it
/// syncs the default folders of the agents it covers first, so its answer is current.
struct SyncOptions: ParsableArguments {
    @Flag(help: "Use the database as it is, without syncing first.")
    var noSync = false

    @OptionGroup var pricing: PricesOption

    /// Syncs the default folders of `agent` into `store` unless `--no-sync`, with a progress
    /// bar on a terminal.
    func syncFirst(_ store: AgentLogStore, agent: AgentChoice, global: GlobalOptions) throws {
        guard !noSync else { return }
        _ = try SyncRunner.sync(store: store, roots: SyncRunner.roots(agent: agent, paths: [], global: global), showProgress: true, global: global)
    }

    /// The price table (see ``PricesOption/table(_:)``).
    func prices(_ global: GlobalOptions) throws -> PriceTable { try pricing.table(global) }
}
