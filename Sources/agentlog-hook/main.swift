import AgentLogHooks
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// agentlog-hook [--db PATH]: the Claude Code hook handler. Reads one payload on stdin, stores
// the event, prints Claude Code's answer if there is one, and exits 0 whatever happens inside.
// `agentlog hooks install` registers it; `agentlog hook` does the same, only slower to start.
let arguments = Array(CommandLine.arguments.dropFirst())
let bytes = HookRunner.readStandardInput()
let result = HookRunner(arguments: arguments).run(payload: bytes)
HookRunner.write(result)
exit(result.exitCode)
