"""The documents drafting may route notes to: the articles and the `_` documents the author feeds.

Which ones is relevance.routable's rule, decided on each document's text; this module only
lists the files to read: every `articles/**/*.md` outside hidden and `_` folders, `_` files
included, `_index.md` files left out.
"""

from __future__ import annotations

from pathlib import Path

from notes.kb import KnowledgeBase, articlefiles
from notes.retrieval import relevance


def paths(kb: KnowledgeBase) -> list[Path]:
    """Files that may be routable, sorted by their path under `articles/`."""
    return articlefiles.markdown_files(kb, lambda name: name != relevance.META_NAME)
