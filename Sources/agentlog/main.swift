import AgentLogCLI

await AgentLogCommand.runAndExit()
