print("market-pipeline: not yet")
