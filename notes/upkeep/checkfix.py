"""`voicenotes check --fix`: links to notes that moved, rewritten; and where notes are.

`repair` rewrites a Markdown link to a note that is now elsewhere in the inbox (moved between
`raw/` and `used/`, or linked with the wrong number of `../`) when exactly one note has that
name; nothing else on the line changes, and the file is written atomically only if it did.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from notes.kb import KnowledgeBase, atomic, names
from notes.markdown import articles, links, parser
from notes.upkeep import relink

_PLACEHOLDER = re.compile(r"\{[^{}/]*\}")


@dataclass(frozen=True)
class Fix:
    """A link rewritten by `--fix`."""

    path: str
    line: int
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: fixed link {self.old} -> {self.new}"


class NoteLocations:
    """Where each note file is under `inbox/`, by name (read once, when first asked)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self._where: dict[str, list[str]] | None = None
        self.files = relink.KBFiles(kb.root)  # documents, for links between articles

    def unique(self, name: str) -> str | None:
        """The KB path of the one note called `name`, if there is exactly one."""
        if not names.is_note_name(name):
            return None
        if self._where is None:
            self._where = {}
            for folder, subfolders, files in os.walk(self._kb.inbox):
                subfolders[:] = [sub for sub in subfolders if not sub.startswith(".")]
                for file in files:
                    if names.is_note_name(file):
                        rel = (Path(folder) / file).relative_to(self._kb.root).as_posix()
                        self._where.setdefault(file, []).append(rel)
        found = self._where.get(name, [])
        return found[0] if len(found) == 1 else None


def local_path(href: str) -> str | None:
    """The file path of a relative link; None for URLs, anchors, absolute and `~/` paths,
    and template placeholders (`../interviews/{person-name}.md` in a plan template)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith(("/", "~")):
        return None
    path = unquote(parts.path)
    return None if _PLACEHOLDER.search(path) else path


def repair(kb: KnowledgeBase, path: Path, raw: str, notes: NoteLocations) -> tuple[str, list[Fix]]:
    """Rewrite Markdown links to notes that are now elsewhere; write the file if changed."""
    rel = path.relative_to(kb.root).as_posix()
    moves: dict[tuple[int, str], tuple[str, int]] = {}
    for link in links.scan(parser.parse(raw.removeprefix("\ufeff"))):
        local = local_path(link.target)
        if link.kind == links.HTML or local is None:
            continue
        if (path.parent / local).exists():
            continue
        name = PurePosixPath(local).name
        moved = notes.unique(name) or notes.files.unique(name)
        if moved is not None:
            _, seen = moves.get((link.line, link.target), ("", 0))
            moves[(link.line, link.target)] = (articles.relative_link(rel, moved), seen + 1)
    lines = raw.split("\n")
    fixes: list[Fix] = []
    for (line, href), (new, times) in moves.items():
        replaced = replace_destination(lines[line - 1], href, new, times)
        if replaced is not None:
            lines[line - 1] = replaced
            fixes.append(Fix(rel, line, href, new))
    if not fixes:
        return raw, []
    fixed = "\n".join(lines)
    atomic.write_text(path, fixed, overwrite=True)
    return fixed, fixes


def replace_destination(line: str, href: str, new: str, times: int) -> str | None:
    """`line` with link destination `href` replaced by `new`, if it is there `times` times."""
    for written in dict.fromkeys([href, unquote(href)]):
        forms = [(f"({written}{end}", f"({new}{end}") for end in (")", " ", "\t")]
        forms.append((f"(<{written}>", f"(<{new}>"))
        if sum(line.count(before) for before, _ in forms) == times:
            for before, after in forms:
                line = line.replace(before, after)
            return line
    return None
