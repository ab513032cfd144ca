print("agentlog")
