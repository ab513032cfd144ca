import AgentLogHistory
import AgentLogDatabase
import AgentLogJSON
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog auth`: the credentials `agentlog serve` asks for when it listens beyond loopback.
struct AuthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Tokens, users and device pairing for agentlog serve beyond loopback.",
        discussion: """
            On 127.0.0.1 the server lets this machine's user in without a token. Listening on any \
            other address (agentlog serve --host 0.0.0.0) needs one: make it with `auth token create` \
            and send it as Authorization: Bearer TOKEN; or add a user with `auth user add NAME`, who \
            signs in at /login with a password; or start the server with --pair and approve the code a \
            device shows with `auth approve CODE`. Only a token's SHA-256 and a password's bcrypt hash \
            are stored.
            """,
        subcommands: [AuthToken.self, AuthUser.self, AuthApprove.self, AuthDeny.self, AuthPairings.self])
}

/// `agentlog auth token create|list|revoke`.
struct AuthToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Make, list and revoke API tokens.",
        subcommands: [AuthTokenCreate.self, AuthTokenList.self, AuthTokenRevoke.self])
}

struct AuthTokenCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Make a token and print it (it is shown this once).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("A name that says where the token is used, such as laptop or ci.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("Days until the token stops working (default: never).", valueName: "days"))
    var expiresInDays: Int?

    func validate() throws {
        try output.require([.text, .json], command: "auth token create")
        if let expiresInDays, !(1...3_650).contains(expiresInDays) { throw ValidationError("--expires-in-days must be from 1 to 3650.") }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty.") }
    }

    func run() async throws {
        let store = try global.openStore()
        let now = CommandContext.current.nowMilliseconds
        let made = try await store.createToken(name: name, expiresAt: expiresInDays.map { now + Int64($0) * 86_400_000 }, at: now)
        if output.isJSON {
            print(try JSONOutput.document(NewToken(token: made.token, record: made.record)).text())
            return
        }
        print(made.token)
        printError("Token \(made.record.id) '\(made.record.name)' made\(expiresInDays.map { ", valid for \($0) days" } ?? ""). It is shown only now; "
                   + "send it as Authorization: Bearer TOKEN. `agentlog auth token revoke \(made.record.id)` ends it.")
    }
}

struct AuthTokenList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens: name, hint, kind, last use, state.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var zoneOption: TimeZoneOption

    func validate() throws { try output.require([.text, .json], command: "auth token list") }

    func run() async throws {
        let store = try global.openStore()
        let now = CommandContext.current.nowMilliseconds
        let tokens = try await store.tokens()
        if output.isJSON {
            print(try JSONOutput.document(TokenList(rows: tokens, now: now)).text())
            return
        }
        guard !tokens.isEmpty else {
            print("No tokens yet. `agentlog auth token create --name NAME` makes one.")
            return
        }
        let zone = try TimeZoneOption.zone(named: zoneOption.timezone)
        var table = TextTable([("Id", .right), ("Name", .left), ("Hint", .left), ("Kind", .left), ("Created", .left), ("Last used", .left), ("State", .left)])
        for token in tokens {
            let state = token.revokedAt != nil ? "revoked" : token.isValid(at: now) ? "valid" : "expired"
            table.add([String(token.id), token.name, token.hint + "…", token.kind.rawValue, TimeText.localTime(token.createdAt, zone),
                       token.lastUsedAt.map { TimeText.localTime($0, zone) } ?? "never", state])
        }
        print(table.render())
    }
}

struct AuthTokenRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token: it stops working at once.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The token's id, name or hint (as `auth token list` shows them).")
    var token: String

    func run() async throws {
        let store = try global.openStore()
        let revoked = try await store.revokeToken(token, at: CommandContext.current.nowMilliseconds)
        print("Revoked token \(revoked.id) '\(revoked.name)' (\(revoked.hint)…).")
    }
}

/// Options of `auth approve` and `auth deny`.
struct PairingDecision: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Argument(help: "The code the device shows, such as WDJB-MJHT (any case, the dash optional).")
    var code: String

    func decide(approve: Bool) async throws {
        let store = try global.openStore()
        let pairing = try await store.decidePairing(code: code, approve: approve, at: CommandContext.current.nowMilliseconds)
        _ = try? await store.log(.info, component: "auth", "Pairing \(pairing.userCode) of \(pairing.deviceName) \(approve ? "approved" : "denied").")
        print(approve ? "Approved \(pairing.deviceName) (\(pairing.userCode)): it gets its token on its next poll."
                      : "Denied \(pairing.deviceName) (\(pairing.userCode)).")
    }
}

struct AuthApprove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "approve", abstract: "Let in the device that shows CODE.")
    @OptionGroup var decision: PairingDecision
    func run() async throws { try await decision.decide(approve: true) }
}

struct AuthDeny: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deny", abstract: "Refuse the device that shows CODE.")
    @OptionGroup var decision: PairingDecision
    func run() async throws { try await decision.decide(approve: false) }
}

struct AuthPairings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pairings", abstract: "List device pairing requests, newest first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var zoneOption: TimeZoneOption

    func validate() throws { try output.require([.text, .json], command: "auth pairings") }

    func run() async throws {
        let store = try global.openStore()
        let pairings = try await store.pairings(at: CommandContext.current.nowMilliseconds)
        if output.isJSON {
            print(try JSONOutput.document(PairingList(rows: pairings)).text())
            return
        }
        guard !pairings.isEmpty else {
            print("No pairing requests. A device asks at http://HOST:PORT/pair while agentlog serve --pair runs.")
            return
        }
        let zone = try TimeZoneOption.zone(named: zoneOption.timezone)
        var table = TextTable([("Code", .left), ("Device", .left), ("Status", .left), ("Asked", .left), ("Expires", .left)])
        for pairing in pairings {
            table.add([pairing.userCode, pairing.deviceName, pairing.status.rawValue, TimeText.localTime(pairing.createdAt, zone),
                       TimeText.localTime(pairing.expiresAt, zone)])
        }
        print(table.render())
    }
}
