"""`voicenotes undo [COMMIT]`: take back a revision, when nothing touched its articles since.

A revision's commit names each article it changed in a trailer (`Revision-Of: articles/x.md`,
see `revision_message`). Undoing it puts each of those articles back as it was before the
commit, byte for byte (a new one made by the revision is removed), and commits that. Nothing
else the commit holds is touched: the request notes stay filed, so they are not drafted
again. It is refused, with one line saying why, when an article differs from what the
revision left (a later commit or an uncommitted change touched it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from notes.errors import explain
from notes.kb import atomic, gitkb
from notes.settings import Settings

TRAILER = "Revision-Of"


class UndoRefused(Exception):
    """The revision cannot be undone; the message is one line."""


@dataclass(frozen=True)
class Undone:
    revision: str
    """The short hash of the revision undone."""

    subject: str
    articles: tuple[str, ...]
    commit: str | None
    """The hash of the commit that undid it (None outside git's reach: nothing changed)."""

    def line(self) -> str:
        restored = ", ".join(self.articles)
        made = f"; committed {self.commit[:7]}" if self.commit else ""
        return f"undid {self.revision} ({self.subject}): {restored} restored{made}"


def revision_message(subject: str, articles: Sequence[str], body: str = "") -> str:
    """A revision's commit message: `subject`, `body`, and a trailer naming each article."""
    parts = [subject, body.strip(), "\n".join(f"{TRAILER}: {path}" for path in articles)]
    return "\n\n".join(part for part in parts if part) + "\n"


def last_revision(root: Path) -> str | None:
    """The hash of the newest commit with a revision trailer, if any."""
    done = gitkb.git(root, "log", "-1", "--format=%H", f"--grep=^{TRAILER}: ", check=False)
    if done.returncode != 0:
        return None  # no commit yet
    return done.stdout.strip() or None


def undo(root: Path, commit: str | None = None) -> Undone:
    """Undo revision `commit` (default: the last one). Raises UndoRefused, GitError."""
    if not gitkb.is_repo(root):
        raise UndoRefused("the knowledge base is not a git repository: there is no revision")
    wanted = commit or last_revision(root)
    if wanted is None:
        raise UndoRefused("there is no revision to undo")
    done = gitkb.git(root, "rev-parse", "--verify", "--quiet", f"{wanted}^{{commit}}", check=False)
    if done.returncode != 0:
        raise UndoRefused(f"no such commit: {wanted}")
    full = done.stdout.strip()
    short, subject = full[:7], _field(root, full, "%s")
    paths = _articles(root, full)
    if not paths:
        raise UndoRefused(f"{short} ({subject}) changed no article")
    _refuse_if_touched(root, full, short, paths)
    for path in paths:
        _restore(root, path, gitkb.show(root, f"{full}^", path))
    message = f"Undo {short}: {subject}\n\nThis reverts the articles of {full}.\n"
    made = gitkb.commit(root, [root / p for p in paths], message)
    return Undone(short, subject, tuple(paths), made)


def _field(root: Path, commit: str, form: str) -> str:
    return gitkb.git(root, "show", "-s", f"--format={form}", commit).stdout.strip()


def _articles(root: Path, commit: str) -> list[str]:
    """The articles the revision names in its trailers; else those under articles/ it changed."""
    body = _field(root, commit, "%B")
    named = [
        line.split(":", 1)[1].strip()
        for line in body.splitlines()
        if line.startswith(f"{TRAILER}:") and line.split(":", 1)[1].strip()
    ]
    if named:
        return list(dict.fromkeys(named))
    changed = gitkb.git(
        root, "diff-tree", "--root", "--no-commit-id", "--name-only", "-r", commit
    ).stdout.splitlines()
    return [path for path in changed if path.startswith("articles/")]


def _refuse_if_touched(root: Path, commit: str, short: str, paths: Sequence[str]) -> None:
    later = gitkb.git(root, "log", "--format=%h %s", f"{commit}..HEAD", "--", *paths)
    if later.stdout.strip():
        first = later.stdout.strip().splitlines()[-1]
        raise UndoRefused(
            f"cannot undo {short}: {', '.join(paths)} changed since (by {first}); nothing undone"
        )
    for path in paths:
        file = root / path
        now = file.read_bytes() if file.is_file() else None
        if now != gitkb.show(root, commit, path):
            raise UndoRefused(
                f"cannot undo {short}: {path} has changes not committed; nothing undone"
            )


def _restore(root: Path, path: str, data: bytes | None) -> None:
    file = root / path
    if data is None:
        file.unlink(missing_ok=True)
    else:
        atomic.write_bytes(file, data, overwrite=True)


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print one line: what was undone, or why nothing was."""
    try:
        undone = undo(settings.kb, args.commit)
    except UndoRefused as refused:
        print(str(refused), file=sys.stderr)
        return 1
    except (gitkb.GitError, OSError) as error:
        print(f"error: {explain(error)}", file=sys.stderr)
        return 1
    print(undone.line())
    return 0
