import AgentLogCLI

AgentLogCommand.runAndExit()
