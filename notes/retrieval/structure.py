"""What the author's own indexes say of each document: its section, its title, its summary.

His `_index.md` files list documents in tables under section headings (`## AI Shipping
Labs`, `| [Platform Ideas](ai-shipping-labs/platform-ideas.md) | draft | ... | Business
case simulator ... |`). Those words name a document as he thinks of it, so routing searches
by them, and a `_` document he lists there (a template such as `plans/_plan.md`) is his to
feed like an article. Pure text, but for `read_indexes`.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

INDEX_NAME = "_index.md"
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"\[([^\]]*)\]\(<?([^)>\s]+?\.md)>?\)")
_CELL = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Entry:
    """One document as an index lists it."""

    path: str
    section: str
    """The heading above its line, with the index's own title: `Articles Index / Ideas`."""

    text: str
    """Its line without the link target: title, status, date, description."""

    def words(self) -> str:
        return f"{self.section} {self.text}"


def entries(indexes: Mapping[str, str]) -> dict[str, Entry]:
    """KB path -> how an index lists it; `indexes` maps each `_index.md` KB path to its text.

    A document listed by several indexes keeps the first (the nearest to the root).
    """
    found: dict[str, Entry] = {}
    for index_path in sorted(indexes, key=lambda p: (p.count("/"), p)):
        for entry in _entries_of(index_path, indexes[index_path]):
            found.setdefault(entry.path, entry)
    return found


def _entries_of(index_path: str, text: str) -> list[Entry]:
    folder = posixpath.dirname(index_path)
    headings: list[str] = []
    found: list[Entry] = []
    fence = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
            continue
        heading = _HEADING.match(line)
        if heading and not fence:
            level = len(heading.group(1))
            headings = headings[: level - 1] + [""] * (level - 1 - len(headings))
            headings.append(heading.group(2))
            continue
        if fence:
            continue
        for _title, target in _LINK.findall(line):
            if "://" in target or target.startswith("/"):
                continue
            path = posixpath.normpath(posixpath.join(folder, target))
            section = " / ".join(h for h in headings if h)
            cells = _CELL.sub(r"\1", line).replace("|", " ")
            found.append(Entry(path, section, " ".join(cells.split())))
    return found


def index_paths(paths: Mapping[str, object]) -> list[str]:
    """The `_index.md` files among KB `paths`."""
    return sorted(path for path in paths if path.rsplit("/", 1)[-1] == INDEX_NAME)


def folder_words(path: str) -> str:
    """The folders a document sits in, as words: `ai shipping labs plans`."""
    folders = path.removeprefix("articles/").split("/")[:-1]
    return re.sub(r"[_-]", " ", " ".join(folders)).strip()


def context(path: str, found: Mapping[str, Entry]) -> str:
    """What routing searches a document by besides its own text: its index entry, folders."""
    entry = found.get(path)
    return " ".join(filter(None, [entry.words() if entry else "", folder_words(path)]))


def read_indexes(articles: Path, root: Path) -> dict[str, str]:
    """Every `_index.md` under the `articles` folder, by KB path (relative to `root`)."""
    found: dict[str, str] = {}
    for folder, subfolders, files in os.walk(articles):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        if INDEX_NAME in files:
            path = Path(folder) / INDEX_NAME
            try:
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError:
                continue
            found[path.relative_to(root).as_posix()] = text
    return found
