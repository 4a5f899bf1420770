"""Commands: one function per command line command, calling the stages in order."""
