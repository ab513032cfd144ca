import AgentLogCLI
import AgentLogMCP
import AgentLogServer
import AgentLogSync
import Foundation

/// The server half of the commands (``ServerHalf``), as the `agentlog-server` executable and the
/// tests run it: Hummingbird's server, the MCP SDK, bcrypt.
package struct LiveServerHalf: ServerHalf {
    /// The server half.
    package init() {}

    /// The dashboard, the API and, with `--otlp`, the telemetry receiver (``ServeCommand/runServer()``).
    package func serve(_ command: ServeCommand) async throws {
        try await command.runServer()
    }

    /// MCP over standard input and output, with a sync of every agent's folders in the background.
    package func serveMCP(_ command: MCPCommand.Serve) async throws {
        let context = CommandContext.current
        let store = try command.global.openStore()
        if !command.noSync {
            // What the agents wrote since the last sync, read beside the first answers (the
            // server answers at once; the history catches up in the background).
            let engine = SyncEngine(store: store), roots = SyncRunner.roots(agent: .all, paths: [], global: command.global)
            let errors = context.standardError
            Thread.detachNewThread {
                do { _ = try engine.sync(roots: roots) } catch { errors.write("agentlog mcp: sync failed: \(error)\n") }
            }
        }
        let session = ToolContext.defaultSession(environment: context.environment, processId: getpid())
        let service = MCPService(context: ToolContext(store: store, workingDirectory: context.currentDirectory,
                                                      defaultSession: session, readOnly: command.readOnly))
        try await service.runStdio()
    }

    /// ``Passwords/check(_:)``.
    package func checkPassword(_ password: String) throws {
        try Passwords.check(password)
    }

    /// ``Passwords/hash(_:cost:)``, on NIO's thread pool.
    package func hashPassword(_ password: String) async throws -> String {
        try await Passwords.hash(password)
    }
}
