import AgentLogHistory
import AgentLogStore
import ArgumentParser
import Foundation

/// `--model --tool --file --min-cost --max-cost`: what a session must have done, shared by
/// `sessions` and `search`.
struct CriteriaOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only sessions that used a model whose name contains this text.", valueName: "text"))
    var model: String?

    @Option(help: ArgumentHelp("Only sessions that called this tool (e.g. Bash, Edit, shell; any case).", valueName: "name"))
    var tool: String?

    @Option(help: ArgumentHelp("Only sessions that read or changed a file whose path starts with this (relative paths are taken from the current folder).", valueName: "path"))
    var file: String?

    @Option(help: ArgumentHelp("Only sessions that cost at least this many dollars.", valueName: "usd"))
    var minCost: Double?

    @Option(help: ArgumentHelp("Only sessions that cost at most this many dollars.", valueName: "usd"))
    var maxCost: Double?

    func validate() throws {
        for (name, value) in [("--min-cost", minCost), ("--max-cost", maxCost)] {
            if let value, !(value >= 0 && value.isFinite) { throw ValidationError("\(name) must be a number of dollars, 0 or more.") }
        }
        if let minCost, let maxCost, minCost > maxCost {
            throw ValidationError("--min-cost (\(minCost)) is above --max-cost (\(maxCost)).")
        }
        if let file, file.isEmpty { throw ValidationError("--file needs a path.") }
    }

    /// The criteria; `global` expands a relative `--file` against the current folder.
    func criteria(_ global: GlobalOptions) -> SessionCriteria {
        // Transcripts record absolute paths: `src/` means the current folder's src/.
        var criteria = SessionCriteria(model: model, tool: tool, file: file.map(global.expand))
        criteria.minCostMicros = minCost.map { Int64(($0 * 1_000_000).rounded()) }
        criteria.maxCostMicros = maxCost.map { Int64(($0 * 1_000_000).rounded()) }
        return criteria
    }
}
