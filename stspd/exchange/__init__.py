"""Exchange: files others fill or read: grid writers, the collection workbook and its import, evaluation files."""
