"""Links between articles whose target moved: where the file is now, or what looks like it.

The author moves articles between folders by hand (`research/agentic-memory.md` linked as
`../research/..` from the wrong depth, `ai-engineer-rpg-game.md` now in `work-in-progress/`).
A broken link to a Markdown file whose name exists in exactly one place in the KB can be
rewritten to point there (`check --fix`); for one whose name is nowhere or in several places,
the files with similar names are named instead, so he can fix it by hand. Notes (under
`inbox/`) are left to the note locations of notes.upkeep.check; hidden folders (`.git`,
`.voicenotes`) are not searched, and names any folder may have (`_index.md`, `README.md`)
are never taken for one document.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path, PurePosixPath

from notes.kb import names

SIMILAR_LIMIT = 3
SIMILAR_CUTOFF = 0.7
_DOCUMENT_SUFFIXES = (".md", ".markdown")
_FOLDER_NAMES = frozenset({"readme", "index"})


class KBFiles:
    """The Markdown files of the KB by name, read once when first asked."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._where: dict[str, list[str]] | None = None

    def _index(self) -> dict[str, list[str]]:
        if self._where is None:
            self._where = {}
            for folder, subfolders, files in os.walk(self._root):
                subfolders[:] = sorted(sub for sub in subfolders if not sub.startswith("."))
                for file in sorted(files):
                    if file.lower().endswith(_DOCUMENT_SUFFIXES):
                        rel = (Path(folder) / file).relative_to(self._root).as_posix()
                        self._where.setdefault(file, []).append(rel)
        return self._where

    def unique(self, name: str) -> str | None:
        """The KB path of the one document called `name` (not a note), if exactly one is."""
        if not is_document_name(name):
            return None
        found = self._index().get(name, [])
        return found[0] if len(found) == 1 else None

    def similar(self, name: str) -> list[str]:
        """KB paths of documents named like `name` (the same name in several places first)."""
        if not is_document_name(name):
            return []
        where = self._index()
        same = where.get(name, [])
        stem = PurePosixPath(name).stem
        stems = {PurePosixPath(other).stem: other for other in where if other != name}
        close = difflib.get_close_matches(stem, list(stems), SIMILAR_LIMIT, SIMILAR_CUTOFF)
        return (same + [path for match in close for path in where[stems[match]]])[:SIMILAR_LIMIT]

    def hint(self, name: str) -> str:
        """What a broken link's message adds: where the file is, or similar files, or ``."""
        moved = self.unique(name)
        if moved is not None:
            return f" (the file is at {moved}; check --fix rewrites the link)"
        similar = self.similar(name)
        return f" (similar files: {', '.join(similar)})" if similar else ""


def is_document_name(name: str) -> bool:
    """A Markdown document's own file name: not a note's, and not a name every folder may
    have (`_index.md`, `_plan.md`, `README.md`, `index.md`), which names no one document."""
    lowered = name.lower()
    if lowered.startswith("_") or PurePosixPath(lowered).stem in _FOLDER_NAMES:
        return False
    return lowered.endswith(_DOCUMENT_SUFFIXES) and not names.is_note_name(name)
