import AgentLogJSON
import AgentLogStore

/// The tools agents coordinate through. They write with the same store calls as the hooks and
/// `agentlog note`, so hooks, the CLI, the dashboard and MCP see one state. `check_claims`
/// only reads and is offered with `--read-only` too.
enum CoordinationTools {
    static let all: [ToolDefinition] = [noteFailedPath, claimFiles, releaseFiles, checkClaims, noteVerdict]

    static let noteFailedPath = ToolDefinition(
        name: "note_failed_path", title: "Note an approach that failed",
        description: "Remember an approach that did not work, so this and later sessions of the project are told (after a compaction or a resume, and by get_failed_paths).",
        arguments: [ToolArgument(name: "approach", kind: .text(maxLength: 2000), description: "What was tried.", required: true),
                    ToolArgument(name: "reason", kind: .text(maxLength: 2000), description: "Why it failed.", required: true),
                    ToolArgument(name: "file", kind: .text(maxLength: 4096), description: "The file it was about."),
                    ToolArgument(name: "project", kind: .text(maxLength: 4096), description: "The project folder (default: the server's working directory)."),
                    ToolArgument(name: "session", kind: .text(maxLength: 200), description: "The session it belongs to (default: the server's).")],
        output: OutputSchemas.note, writes: true
    ) { arguments, context in
        let note = FailedPath(session: arguments.string("session") ?? context.defaultSession,
                              project: context.absolute(arguments.string("project") ?? context.workingDirectory),
                              approach: arguments.string("approach") ?? "", reason: arguments.string("reason") ?? "",
                              file: arguments.string("file").map(context.absolute))
        try await context.blocking { try context.store.addFailedPath(note) }
        return try JSONOutput.document(NotedFailedPath(note))
    }

    static let claimFiles = ToolDefinition(
        name: "claim_files", title: "Claim files before editing",
        description: """
            Announce that you are about to edit these files, for ttl_seconds. Files another running agent holds are not \
            claimed and come back as conflicts: coordinate before editing them. Other agents' check_claims and their \
            PreToolUse hook (agentlog hooks install --guard-claims) see your claim until it expires or you release it.
            """,
        arguments: [ToolArgument(name: "paths", kind: .texts(maxItems: 100), description: "The files (relative to the working directory, or absolute).", required: true),
                    ToolArgument(name: "ttl_seconds", kind: .integer(1...86_400), description: "How long the claim holds (default 1800)."),
                    ToolArgument(name: "intent", kind: .text(maxLength: 500), description: "What you are about to do, for the others."),
                    ToolArgument(name: "project", kind: .text(maxLength: 4096), description: "The project folder (default: the working directory).")]
            + ToolArgument.holder,
        output: OutputSchemas.claim, writes: true
    ) { arguments, context in
        let paths = (arguments.strings("paths") ?? []).map(context.absolute)
        let holder = holder(arguments, context)
        let project = context.absolute(arguments.string("project") ?? context.workingDirectory)
        let intent = arguments.string("intent")
        let ttl = arguments.int("ttl_seconds", default: 1800)
        return try JSONOutput.document(try await context.blocking {
            try context.store.claimFiles(paths, by: holder, project: project, intent: intent, ttlSeconds: ttl)
        })
    }

    static let releaseFiles = ToolDefinition(
        name: "release_files", title: "Release claimed files",
        description: "End your claims on these files (all of your claims without paths), when you are done editing them.",
        arguments: [ToolArgument(name: "paths", kind: .texts(maxItems: 1000), description: "The files; without it, every claim of yours.")]
            + ToolArgument.holder,
        output: OutputSchemas.release, writes: true
    ) { arguments, context in
        let paths = arguments.strings("paths")?.map(context.absolute)
        let holder = holder(arguments, context)
        return try JSONOutput.document(ReleaseOutcome(released: try await context.blocking {
            try context.store.releaseFiles(paths, by: holder)
        }))
    }

    static let checkClaims = ToolDefinition(
        name: "check_claims", title: "Would editing these files step on another agent?",
        description: "Other agents' claims that hold on these files: announced and not expired, or written in the last 30 minutes by an agent still running. free is true when there are none.",
        arguments: [ToolArgument(name: "paths", kind: .texts(maxItems: 1000), description: "The files (relative to the working directory, or absolute).", required: true)]
            + ToolArgument.holder,
        output: OutputSchemas.claimCheck, writes: false
    ) { arguments, context in
        let paths = (arguments.strings("paths") ?? []).map(context.absolute)
        let holder = holder(arguments, context)
        return try JSONOutput.document(ClaimCheck(paths: paths, conflicts: try await context.blocking {
            try context.store.checkClaims(paths, by: holder)
        }))
    }

    static let noteVerdict = ToolDefinition(
        name: "note_verdict", title: "Record a verdict",
        description: "Record a decision about a session's work (e.g. a reviewer's approve or block, with the reason); it joins the session's event log.",
        arguments: [ToolArgument(name: "decision", kind: .choice(["approve", "block", "allow", "deny"]), description: "The decision.", required: true),
                    ToolArgument(name: "reason", kind: .text(maxLength: 4000), description: "Why."),
                    ToolArgument(name: "session", kind: .text(maxLength: 200), description: "The session it is about (default: the server's).")],
        output: OutputSchemas.verdict, writes: true
    ) { arguments, context in
        let session = arguments.string("session") ?? context.defaultSession
        let decision = arguments.string("decision") ?? ""
        let reason = arguments.string("reason")
        return try JSONOutput.document(NotedVerdict(try await context.blocking {
            try context.store.noteVerdict(session: session, decision: decision, reason: reason)
        }))
    }

    private static func holder(_ arguments: ToolArguments, _ context: ToolContext) -> ClaimHolder {
        ClaimHolder(session: arguments.string("session") ?? context.defaultSession, agentId: arguments.string("agent_id") ?? "")
    }
}
