import AgentLogCLI
import AgentLogServerCLI

// `agentlog serve`, `agentlog mcp` and `agentlog auth user add|passwd`: the `agentlog`
// executable runs this one, beside it, with the same arguments.
await AgentLogCommand.runAndExit(serverHalf: LiveServerHalf())
