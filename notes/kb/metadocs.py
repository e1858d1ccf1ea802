"""The author's meta documents in `articles/`: `_`-named files and everything in `_` folders.

`articles/_meta/style.md` (his style rules, see notes.drafting.style) is one. A meta document
is never listed as an article (index, /articles, recent), never needs front matter, is never
removed by `remove` nor rewritten by `check --fix`; routing shows only the `_` documents he
feeds with notes (notes.retrieval.relevance), never anything in a `_` folder.
"""

from __future__ import annotations


def in_meta_folder(rel: str) -> bool:
    """Whether the KB path `rel` (`articles/_meta/style.md`) lies inside a `_` folder."""
    return any(part.startswith("_") for part in rel.split("/")[1:-1])


def is_meta_document(rel: str) -> bool:
    """A `_`-named document, or any file inside a `_` folder (KB path `articles/...`)."""
    return rel.rsplit("/", 1)[-1].startswith("_") or in_meta_folder(rel)
