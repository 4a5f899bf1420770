"""Check: schemas, rules, the index of ids, and the report of problems. Nothing here renders."""
