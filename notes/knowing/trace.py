"""Where each note went, and what each article was built from: pure rules over texts.

A note is cited (an article's footnote links to it: the article, the footnote's label and
the line whose text cites it), waiting (still in `inbox/raw/`), set aside (a pass's route
answer said why, in the run log), feedback (in `inbox/used/feedback/`, the old tool's
set-aside notes) or filed without a citation. Nothing here reads a file: `notes.knowing.
tracing` gathers the texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from notes.kb import names
from notes.markdown.citations import DEFINITION_LINE, REFERENCE

_NOTE_LINK = re.compile(r"inbox/(?!audio/)(?:[^)>\s\"]*/)?([^/)>\s\"#]+)")
_FEEDBACK = "feedback"


@dataclass(frozen=True)
class Citation:
    """A footnote of `article` citing a note, and the line whose text cites it (from 1)."""

    article: str
    label: str
    line: int
    text: str
    seconds: int | None = None
    """The moment of a timed note the footnote points at (`#t=`)."""

    def describe(self) -> str:
        at = f" at {self.seconds} s" if self.seconds is not None else ""
        return f"{self.article}:{self.line} [^{self.label}]{at}: {_short(self.text)}"


@dataclass
class Fate:
    """Where one note went."""

    note: str
    folder: str | None
    """Where it is under the KB (`inbox/raw`, `inbox/used`, ...), None if nowhere."""

    citations: list[Citation] = field(default_factory=list)
    aside: str | None = None
    """Why a pass set it aside, when one did."""

    def state(self) -> str:
        if self.citations:
            return "cited"
        if self.folder == "inbox/raw":
            return "waiting"
        if self.aside is not None:
            return f"set aside: {self.aside}"
        if self.folder is not None and _FEEDBACK in self.folder.split("/"):
            return "feedback"
        if self.folder is None:
            return "not in the KB"
        return "filed, cited by no article"

    def lines(self) -> list[str]:
        """One line per citation, or one line saying where it is."""
        if self.citations:
            return [f"{self.note} -> {c.describe()}" for c in self.citations]
        return [f"{self.note} -> {self.state()}"]


class Tracer:
    """The citations of every article, by note, read once."""

    def __init__(
        self,
        articles: Mapping[str, str],
        notes: Mapping[str, str],
        aside: Mapping[str, str],
    ) -> None:
        """`articles`: KB path -> text; `notes`: name -> folder; `aside`: name -> why."""
        self.notes = dict(notes)
        self.aside = dict(aside)
        self.articles = set(articles)
        self.cited: dict[str, list[Citation]] = {}
        for path in sorted(articles):
            for name, citation in citations(path, articles[path]):
                self.cited.setdefault(name, []).append(citation)

    def note(self, name: str) -> Fate:
        return Fate(name, self.notes.get(name), self.cited.get(name, []), self.aside.get(name))

    def day(self, day: date) -> list[Fate]:
        """Every note of `day` (by the UTC time in its name), oldest first."""
        stamp = day.strftime("%Y%m%d")
        known = set(self.notes) | set(self.cited) | set(self.aside)
        return [self.note(name) for name in sorted(known) if name.startswith(stamp)]

    def article(self, path: str) -> list[tuple[str, str, list[Citation]]]:
        """The notes `path` cites, oldest first: (date, note name, its citations there)."""
        found = []
        for name, cited in self.cited.items():
            here = [c for c in cited if c.article == path]
            if here:
                when = names.time_of(name)
                found.append((when.date().isoformat() if when else "undated", name, here))
        return sorted(found, key=lambda item: (item[0], item[1]))

    def find(self, given: str) -> list[str]:
        """Note names matching `given`: a name, a path ending in one, or the start of one."""
        name = given.rstrip("/").rsplit("/", 1)[-1]
        known = set(self.notes) | set(self.cited) | set(self.aside)
        if name in known:
            return [name]
        return sorted(n for n in known if n.startswith(name)) if len(name) >= 8 else []


def citations(path: str, text: str) -> Iterable[tuple[str, Citation]]:
    """(note name, citation) for every footnote definition of `text` linking to a note."""
    lines = text.splitlines()
    references: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if DEFINITION_LINE.match(line):
            continue
        for label in REFERENCE.findall(line):
            references.setdefault(label, number)
    for number, line in enumerate(lines, start=1):
        match = DEFINITION_LINE.match(line)
        if not match:
            continue
        label, target = match.groups()
        at = references.get(label, number)
        for name in dict.fromkeys(_NOTE_LINK.findall(target)):
            yield name, Citation(path, label, at, lines[at - 1], _seconds(target, name))


def _seconds(target: str, name: str) -> int | None:
    """The second a timed definition points at: `[audio](../inbox/audio/NAME.ogg#t=750,790)`."""
    match = re.search(r"#t=(\d+)", target)
    return int(match.group(1)) if match else None


def _short(text: str, limit: int = 100) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def aside_reasons(decisions: Iterable[Mapping[str, object]]) -> dict[str, str]:
    """Note name -> why the route answer set it aside, from the run log's decisions."""
    found: dict[str, str] = {}
    for decision in decisions:
        if decision.get("action") != "skip":
            continue
        reason = str(decision.get("reason") or "no reason given")
        notes = decision.get("notes")
        for name in notes if isinstance(notes, list) else []:
            found[str(name)] = reason
    return found
