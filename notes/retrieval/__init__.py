"""Finding the part of the KB a note or a question is about.

The lexical ranking is `relevance` (BM25 over Snowball stems; what the route prompt shows);
the other modules add what it knows of the author's KB: its structure (folders and the
`_index.md` tables, `structure`), his two languages (a Russian-English term list learned from
his notes and the articles citing them, `lexicon`), and optional embeddings from the
configured server (`embeddings`, fused with the lexical ranking in `hybrid`).
"""
