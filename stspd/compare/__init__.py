"""`stspd diff`: two states of a project (git revisions or folders) read → their elements in words → compared →
reported. Reads data as the loader reads it, valid or not: a revision's mistakes do not hide what did change."""
