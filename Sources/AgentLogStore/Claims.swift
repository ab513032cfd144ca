import AgentLogDatabase
import AgentLogSQLite
import GRDB

/// Who is asking about claims: an agent's session and, for a subagent, its id.
public struct ClaimHolder: Sendable, Equatable {
    /// The agent's session id.
    public var session: String
    /// The subagent's id, or empty for a session's main agent.
    public var agentId: String

    /// The holder `session` / `agentId`.
    public init(session: String, agentId: String = "") {
        self.session = session
        self.agentId = agentId
    }
}

/// Another agent's claim that holds on a file: what `check_claims` and the hook's
/// `--guard-claims` warn about.
public struct ClaimConflict: Sendable, Equatable {
    /// The file.
    public var path: String
    /// The agent holding it.
    public var holder: ClaimHolder
    /// Its type as the hook reported it, if known.
    public var agentType: String?
    /// Its working directory.
    public var project: String?
    /// `claim` for an announced claim not yet written, else the last tool that wrote the file.
    public var tool: String
    /// Its last write or claim, ms since 1970.
    public var lastAt: Int64
    /// Until when an announced claim holds; nil for one made by writing.
    public var expiresAt: Int64?
    /// What the holder said it is about to do.
    public var intent: String?
}

extension AgentLogStore {
    /// Announces that `holder` is about to edit `paths` (absolute paths), for `ttlSeconds`: each
    /// path no other agent holds is claimed (a claim of the holder's own is renewed); the others
    /// are answered as conflicts and not claimed.
    public func claimFiles(_ paths: [String], by holder: ClaimHolder, project: String?, intent: String?, ttlSeconds: Int,
                           windowMs: Int64 = 30 * 60 * 1000, now: Int64 = AgentLogStore.now()) throws(StoreError) -> ClaimOutcome {
        let expiresAt = now + Int64(ttlSeconds) * 1000
        return try write { db in
            var outcome = ClaimOutcome(claimed: [], conflicts: [], expiresAt: expiresAt)
            for path in Self.unique(paths) {
                let holding = try Self.claimsHolding(db, path: path, against: holder, now: now, windowMs: windowMs)
                guard holding.isEmpty else {
                    outcome.conflicts += holding
                    continue
                }
                try db.execute(sql: """
                    INSERT INTO file_claims (session_id, agent_id, path, project, tool, first_at, last_at, writes, expires_at, intent)
                    VALUES (?1, ?2, ?3, ?4, 'claim', ?5, ?5, 0, ?6, ?7)
                    ON CONFLICT (session_id, agent_id, path) DO UPDATE SET last_at = max(last_at, excluded.last_at),
                        expires_at = excluded.expires_at, intent = COALESCE(excluded.intent, intent),
                        project = COALESCE(project, excluded.project)
                    """, arguments: [holder.session, holder.agentId, path, project, now, expiresAt, intent])
                outcome.claimed.append(path)
            }
            return outcome
        }
    }

    /// Ends `holder`'s claims on `paths` (all of its claims when nil), announced or made by
    /// writing; returns how many held until now.
    public func releaseFiles(_ paths: [String]?, by holder: ClaimHolder, now: Int64 = AgentLogStore.now()) throws(StoreError) -> Int {
        try write { db in
            var sql = """
                UPDATE file_claims SET expires_at = ?3
                WHERE session_id = ?1 AND agent_id = ?2 AND (expires_at IS NULL OR expires_at > ?3)
                """
            var arguments: [any DatabaseValueConvertible] = [holder.session, holder.agentId, now]
            if let paths {
                let unique = Self.unique(paths)
                guard !unique.isEmpty else { return 0 }
                sql += " AND path IN (\(unique.map { _ in "?" }.joined(separator: ", ")))"
                arguments += unique as [any DatabaseValueConvertible]
            }
            try db.execute(sql: sql, arguments: StatementArguments(arguments))
            return db.changesCount
        }
    }

    /// Other agents' claims that hold on `paths`: would `holder` editing them step on another
    /// running agent? (The hook's `--guard-claims` asks the same, through the same statement.)
    public func checkClaims(_ paths: [String], by holder: ClaimHolder, windowMs: Int64 = 30 * 60 * 1000,
                            now: Int64 = AgentLogStore.now()) throws(StoreError) -> [ClaimConflict] {
        try read { db in
            try Self.unique(paths).flatMap { try Self.claimsHolding(db, path: $0, against: holder, now: now, windowMs: windowMs) }
        }
    }

    private static func claimsHolding(_ db: Database, path: String, against holder: ClaimHolder, now: Int64,
                                      windowMs: Int64) throws -> [ClaimConflict] {
        try Row.fetchAll(db, sql: SharedStatements.claimsHoldingFile,
                         arguments: [path, holder.session, holder.agentId, now, now - windowMs]).map {
            let type: String = $0[2]
            return ClaimConflict(path: $0[3], holder: ClaimHolder(session: $0[0], agentId: $0[1]), agentType: type.isEmpty ? nil : type,
                                 project: $0[4], tool: $0[5], lastAt: $0[6], expiresAt: $0[7], intent: $0[8])
        }
    }

    private static func unique(_ paths: [String]) -> [String] {
        var seen: Set<String> = []
        return paths.filter { seen.insert($0).inserted }
    }
}
