// Token counts and prices are part of every record batch and report: importing the readers
// brings them along.
@_exported import AgentLogPricing
