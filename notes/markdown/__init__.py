"""The pure text layer: Markdown parsing, front matter, citations, the article format, merges.

Nothing here touches the knowledge base's files or the language model.
"""
