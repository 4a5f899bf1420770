"""Load: the project's files read, YAML with the position of every node, the shipped reference data."""
