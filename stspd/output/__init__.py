"""Output: files written all or none, reproducible archives, the build's date."""
