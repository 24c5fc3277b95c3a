print("streamkit-bench: not yet")
