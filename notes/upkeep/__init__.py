"""The author's commands over articles: check, cleanup, remove, the index, lint, undo."""
