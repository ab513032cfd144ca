import AgentLogDatabase
import AgentLogJSON
import GRDB

/// One line of the application log: what the server (or an app) did, with its level.
public struct AppLogEntry: Sendable, Equatable {
    /// How much it matters.
    public enum Level: String, Sendable, CaseIterable, Comparable {
        case debug, info, warning, error

        /// debug < info < warning < error.
        public static func < (lhs: Level, rhs: Level) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Its row id: the position to read on from.
    public var id: Int64
    /// When, ms since 1970.
    public var at: Int64
    /// How much it matters.
    public var level: Level
    /// What wrote it (`serve`, `auth`, `sync`, an app's own name).
    public var component: String
    /// One sentence.
    public var message: String
    /// Details as JSON, if any.
    public var data: String?
}

extension AgentLogStore {
    /// Appends a line to the application log; `data`, when given, must be JSON.
    @discardableResult
    public func log(_ level: AppLogEntry.Level, component: String, _ message: String, data: String? = nil,
                    at time: Int64 = AgentLogStore.now()) async throws(StoreError) -> AppLogEntry {
        if let data, !JSONScanner.isDocument(data) {
            throw StoreError.invalidValue(what: "log data", reason: "it is not JSON")
        }
        let id: Int64 = try await write { db in
            try db.execute(sql: "INSERT INTO app_log (at, level, component, message, data) VALUES (?, ?, ?, ?, ?)",
                           arguments: [time, level.rawValue, component, message, data])
            return db.lastInsertedRowID
        }
        return AppLogEntry(id: id, at: time, level: level, component: component, message: message, data: data)
    }

    /// Log lines after `after` (an entry id), at `level` or above, of `component` if given;
    /// the latest `limit`, oldest first.
    public func logs(after: Int64? = nil, level: AppLogEntry.Level = .debug, component: String? = nil,
                     limit: Int = 200) async throws(StoreError) -> [AppLogEntry] {
        let levels = AppLogEntry.Level.allCases.filter { $0 >= level }.map(\.rawValue)
        return try await read { db in
            var sql = "SELECT id, at, level, component, message, data FROM app_log WHERE level IN (\(levels.map { _ in "?" }.joined(separator: ",")))"
            var arguments: [any DatabaseValueConvertible] = levels
            if let after {
                sql += " AND id > ?"
                arguments.append(after)
            }
            if let component {
                sql += " AND component = ?"
                arguments.append(component)
            }
            sql += " ORDER BY id DESC LIMIT ?"
            arguments.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).reversed().map { row in
                AppLogEntry(id: row[0], at: row[1], level: AppLogEntry.Level(rawValue: row[2]) ?? .info, component: row[3], message: row[4], data: row[5])
            }
        }
    }
}
