"""The commands that file and draft run only on a knowledge base, never on voicenotes' source.

A knowledge base is a folder with `inbox/` or `articles/` (what `voicenotes init` makes, and
what any KB of this shape already has). The voicenotes source tree is refused even though it
is a folder of Markdown and Python: filing notes there would commit the author's notes and
photos into the tool's repository.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

GUARDED = frozenset({"serve", "bot", "draft", "watch"})


def problem(root: Path) -> str | None:
    """One line saying why `root` is no knowledge base to run on, or None when it is one."""
    if is_source_tree(root):
        return (
            f"{root} is the voicenotes source tree, not a knowledge base: "
            "make one with `voicenotes init ~/kb` and run with `--kb ~/kb`"
        )
    if not (root / "inbox").is_dir() and not (root / "articles").is_dir():
        return (
            f"{root} is not a knowledge base (no inbox/ or articles/): "
            f"make one with `voicenotes init {root}`"
        )
    return None


def is_source_tree(root: Path) -> bool:
    """Whether `root`, or a folder above it in the same git repository, is voicenotes' own
    project (its pyproject.toml names it). A KB with its own `.git` is judged by itself."""
    for folder in (root, *root.parents):
        if _names_voicenotes(folder / "pyproject.toml"):
            return True
        if (folder / ".git").exists():
            return False
    return False


def _names_voicenotes(pyproject: Path) -> bool:
    try:
        with pyproject.open("rb") as file:
            project = tomllib.load(file).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return isinstance(project, dict) and project.get("name") == "voicenotes"
