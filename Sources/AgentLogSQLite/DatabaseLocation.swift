#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the database is: the one rule every agentlog process follows — the `--db` argument,
/// then `$AGENTLOG_DB`, then `~/.agentlog/agentlog.db` — with `~/` expanded and a relative
/// path taken from the current directory.
public enum DatabaseLocation {
    /// The environment variable that names the database.
    public static let environmentVariable = "AGENTLOG_DB"
    /// The default database, under `$HOME`.
    public static let defaultRelativePath = ".agentlog/agentlog.db"

    /// The database path for an explicit `--db` value (or none), looking variables up in
    /// `environment` and resolving relative paths against `currentDirectory`.
    public static func resolve(explicit: String?, environment: (String) -> String?, currentDirectory: String) -> String {
        if let explicit, !explicit.isEmpty { return absolute(explicit, environment: environment, currentDirectory: currentDirectory) }
        if let configured = environment(environmentVariable), !configured.isEmpty {
            return absolute(configured, environment: environment, currentDirectory: currentDirectory)
        }
        let home = home(environment)
        return (home.hasSuffix("/") ? home : home + "/") + defaultRelativePath
    }

    /// Any path as agentlog takes it: `~/` expanded with `$HOME`, a relative path taken from
    /// `currentDirectory` (an empty path is the folder itself, never a default file).
    public static func absolute(_ path: String, environment: (String) -> String?, currentDirectory: String) -> String {
        let home = home(environment)
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        if path.hasPrefix("/") { return path }
        return (currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/") + path
    }

    private static func home(_ environment: (String) -> String?) -> String {
        environment("HOME").flatMap { $0.isEmpty ? nil : $0 } ?? "/"
    }

    /// The rule applied to this process: its environment and current directory.
    public static func resolve(explicit: String?) -> String {
        resolve(explicit: explicit, environment: processEnvironment, currentDirectory: currentDirectory())
    }

    /// A variable of this process's environment.
    public static func processEnvironment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: value, count: strlen(value)), as: UTF8.self)
    }

    /// This process's current directory ("/" if it cannot be read).
    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Creates the folder of the database at `path` (and its parents) with mode 0700 when it
    /// is missing; returns whether the folder is there now.
    @discardableResult
    public static func createFolder(of path: String) -> Bool {
        guard let slash = path.lastIndex(of: "/") else { return true }
        let folder = String(path[..<slash])
        if folder.isEmpty { return true }
        var info = stat()
        if stat(folder, &info) == 0 { return (info.st_mode & S_IFMT) == S_IFDIR }
        guard createFolder(of: folder) else { return false }
        return mkdir(folder, 0o700) == 0 || errno == EEXIST
    }
}
