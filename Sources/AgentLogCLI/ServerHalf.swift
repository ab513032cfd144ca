import Foundation

/// What the commands that run a server — `serve`, `mcp`, and the password hashing of
/// `auth user` — do once their arguments are parsed. It lives in `AgentLogServerCLI`, linked
/// into the `agentlog-server` executable, so that the `agentlog` executable links neither
/// Hummingbird nor the MCP SDK: the SDK's HTTP client needs FoundationNetworking, and loading that
/// (libcurl and its thirty libraries) cost every command, `sync` included, about 10 ms at start.
///
/// The commands themselves (options, help, validation) are declared once, here; `agentlog serve`
/// runs `agentlog-server` with the same arguments (``ServerExecutable/half()``), which parses
/// them again and does the work through the ``CommandContext/serverHalf`` it was given.
package protocol ServerHalf: Sendable {
    /// Runs `agentlog serve` until it is stopped.
    func serve(_ command: ServeCommand) async throws
    /// Runs `agentlog mcp` on standard input and output until its client goes.
    func serveMCP(_ command: MCPCommand.Serve) async throws
    /// Refuses a password that is too short or too long for a user of `serve`.
    func checkPassword(_ password: String) throws
    /// The password's bcrypt hash, as the server checks it.
    func hashPassword(_ password: String) async throws -> String
}

/// The `agentlog-server` executable beside this one.
enum ServerExecutable {
    static let name = "agentlog-server"

    /// The server half of this context; in the `agentlog` executable, which has none, this
    /// process becomes `agentlog-server` with the same arguments (and the call never returns).
    static func half() throws -> any ServerHalf {
        let context = CommandContext.current
        if let half = context.serverHalf { return half }
        // Only the executable's own command line is handed on; a command run in-process (a
        // test, an app) without a server half must not turn its host process into another one.
        guard let handedOn = context.serverArguments else {
            throw CLIError("This command needs the server half of agentlog (LiveServerHalf, in AgentLogServerCLI), which this process does not have.")
        }
        let folder = Executables.current.deletingLastPathComponent()
        try Executables.buildMissing([name], in: folder)
        Executables.warnIfOlder(name, in: folder)
        let path = folder.appendingPathComponent(name).path
        fflush(nil)
        let arguments = [path] + handedOn
        var pointers = arguments.map { strdup($0) } + [nil]
        execv(path, &pointers)
        let reason = String(cString: strerror(errno)).lowercased()
        for pointer in pointers { free(pointer) }
        throw CLIError("Cannot run \(path): \(reason).")
    }
}
