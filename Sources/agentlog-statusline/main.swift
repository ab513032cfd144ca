import AgentLogJSON
import AgentLogStatusline
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// agentlog-statusline [--db PATH] [--format TEMPLATE] [--prices FILE] [--no-store] [--no-color]:
// Claude Code's statusline command. Reads its payload on stdin, keeps it, prints one line, and
// exits 0 whatever happens (a broken statusline would only show an error in the status bar).
// `agentlog statusline install` registers it; `agentlog statusline` does the same, slower to start.
/// Writes a line to stderr.
func printError(_ line: String) {
    let text = line + "\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count - 1) }
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print(StatuslineRunner.usage)
    exit(0)
}
let runner: StatuslineRunner
do {
    runner = try StatuslineRunner(arguments: arguments)
} catch {
    printError("agentlog-statusline: \(error)")
    print("agentlog: \(error)")
    exit(0)
}
var time = timespec()
clock_gettime(CLOCK_REALTIME, &time)
let result = runner.run(input: FileBytes.readAll(STDIN_FILENO) ?? [], now: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
for line in result.diagnostics { printError(line) }
print(result.line)
exit(0)
