// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "agentlog",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "AgentLogStore", targets: ["AgentLogStore"]),
        .library(name: "AgentLogIngest", targets: ["AgentLogIngest"]),
        .library(name: "AgentLogSync", targets: ["AgentLogSync"]),
        .library(name: "AgentLogHooks", targets: ["AgentLogHooks"]),
        .executable(name: "agentlog", targets: ["agentlog"]),
        .executable(name: "agentlog-hook", targets: ["agentlog-hook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // zlib, for the compressed lossless archive of source files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // The validating JSON scanner, without Foundation (the hook executable starts in ~3 ms).
        .target(name: "AgentLogJSON"),
        // Processes: who is alive (pid and start time), and a child run with its signals passed on.
        .target(name: "CSignalForwarding"),
        .target(name: "AgentLogProcess", dependencies: ["CSignalForwarding"]),
        // Pure parsers: bytes in, plain values out. No database, no file system writes.
        .target(name: "AgentLogIngest", dependencies: ["AgentLogJSON"]),
        // The only target that imports GRDB: schema, migrations, writes and queries.
        .target(name: "AgentLogStore", dependencies: [
            "AgentLogIngest", "AgentLogJSON", "AgentLogProcess", "CZlib",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // Claude Code hook payloads: decoded, recorded and answered through SQLite's C API, with no
        // Foundation and no GRDB, so that the `agentlog-hook` process starts and ends in a few ms.
        .target(name: "AgentLogHooks", dependencies: [
            "AgentLogJSON", .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .executableTarget(name: "agentlog-hook", dependencies: ["AgentLogHooks"]),
        // Finds source files, reads only what is new, parses and hands records to the store.
        .target(name: "AgentLogSync", dependencies: ["AgentLogJSON", "AgentLogIngest", "AgentLogStore"]),
        .target(name: "AgentLogCLI", dependencies: [
            "AgentLogIngest", "AgentLogStore", "AgentLogSync", "AgentLogHooks", "AgentLogProcess",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "agentlog", dependencies: ["AgentLogCLI"]),
        // An app embedding the library: it works, crashes on purpose, and recovers on restart.
        .executableTarget(name: "agentlog-example", dependencies: ["AgentLogStore", "AgentLogProcess"], path: "Examples/JobRecorder"),
        .executableTarget(name: "agentlog-bench", dependencies: ["AgentLogJSON", "AgentLogIngest", "AgentLogStore", "AgentLogSync"],
                          path: "Benchmarks/agentlog-bench"),
        // Shared by the test targets: where the corpus is, temporary folders, independent totals.
        .target(name: "AgentLogTestSupport", path: "Tests/AgentLogTestSupport"),
        .testTarget(name: "AgentLogIngestTests", dependencies: ["AgentLogIngest", "AgentLogJSON"]),
        .testTarget(name: "AgentLogStoreTests", dependencies: ["AgentLogStore", "AgentLogIngest", "AgentLogProcess", "AgentLogTestSupport"]),
        .testTarget(name: "AgentLogSyncTests", dependencies: ["AgentLogSync", "AgentLogStore", "AgentLogIngest", "AgentLogTestSupport"],
                    exclude: ["codex_expected.py", "gemini_expected.py"]),
        .testTarget(name: "AgentLogHooksTests", dependencies: ["AgentLogHooks", "AgentLogJSON", "AgentLogStore", "AgentLogTestSupport"]),
        .testTarget(name: "AgentLogCLITests", dependencies: ["AgentLogCLI", "AgentLogStore", "AgentLogIngest", "AgentLogSync",
                                                             "AgentLogTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
