import AgentLogDatabase
import AgentLogHistory
import AgentLogJSON
import AgentLogStore
import ArgumentParser
import Foundation

/// `agentlog auth user add|passwd|list|remove`: people who sign in to `agentlog serve` from a
/// browser on another machine.
struct AuthUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list and remove users who sign in to agentlog serve with a password.",
        discussion: """
            A user signs in at http://HOST:PORT/login (or POST /api/v1/auth/login) and stays signed in \
            for 7 days. Only a bcrypt hash of the password is stored. A new password, or removing the \
            user, ends their sign-ins at once.
            """,
        subcommands: [AuthUserAdd.self, AuthUserPasswd.self, AuthUserList.self, AuthUserRemove.self])
}

/// Where a password comes from: asked on the terminal (twice, not shown), or the first line of
/// standard input.
struct PasswordInput: ParsableArguments {
    @Flag(help: "Read the password from the first line of standard input instead of asking on the terminal.")
    var passwordStdin = false

    /// The password, checked for length by `server`.
    func read(prompt: String, server: any ServerHalf) throws -> String {
        let context = CommandContext.current
        let password: String
        if passwordStdin {
            guard let line = context.readLine() else { throw CLIError("No password on standard input: pipe it in, one line.") }
            password = line.hasSuffix("\r") ? String(line.dropLast()) : line
        } else {
            guard let first = Terminal.readSecret(prompt + ": ") else {
                throw CLIError("There is no terminal to ask for the password on; give it on standard input with --password-stdin.")
            }
            guard Terminal.readSecret("Again, to be sure: ") == first else { throw CLIError("The two passwords differ; nothing was changed.") }
            password = first
        }
        try server.checkPassword(password)
        return password
    }
}

struct AuthUserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a user with a password.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: PasswordInput

    @Argument(help: "The name they sign in with: letters, digits, '.', '_', '-' or '@'.")
    var name: String

    func validate() throws {
        do { try AgentLogStore.checkUserName(name) } catch { throw ValidationError("\(error)") }
    }

    func run() async throws {
        let server = try ServerExecutable.half()
        let store = try global.openStore()
        let password = try input.read(prompt: "Password for \(name)", server: server)
        let user = try await store.addUser(name, passwordHash: try await server.hashPassword(password), at: CommandContext.current.nowMilliseconds)
        print("Added \(user.name). They sign in at http://HOST:PORT/login while agentlog serve listens beyond loopback.")
    }
}

struct AuthUserPasswd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "passwd", abstract: "Set a user's password; their sign-ins end.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var input: PasswordInput

    @Argument(help: "The user's name.")
    var name: String

    func run() async throws {
        let server = try ServerExecutable.half()
        let store = try global.openStore()
        guard try await store.userExists(name) else { throw StoreError.notFound(what: "user '\(name)'") }
        let password = try input.read(prompt: "New password for \(name)", server: server)
        try await store.setPassword(ofUser: name, passwordHash: try await server.hashPassword(password), at: CommandContext.current.nowMilliseconds)
        print("Set the password of \(name); their sign-ins ended.")
    }
}

struct AuthUserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users and how many sign-ins each has open.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var zoneOption: TimeZoneOption

    func validate() throws { try output.require([.text, .json], command: "auth user list") }

    func run() async throws {
        let store = try global.openStore()
        let users = try await store.users(at: CommandContext.current.nowMilliseconds)
        if output.isJSON {
            print(try JSONOutput.document(UserList(rows: users)).text())
            return
        }
        guard !users.isEmpty else {
            print("No users yet. `agentlog auth user add NAME` adds one.")
            return
        }
        let zone = try TimeZoneOption.zone(named: zoneOption.timezone)
        var table = TextTable([("User", .left), ("Added", .left), ("Signed in", .right), ("Password", .left)])
        for user in users {
            table.add([user.name, TimeText.localTime(user.createdAt, zone), String(user.activeLogins), user.hasPassword ? "set" : "none"])
        }
        print(table.render())
    }
}

struct AuthUserRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a user; their sign-ins end.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The user's name.")
    var name: String

    func run() async throws {
        let store = try global.openStore()
        try await store.removeUser(name, at: CommandContext.current.nowMilliseconds)
        print("Removed \(name); their sign-ins ended.")
    }
}

/// `agentlog.users.v1`: the users of `agentlog serve`.
struct UserList: SchemaResult {
    static let schema = "agentlog.users.v1"
    var rows: [ServerUser]

    func encode(to encoder: any Encoder) throws {
        try JSONOutput.object([("rows", .array(rows.map { user in
            .object([("name", .string(user.name)), ("createdAt", .int(user.createdAt)), ("activeLogins", .int(Int64(user.activeLogins))),
                     ("hasPassword", .bool(user.hasPassword))])
        }))]).encode(to: encoder)
    }
}

/// The controlling terminal, for what must not be echoed.
enum Terminal {
    /// One line typed on `/dev/tty` with echo off, after `prompt`; nil when there is no terminal.
    static func readSecret(_ prompt: String) -> String? {
        let descriptor = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var saved = termios()
        guard tcgetattr(descriptor, &saved) == 0 else { return nil }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        // Never ask when echo could not be turned off: the password would show as it is typed.
        guard tcsetattr(descriptor, TCSAFLUSH, &quiet) == 0 else { return nil }
        defer {
            _ = tcsetattr(descriptor, TCSAFLUSH, &saved)
            _ = write(descriptor, "\n", 1)
        }
        _ = prompt.withCString { write(descriptor, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(descriptor, &byte, 1) == 1, byte != 10, bytes.count < 1_024 { bytes.append(byte) }
        return String(decoding: bytes.last == 13 ? bytes.dropLast() : bytes[...], as: UTF8.self)
    }
}
