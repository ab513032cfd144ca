import AgentLogSQLite
import AgentLogTestSupport
import Foundation
import Testing

@Suite("The SQLite layer")
struct SQLiteLayerTests {
    @Test("a new file gets the whole schema in WAL mode, recorded in the ledger; an existing one is left alone")
    func createSchemaIfNew() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/new.db"
        let db = try SQLiteConnection(path: path, busyMilliseconds: 1_000, create: true)
        #expect(try db.appliedMigrations().isEmpty)
        #expect(try db.createSchemaIfNew())
        #expect(try db.appliedMigrations() == Set(Schema.migrations.map(\.name)))
        #expect(try !db.createSchemaIfNew())
        let mode = try db.statement("PRAGMA journal_mode")
        #expect(try mode.step() && mode.text(0) == "wal")
        mode.reset()
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
    }

    @Test("a missing file is an error naming it unless asked to create it")
    func missingFile() throws {
        let folder = try TemporaryFolder()
        #expect(throws: SQLiteError.self) { try SQLiteConnection(path: folder.path + "/none.db", busyMilliseconds: 100) }
        do {
            _ = try SQLiteConnection(path: folder.path + "/no/such/folder/x.db", busyMilliseconds: 100, create: true)
            Issue.record("a file in a missing folder was opened")
        } catch {
            #expect(error.description.contains("/no/such/folder/x.db"))
        }
    }

    @Test("statements bind and read every kind of value, and report SQLite's errors")
    func statements() throws {
        let folder = try TemporaryFolder()
        let db = try SQLiteConnection(path: folder.path + "/t.db", busyMilliseconds: 1_000, create: true)
        try db.execute("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, n INTEGER)")
        let insert = try db.statement("INSERT INTO t VALUES (?, ?, ?, ?)")
        insert.bind(1, Int64.max)
        insert.bind(2, "héllo\u{0}world")
        [UInt8]([1, 2, 3]).withUnsafeBytes { insert.bind(3, blob: $0) }
        insert.bind(4, Int64?.none)
        #expect(try insert.run())
        let select = try db.statement("SELECT i, s, b, n FROM t")
        let row = try select.runReturning { ($0.int64(0), $0.text(1), $0.bytes(2), $0.isNull(3)) }
        #expect(row?.0 == Int64.max && row?.1 == "héllo\u{0}world" && row?.2 == [1, 2, 3] && row?.3 == true)
        #expect(throws: SQLiteError.self) { try db.statement("SELECT nope FROM t") }
        #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO missing VALUES (1)") }
    }

    @Test("the event insert numbers each session's events 1, 2, … and binds every column")
    func sharedEventInsert() throws {
        let folder = try TemporaryFolder()
        let db = try SQLiteConnection(path: folder.path + "/e.db", busyMilliseconds: 1_000, create: true)
        try db.createSchemaIfNew()
        var seqs: [Int64] = []
        for session in ["a", "a", "b", "a"] {
            let insert = try db.statement(SharedStatements.insertEvent)
            SharedStatements.bindEvent(insert, session: session, channel: "test", type: "T", timestamp: 1, payload: Array("{}".utf8),
                                       payloadHash: 7, toolUseId: "t1")
            seqs.append(try insert.runReturning { $0.int64(1) }!!)
        }
        #expect(seqs == [1, 2, 1, 3])
        #expect(SharedStatements.projectName(ofDirectory: "/work/billing/") == "billing")
        #expect(SharedStatements.projectName(ofDirectory: #"C:\src\app"#) == "app")
    }

    @Test("the database location: --db, then $AGENTLOG_DB, then ~/.agentlog/agentlog.db; ~ and relative paths resolved")
    func location() {
        let environment = ["HOME": "/home/ana", "AGENTLOG_DB": "~/x.db"]
        func resolve(_ explicit: String?, _ environment: [String: String]) -> String {
            DatabaseLocation.resolve(explicit: explicit, environment: { environment[$0] }, currentDirectory: "/work")
        }
        #expect(resolve("a.db", environment) == "/work/a.db")
        #expect(resolve("/abs.db", environment) == "/abs.db")
        #expect(resolve(nil, environment) == "/home/ana/x.db")
        #expect(resolve(nil, ["HOME": "/home/ana"]) == "/home/ana/.agentlog/agentlog.db")
        #expect(resolve(nil, ["HOME": "/home/ana", "AGENTLOG_DB": ""]) == "/home/ana/.agentlog/agentlog.db")
        #expect(DatabaseLocation.absolute("", environment: { environment[$0] }, currentDirectory: "/work") == "/work/")
        #expect(DatabaseLocation.absolute("~/p.json", environment: { environment[$0] }, currentDirectory: "/work") == "/home/ana/p.json")
    }
}
