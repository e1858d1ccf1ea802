"""Finding the article files of a knowledge base on disk.

The article format itself is pure text (`notes.markdown.articles`); this module is the walk
over `articles/` that finds the files in that format.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from notes.kb import KnowledgeBase


def iter_articles(kb: KnowledgeBase) -> list[Path]:
    """Every article file: `articles/**/*.md`, sorted, without `_`-named and hidden files and
    what `_` folders hold (`_meta/style.md`)."""
    return markdown_files(kb, lambda name: not name.startswith("_"))


def markdown_files(kb: KnowledgeBase, keep: Callable[[str], bool]) -> list[Path]:
    """The `articles/**/*.md` files outside hidden and `_` folders, hidden files left out,
    whose names `keep` keeps; sorted by their path under `articles/`."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(kb.articles):
        subfolders[:] = [name for name in subfolders if not name.startswith((".", "_"))]
        found += [
            Path(folder) / name
            for name in files
            if name.endswith(".md") and not name.startswith(".") and keep(name)
        ]
    return sorted(found, key=lambda path: path.relative_to(kb.articles).as_posix())
