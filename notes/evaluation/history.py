"""A KB's drafting history, read-only: which notes each run filed, and where they went.

From `filings.jsonl` (one run a line: `date`, `filed` note names, `articles_before`), or from
the KB's git log when it has none (a run is a commit that adds files under `inbox/used/`; the
articles before it are those of its parent). The ground truth of a note is the set of
articles whose footnotes cite it today. Nothing here writes a file.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from notes.drafting.batching import PendingNote
from notes.markdown import frontmatter
from notes.retrieval import relevance

FILINGS = "filings.jsonl"
_NOTE_SUFFIXES = (".md", ".txt")
_STAMP = re.compile(r"^(\d{8}_\d{6})_")


class HistoryError(ValueError):
    """The KB has no history to replay, or it cannot be read; the message is one line."""


@dataclass(frozen=True)
class Run:
    """One drafting run: when, which notes it filed, which articles existed before it."""

    date: datetime
    filed: tuple[str, ...]
    before: tuple[str, ...]
    commit: str | None = None
    """In a git history, the run's commit (the articles before it are its parent's)."""


@dataclass(eq=False)
class History:
    """A KB's runs and what its articles cite; every text read lazily, once."""

    root: Path
    runs: list[Run]
    source: str
    """`filings.jsonl` or `git log`."""

    _notes: dict[str, PendingNote | None] = field(default_factory=dict, repr=False)

    @cached_property
    def texts(self) -> dict[str, str]:
        """Every Markdown document under `articles/` as it is today, by KB path."""
        found: dict[str, str] = {}
        articles = self.root / "articles"
        for folder, subfolders, files in os.walk(articles):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            for name in sorted(files):
                if name.endswith(".md"):
                    path = Path(folder) / name
                    rel = path.relative_to(self.root).as_posix()
                    found[rel] = path.read_bytes().decode("utf-8", errors="replace")
        return found

    @cached_property
    def homes(self) -> dict[str, frozenset[str]]:
        """Note name -> the documents whose footnotes cite it today."""
        cited: dict[str, set[str]] = {}
        for path, text in self.texts.items():
            for name in relevance.cited_notes(text):
                cited.setdefault(name, set()).add(path)
        return {name: frozenset(paths) for name, paths in cited.items()}

    @cached_property
    def filed_in(self) -> dict[str, int]:
        """Note name -> the position of the run that filed it."""
        return {name: number for number, run in enumerate(self.runs) for name in run.filed}

    @cached_property
    def _note_paths(self) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for folder_name in ("used", "raw"):
            for where, _, files in os.walk(self.root / "inbox" / folder_name):
                for name in files:
                    found.setdefault(name, Path(where) / name)
        return found

    def note(self, name: str) -> PendingNote | None:
        """A note's name, date and text (any format with front matter), as drafting would
        batch it; None if unreadable."""
        if name not in self._notes:
            self._notes[name] = self._read_note(name)
        return self._notes[name]

    def note_text(self, name: str) -> str | None:
        note = self.note(name)
        return note.text if note else None

    def _read_note(self, name: str) -> PendingNote | None:
        path = self._note_paths.get(name)
        if path is None or not name.endswith(_NOTE_SUFFIXES):
            return None
        try:
            document = path.read_bytes().decode("utf-8")
            yaml_text, rest = frontmatter.split(document)
            data = frontmatter.load(yaml_text)
        except (OSError, UnicodeDecodeError, frontmatter.FrontMatterError):
            return None
        when = _note_date(name, data.get("date"))
        text = rest.strip()
        return PendingNote(name, when, text) if when and text else None

    def text_at(self, path: str, number: int) -> str:
        """The text of document `path` as the router saw it before run `number`.

        From git, the parent commit's text. From `filings.jsonl`, today's text without the
        paragraphs that cite only notes filed at or after that run (the closest we can get).
        """
        run = self.runs[number]
        if run.commit is not None:
            return _git_show(self.root, f"{run.commit}^:{path}")
        return self.texts.get(path, "")

    def known(self, number: int) -> frozenset[str]:
        """Notes filed before run `number`."""
        return frozenset(name for name, at in self.filed_in.items() if at < number)


def load(root: Path) -> History:
    """The history of the KB at `root`: `filings.jsonl` if there is one, else its git log.
    Raises HistoryError when there is none, or no run in it filed a note."""
    if (root / FILINGS).is_file():
        found = History(root, _read_filings(root / FILINGS), FILINGS)
    elif (root / ".git").exists():
        found = History(root, _read_git(root), "git log")
    else:
        raise HistoryError(f"{root}: no {FILINGS} and no git history to replay")
    if not found.runs:
        raise HistoryError(
            f"{root}: no note filed to inbox/used/ in its {found.source}: nothing to replay"
        )
    return found


def _read_filings(path: Path) -> list[Run]:
    runs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            runs.append(
                Run(
                    date=datetime.fromisoformat(data["date"]),
                    filed=tuple(str(name) for name in data["filed"]),
                    before=tuple(str(path) for path in data["articles_before"]),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise HistoryError(f"{path.name}:{number}: not a run ({error})") from None
    return runs


def _read_git(root: Path) -> list[Run]:
    log = _git(
        root,
        "log",
        "--reverse",
        "--format=%x00%H %cI",
        "--diff-filter=A",
        "--name-only",
        "--",
        "inbox/used",
    )
    runs = []
    for chunk in log.split("\x00")[1:]:
        head, *names = [line for line in chunk.splitlines() if line.strip()]
        commit, stamp = head.split(" ", 1)
        filed = tuple(name.rsplit("/", 1)[-1] for name in names)
        parents = _git(root, "rev-list", "--parents", "-n", "1", commit).split()[1:]
        listing = (
            _git(root, "ls-tree", "-r", "--name-only", parents[0], "--", "articles")
            if parents
            else ""
        )
        before = tuple(line for line in listing.splitlines() if line.endswith(".md"))
        runs.append(Run(datetime.fromisoformat(stamp), filed, before, commit))
    return runs


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
        )
    except OSError as error:
        raise HistoryError(f"cannot read the git history of {root}: {error}") from None
    except subprocess.CalledProcessError as error:
        said = (error.stderr or "").strip().splitlines()
        reason = said[0] if said else f"git exited with {error.returncode}"
        raise HistoryError(f"cannot read the git history of {root}: {reason}") from None
    return done.stdout


def _git_show(root: Path, spec: str) -> str:
    try:
        return _git(root, "show", spec)
    except HistoryError:
        return ""


def _note_date(name: str, value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        when = datetime.fromisoformat(str(value))
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    except ValueError:
        match = _STAMP.match(name)
        if not match:
            return None
        return datetime.strptime(match.group(1), "%Y%m%d_%H%M%S").replace(tzinfo=UTC)
