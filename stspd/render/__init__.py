"""Render: Markdown from templates, pandoc and Typst runs under a time limit, DOCX/ODT finishing, charts."""
