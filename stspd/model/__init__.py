"""Model: the strategy as the documents need it, built from a valid project only."""
