import AgentLogHistory
import AgentLogIngest
import AgentLogJSON
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog secrets`: what was masked, where; never the secrets themselves.
struct SecretsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "List the secrets masked before they were stored: their kind, where they were, and a hint (never the secret).",
        discussion: """
            New databases mask API keys and tokens (Anthropic, OpenAI, AWS, GitHub, Google, Slack, Stripe), \
            private keys, JWTs, passwords in URLs and high-entropy values of secret-named settings in \
            messages, tool calls, titles and event payloads before storing them; the raw archive keeps the \
            transcripts byte for byte and is never searched. `agentlog db redact` masks what an older database \
            already holds.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var limit: LimitOption

    @Option(help: ArgumentHelp("Only this session (its id or a prefix).", valueName: "id"))
    var session: String?

    func validate() throws { try output.require([.text, .json], command: "secrets") }

    func run() throws {
        let store = try global.openStore()
        let list = try store.maskedSecrets(session: session, limit: limit.value(default: 50))
        if output.isJSON {
            print(try JSONOutput.document(list).text())
            return
        }
        let state = list.redacting ? "New text is masked before it is stored."
            : "New text is stored as it is; `agentlog db redact` masks what is stored and turns masking on."
        guard !list.rows.isEmpty else {
            print("No secrets were masked. \(state)")
            return
        }
        var table = TextTable([("masked", .left), ("kind", .left), ("where", .left), ("session", .left), ("item", .left), ("hint", .left)])
        for row in list.rows {
            table.add([TimeText.localTime(row.foundAt, .current), row.kind, row.location, String(row.session.prefix(8)), String(row.item.prefix(12)), row.hint])
        }
        print(table.render())
        print("\(Money.groupThousands(Int64(list.total))) secrets masked in all\(list.total > list.rows.count ? " (the latest \(list.rows.count) shown)" : ""). \(state)")
    }
}
