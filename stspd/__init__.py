"""stspd: a territorial security strategy (STSPD) kept as YAML, validated and rendered."""

__version__ = "0.1.0"
