// swift-tools-version:6.0
import PackageDescription

// The modules and their arrows are described in ARCHITECTURE.md.
let package = Package(
    name: "agentlog",
    platforms: [.macOS(.v14)],
    products: [
        // The embeddable library: the database handle plus the app API (projects, runs, jobs,
        // app sessions, events, settings).
        .library(name: "AgentLogStore", targets: ["AgentLogStore"]),
        .library(name: "AgentLogHistory", targets: ["AgentLogHistory"]),
        .library(name: "AgentLogIngest", targets: ["AgentLogIngest"]),
        .library(name: "AgentLogSync", targets: ["AgentLogSync"]),
        .library(name: "AgentLogHooks", targets: ["AgentLogHooks"]),
        .executable(name: "agentlog", targets: ["agentlog"]),
        .executable(name: "agentlog-hook", targets: ["agentlog-hook"]),
        .executable(name: "agentlog-statusline", targets: ["agentlog-statusline"]),
        .executable(name: "agentlog-server", targets: ["agentlog-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // zlib, for the compressed lossless archive of source files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // The validating JSON scanner, without Foundation (the hook executable starts in ~3 ms).
        .target(name: "AgentLogJSON"),
        // The small SQLite layer, without Foundation or GRDB: a connection and statements over the
        // C API, the schema's SQL and migration names, statements several writers share, the
        // database location rule and connection settings. Used by the hook and by the database.
        .target(name: "AgentLogSQLite", dependencies: ["CSQLiteConfig", .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // sqlite3_db_config, which is variadic in C and cannot be called from Swift.
        .target(name: "CSQLiteConfig", dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // Processes: who is alive (pid and start time), and a child run with its signals passed on.
        .target(name: "CSignalForwarding"),
        .target(name: "AgentLogProcess", dependencies: ["CSignalForwarding"]),
        // Prices and token counts, without Foundation: the built-in list prices, the user's price
        // file, exact costs. Shared by the reports and the statusline.
        .target(name: "AgentLogPricing", dependencies: ["AgentLogJSON"]),
        // Pure parsers: bytes in, plain values out. No database, no file system writes.
        .target(name: "AgentLogIngest", dependencies: ["AgentLogJSON", "AgentLogPricing"]),
        // Secrets found and masked in text before it is stored: pure, no Foundation, no dependencies.
        .target(name: "AgentLogRedaction"),
        // The database handle (GRDB): open, configure, migrate, back up, checkpoint.
        .target(name: "AgentLogDatabase", dependencies: [
            "AgentLogSQLite", "AgentLogJSON", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The synced transcript history: the writer's fast path, queries, search, archive, reports.
        .target(name: "AgentLogHistory", dependencies: [
            "AgentLogDatabase", "AgentLogSQLite", "AgentLogIngest", "AgentLogJSON", "AgentLogRedaction", "CZlib",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The app library: projects, runs, jobs, app sessions, events and coordination, settings.
        .target(name: "AgentLogStore", dependencies: [
            "AgentLogDatabase", "AgentLogSQLite", "AgentLogJSON", "AgentLogIngest", "AgentLogProcess",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // Claude Code hook payloads: decoded, recorded and answered through the SQLite layer, with
        // no Foundation and no GRDB, so that the `agentlog-hook` process starts and ends in a few ms.
        .target(name: "AgentLogHooks", dependencies: ["AgentLogJSON", "AgentLogSQLite", "AgentLogSpend", "AgentLogPricing", "AgentLogRedaction"]),
        .executableTarget(name: "agentlog-hook", dependencies: ["AgentLogHooks"]),
        // What was spent and against which budget, from the rollups through the SQLite layer (no
        // Foundation, no GRDB): the statusline, the hook's budget warning and `budget status`.
        .target(name: "AgentLogSpend", dependencies: ["AgentLogSQLite", "AgentLogPricing", "AgentLogJSON", "AgentLogIngest"]),
        // Claude Code's statusline: its payload stored, one line printed, in a few milliseconds.
        .target(name: "AgentLogStatusline", dependencies: ["AgentLogSpend", "AgentLogSQLite", "AgentLogPricing", "AgentLogJSON", "AgentLogIngest"]),
        .executableTarget(name: "agentlog-statusline", dependencies: ["AgentLogStatusline"]),
        // One service: finds source files, reads only what is new, hands records to the history,
        // and replays the hook spool.
        .target(name: "AgentLogSync", dependencies: ["AgentLogJSON", "AgentLogIngest", "AgentLogDatabase", "AgentLogHistory", "AgentLogHooks"]),
        // `agentlog mcp`: agents read their history and coordinate through the Model Context Protocol.
        .target(name: "AgentLogMCP", dependencies: [
            "AgentLogHistory", "AgentLogStore", "AgentLogIngest", "AgentLogJSON", .product(name: "MCP", package: "swift-sdk"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `agentlog serve`: the JSON API over the same queries and result types (Hummingbird 2).
        .target(name: "AgentLogServer", dependencies: [
            "AgentLogHistory", "AgentLogStore", "AgentLogIngest", "AgentLogJSON", "AgentLogSQLite", "AgentLogMCP", "AgentLogSpend",
            "AgentLogOTLP", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Mustache", package: "swift-mustache"), .product(name: "MCP", package: "swift-sdk"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        ], resources: [.embedInCode("openapi.json")]
            + ["layout", "overview", "sessions", "sessionTable", "session", "entries", "search", "projects", "agents", "settings", "error", "pair", "login"]
                .map { .embedInCode("Templates/\($0).mustache") }
            + ["app.css", "app.js", "favicon.svg"].map { .embedInCode("Assets/\($0)") }),
        // OTLP/HTTP export requests (JSON or protobuf, gzip or not) decoded into Claude Code's
        // telemetry events and metric points; the protobuf code is generated from Protos/otlp.proto.
        .target(name: "AgentLogOTLP", dependencies: [
            "AgentLogIngest", "AgentLogJSON", "CZlib", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        // The demo history: a realistic multi-project Claude Code history written to a folder.
        .target(name: "AgentLogDemo", dependencies: ["AgentLogJSON"]),
        .target(name: "AgentLogCLI", dependencies: [
            "AgentLogIngest", "AgentLogHistory", "AgentLogStore", "AgentLogSync", "AgentLogHooks", "AgentLogProcess",
            "AgentLogDemo", "AgentLogSQLite", "AgentLogDatabase", "AgentLogSpend", "AgentLogStatusline",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "agentlog", dependencies: ["AgentLogCLI"]),
        // What serve, mcp and auth user do once parsed (`ServerHalf`): Hummingbird's server, the MCP
        // SDK and bcrypt, in an executable of their own, so that `agentlog` does not load
        // FoundationNetworking (the MCP SDK's HTTP client) at every start.
        .target(name: "AgentLogServerCLI", dependencies: [
            "AgentLogCLI", "AgentLogServer", "AgentLogMCP", "AgentLogOTLP", "AgentLogStore", "AgentLogSync", "AgentLogDatabase",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "agentlog-server", dependencies: ["AgentLogCLI", "AgentLogServerCLI"]),
        // An app embedding the library: it works, crashes on purpose, and recovers on restart.
        .executableTarget(name: "agentlog-example", dependencies: ["AgentLogStore", "AgentLogProcess"], path: "Examples/JobRecorder"),
        .executableTarget(name: "agentlog-bench",
                          dependencies: ["AgentLogJSON", "AgentLogIngest", "AgentLogHistory", "AgentLogStore", "AgentLogSync", "AgentLogDemo"],
                          path: "Benchmarks/agentlog-bench"),
        // Shared by the test targets: where the corpus is, temporary folders, independent totals.
        .target(name: "AgentLogTestSupport", dependencies: ["AgentLogDatabase", "AgentLogHistory", "AgentLogIngest", "AgentLogSync", "AgentLogDemo",
                                                            "AgentLogOTLP"],
                path: "Tests/AgentLogTestSupport"),
        .testTarget(name: "AgentLogJSONTests", dependencies: ["AgentLogJSON"]),
        .testTarget(name: "AgentLogSQLiteTests", dependencies: ["AgentLogSQLite", "AgentLogTestSupport"]),
        .testTarget(name: "AgentLogIngestTests", dependencies: ["AgentLogIngest", "AgentLogJSON"]),
        .testTarget(name: "AgentLogDatabaseTests", dependencies: ["AgentLogDatabase", "AgentLogSQLite", "AgentLogHistory", "AgentLogSync",
                                                                  "AgentLogIngest", "AgentLogTestSupport"]),
        // Mutation fuzzing of every parser and the search builder (Scripts/fuzz.py runs it).
        .executableTarget(name: "agentlog-fuzz", dependencies: [
            "AgentLogCLI", "AgentLogHistory", "AgentLogHooks", "AgentLogIngest", "AgentLogPricing", "AgentLogRedaction",
            "AgentLogSQLite", "AgentLogStatusline", "AgentLogJSON",
        ], path: "Fuzz/agentlog-fuzz"),
        // An app that embeds the library, killed and starved by Scripts/fault-check.py.
        .executableTarget(name: "agentlog-app-probe", dependencies: ["AgentLogStore"], path: "Fuzz/agentlog-app-probe"),
        .testTarget(name: "AgentLogRedactionTests", dependencies: ["AgentLogRedaction", "AgentLogJSON"]),
        .testTarget(name: "AgentLogHistoryTests", dependencies: ["AgentLogHistory", "AgentLogDatabase", "AgentLogIngest",
                                                                 "AgentLogTestSupport"]),
        .testTarget(name: "AgentLogStoreTests", dependencies: ["AgentLogStore", "AgentLogHistory", "AgentLogIngest", "AgentLogProcess",
                                                               "AgentLogTestSupport"]),
        .testTarget(name: "AgentLogSyncTests", dependencies: ["AgentLogSync", "AgentLogHistory", "AgentLogStore", "AgentLogIngest",
                                                              "AgentLogSQLite", "AgentLogJSON", "AgentLogTestSupport"],
                    exclude: ["codex_expected.py", "gemini_expected.py"]),
        .testTarget(name: "AgentLogHooksTests", dependencies: ["AgentLogHooks", "AgentLogJSON", "AgentLogSQLite", "AgentLogStore",
                                                               "AgentLogHistory", "AgentLogTestSupport"]),
        .testTarget(name: "AgentLogStatuslineTests", dependencies: ["AgentLogStatusline", "AgentLogSpend", "AgentLogHistory", "AgentLogHooks",
                                                                    "AgentLogSync", "AgentLogIngest", "AgentLogSQLite", "AgentLogDatabase",
                                                                    "AgentLogTestSupport"]),
        .testTarget(name: "AgentLogServerTests", dependencies: [
            "AgentLogServer", "AgentLogHistory", "AgentLogStore", "AgentLogSync", "AgentLogDemo", "AgentLogJSON", "AgentLogTestSupport",
            "AgentLogSpend", "AgentLogSQLite", "AgentLogIngest", "AgentLogOTLP",
            .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .testTarget(name: "AgentLogOTLPTests", dependencies: ["AgentLogOTLP", "AgentLogIngest", "AgentLogTestSupport"]),
        .testTarget(name: "AgentLogMCPTests", dependencies: [
            "AgentLogMCP", "AgentLogHistory", "AgentLogStore", "AgentLogSync", "AgentLogDemo", "AgentLogJSON", "AgentLogTestSupport",
            .product(name: "MCP", package: "swift-sdk"),
        ]),
        .testTarget(name: "AgentLogCLITests", dependencies: ["AgentLogCLI", "AgentLogJSON", "AgentLogHistory", "AgentLogStore", "AgentLogIngest",
                                                             "AgentLogSync", "AgentLogDemo", "AgentLogServer", "AgentLogServerCLI", "AgentLogTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
