import ArgumentParser

/// `agentlog serve`: the JSON API (and, to come, the dashboard) over the database.
package struct ServeCommand: AsyncParsableCommand {
    /// The command's name, help text and subcommands.
    package static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web dashboard and the JSON API on 127.0.0.1:7420 (Ctrl-C stops it).",
        discussion: """
            The dashboard is at /: overview, sessions, a replay of each session, search, projects and \
            runs, agents and claims. The JSON API is under /api/v1 (described at /openapi.json): every \
            answer is the JSON the CLI's --format json writes. Live events: /api/v1/events/stream \
            (Server-Sent Events; reconnect with Last-Event-ID). On loopback no token is needed; beyond \
            it every request needs one (agentlog auth token create, or --pair and agentlog auth approve).

            With --otlp it also receives Claude Code's own telemetry on http://127.0.0.1:4318 \
            (OTLP/HTTP, http/json or http/protobuf, gzip or not; loopback only): each model call's \
            tokens and cost, failed calls, and the cost and token metrics. Reports then take \
            telemetry's numbers where it has them (report --source), and `agentlog report accuracy` \
            compares the two. Turn it on in Claude Code's environment: CLAUDE_CODE_ENABLE_TELEMETRY=1 \
            OTEL_LOGS_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp OTEL_EXPORTER_OTLP_PROTOCOL=http/json \
            OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318.
            """)

    @OptionGroup package var global: GlobalOptions

    @Option(help: ArgumentHelp("The address to listen on (default loopback). Any other address, such as 0.0.0.0, lets other machines in: every request then needs a token (agentlog auth) and the server refuses to start without one, unless --pair.",
                               valueName: "address"))
    package var host = "127.0.0.1"

    @Flag(help: "Let devices ask to be let in at /pair: each shows a code to approve here with `agentlog auth approve CODE`.")
    package var pair = false

    @Option(name: .customLong("allow-host"), help: ArgumentHelp("Another name the server answers to in the Host header, such as a LAN name (repeatable; this machine's addresses are allowed already).",
                                                                valueName: "name"))
    package var allowedHosts: [String] = []

    @Option(help: ArgumentHelp("The port to listen on (0 picks a free one and prints it).", valueName: "n"))
    package var port = 7420

    @Flag(help: "Keep syncing transcripts while serving, every --sync-interval seconds, so that new lines of running sessions appear live (without it, one sync as the server starts).")
    package var sync = false

    @Flag(help: "Serve the database as it is, without the sync at start.")
    package var noSync = false

    @Option(help: ArgumentHelp("Seconds between two syncs with --sync (0.2 to 3600).", valueName: "seconds"))
    package var syncInterval = 2.0

    @Option(name: .customLong("path"), help: ArgumentHelp("A folder of Claude Code transcripts to sync instead of every agent's default folders (repeatable).",
                                                          valueName: "dir"))
    package var paths: [String] = []

    @Flag(help: "Open the server's address in a browser once it listens (where xdg-open or open exists).")
    package var open = false

    @Flag(help: "Also receive Claude Code's OpenTelemetry export (OTLP/HTTP, JSON or protobuf) on 127.0.0.1:--otlp-port; see `agentlog help serve`.")
    package var otlp = false

    @Option(help: ArgumentHelp("The OTLP receiver's port on 127.0.0.1 (4318 is OTLP/HTTP's; 0 picks a free one).", valueName: "n"))
    package var otlpPort = 4318

    package func validate() throws {
        guard !host.isEmpty, host.count < 256 else { throw ValidationError("--host must be an address, such as 127.0.0.1 or 0.0.0.0.") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
        guard (0...65_535).contains(otlpPort) else { throw ValidationError("--otlp-port must be from 0 to 65535.") }
        guard otlp || otlpPort == 4318 else { throw ValidationError("--otlp-port goes with --otlp.") }
        guard (0.2...3_600).contains(syncInterval) else { throw ValidationError("--sync-interval must be from 0.2 to 3600 seconds.") }
        guard !(noSync && (sync || !paths.isEmpty)) else {
            throw ValidationError("--no-sync serves the database as it is; it cannot go with --sync or --path.")
        }
    }

    /// Creates the command; ArgumentParser calls this when it parses a command line.
    package init() {}

    /// Runs the server (in `agentlog-server`, see ``ServerHalf``).
    package func run() async throws {
        try await ServerExecutable.half().serve(self)
    }
}
