import AgentLogJSON
import AgentLogSQLite
import Foundation
import GRDB

/// What ``AgentLogStore/exportJSONL(includeArchive:write:)`` wrote.
public struct ExportSummary: Sendable, Equatable {
    /// Rows written, by table, in the order written.
    public var rows: [(table: String, count: Int)] = []
    /// Bytes written.
    public var bytes: Int64 = 0

    /// Summaries are equal when they counted the same rows and bytes.
    public static func == (lhs: ExportSummary, rhs: ExportSummary) -> Bool {
        lhs.bytes == rhs.bytes && lhs.rows.map(\.table) == rhs.rows.map(\.table) && lhs.rows.map(\.count) == rhs.rows.map(\.count)
    }
}

extension AgentLogStore {
    /// The schema of a JSON Lines export.
    public static let exportSchema = "agentlog.export.v1"

    /// The tables an export holds: every table of the schema but SQLite's own, the migration
    /// ledger (the header lists the migrations) and the full-text indexes with their shadow
    /// tables (derived from `messages` and `tool_calls`; `agentlog db reindex` makes them again).
    static func exportedTables(_ db: Database) throws -> [String] {
        let virtual = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
        return try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rootpage").filter { name in
            !name.hasPrefix("sqlite_") && name != Schema.ledgerTable && !virtual.contains { name == $0 || name.hasPrefix($0 + "_") }
        }
    }

    /// Writes every table as JSON Lines, from one consistent snapshot, in pieces of about 1 MB
    /// handed to `write`:
    ///
    /// - the first line is the header: `{"schema":"agentlog.export.v1","exportedAt":…,
    ///   "migrations":[…],"tables":[{"name":…,"columns":[…]},…]}`;
    /// - then one line per row, `{"table":"sessions","row":{"id":1,…}}`, values as stored:
    ///   integers and reals as numbers, text as strings, NULL as null, and a blob as
    ///   `{"base64":"…"}`;
    /// - the last line is `{"end":true,"rows":N}`, so a cut-off export is told from a whole one.
    ///
    /// With `includeArchive: false` the archive's compressed bytes are left out (its rows keep
    /// their other columns, `data` is null). `progress` gets (tables written, tables).
    public func exportJSONL(includeArchive: Bool = true, progress: ((Int, Int) -> Void)? = nil,
                            write: ([UInt8]) throws -> Void) throws(StoreError) -> ExportSummary {
        try read { db in
            var summary = ExportSummary()
            var buffer: [UInt8] = []
            buffer.reserveCapacity(1 << 21)
            func flush(force: Bool) throws {
                guard force || buffer.count >= 1 << 20 else { return }
                try write(buffer)
                summary.bytes += Int64(buffer.count)
                buffer.removeAll(keepingCapacity: true)
            }
            let tables = try Self.exportedTables(db)
            let columns = try tables.map { table in try db.columns(in: table).map(\.name) }
            let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM \(Schema.ledgerTable)")
            let known = Schema.migrations.map(\.name)
            let header = JSONOutput.object([
                ("schema", .string(Self.exportSchema)), ("exportedAt", .int(Self.now())),
                ("migrations", .array(migrations.sorted { (known.firstIndex(of: $0) ?? .max) < (known.firstIndex(of: $1) ?? .max) }.map { .string($0) })),
                ("tables", .array(zip(tables, columns).map { .object([("name", .string($0)), ("columns", .array($1.map { .string($0) }))]) })),
            ])
            buffer += header.utf8(indent: nil)
            buffer.append(0x0A)
            var total = 0
            for (table, names) in zip(tables, columns) {
                let prefix = Array("{\"table\":\(JSONOutput.quoted(table)),\"row\":{".utf8)
                let keys = names.map { Array("\(JSONOutput.quoted($0)):".utf8) }
                let skipData = !includeArchive && table == "archive_chunks"
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \"\(table)\"")
                var count = 0
                while let row = try rows.next() {
                    buffer += prefix
                    for index in 0..<names.count {
                        if index > 0 { buffer.append(0x2C) }
                        buffer += keys[index]
                        let value: DatabaseValue = skipData && names[index] == "data" ? .null : row[index]
                        Self.appendJSON(value, to: &buffer)
                    }
                    buffer += [0x7D, 0x7D, 0x0A]
                    count += 1
                    try flush(force: false)
                }
                summary.rows.append((table, count))
                total += count
                progress?(summary.rows.count, tables.count)
            }
            buffer += Array("{\"end\":true,\"rows\":\(total)}\n".utf8)
            try flush(force: true)
            return summary
        }
    }

    /// Appends a stored value as JSON.
    private static func appendJSON(_ value: DatabaseValue, to buffer: inout [UInt8]) {
        switch value.storage {
        case .null: buffer += Array("null".utf8)
        case .int64(let number): buffer += Array(String(number).utf8)
        case .double(let number): buffer += Array((number.isFinite ? "\(number)" : "null").utf8)
        case .string(let text): buffer += Array(JSONOutput.quoted(text).utf8)
        case .blob(let data): buffer += Array("{\"base64\":\"\(data.base64EncodedString())\"}".utf8)
        }
    }
}
