"""The documents drafting may route notes to: the articles and the `_` documents the author feeds.

Which ones is relevance.routable's rule, decided on each document's text; this module only
lists the files to read: every `articles/**/*.md` outside hidden and `_` folders, `_` files
included, `_index.md` files left out.
"""

from __future__ import annotations

import os
from pathlib import Path

from notes.drafting import relevance
from notes.kb import KnowledgeBase


def paths(kb: KnowledgeBase) -> list[Path]:
    """Files that may be routable, sorted by their path under `articles/`."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(kb.articles):
        subfolders[:] = [name for name in subfolders if not name.startswith(("_", "."))]
        found += [
            Path(folder) / name
            for name in files
            if name.endswith(".md") and not name.startswith(".") and name != relevance.META_NAME
        ]
    return sorted(found, key=lambda path: path.relative_to(kb.articles).as_posix())
