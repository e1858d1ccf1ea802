"""`voicenotes check`: broken source links, footnote mismatches, bad front matter; orphan notes.

Errors (exit status 1): a source link whose file does not exist, a footnote used but not
defined or defined but never used, a cited time range (`at 12:30–13:10`) outside the recording
(the note's `duration`), front matter that is missing or invalid, a file that is
not UTF-8. Warnings: notes in `inbox/used/` that no article cites and no drafting run set
aside. `--fix` repairs links to notes that moved between `inbox/raw/` and `inbox/used/`.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from notes import atomic, names, runlog, timeline, transcripts
from notes.kb import KnowledgeBase
from notes.markdown import articles, citations
from notes.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Finding:
    """One error or warning about a file of the KB (`path` relative to the KB root)."""

    path: str
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


@dataclass(frozen=True)
class Fix:
    """A link rewritten by `--fix`."""

    path: str
    line: int
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: fixed link {self.old} -> {self.new}"


@dataclass
class Report:
    """What a check found over the whole KB."""

    articles: int = 0
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)

    def summary(self) -> str:
        """`checked N articles: E errors, W warnings[, F links fixed]`."""
        parts = [
            _count(len(self.errors), "error"),
            _count(len(self.warnings), "warning"),
        ]
        if self.fixes:
            parts.append(_count(len(self.fixes), "link") + " fixed")
        return f"checked {_count(self.articles, 'article')}: " + ", ".join(parts)


@dataclass(frozen=True)
class _Target:
    """A local link of an article: as written (normalized by markdown-it) and resolved."""

    href: str
    line: int
    path: Path
    source: bool


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes check [--kb DIR] [--fix]`: print the findings; 1 if there is any error."""
    kb = KnowledgeBase(settings.kb)
    if not kb.articles.is_dir():
        print(f"error: no articles/ folder in {kb.root}")
        return 1
    report = check_kb(kb, fix=bool(getattr(args, "fix", False)))
    for line in [*map(str, report.fixes), *map(str, report.errors), *map(str, report.warnings)]:
        print(line)
    print(report.summary())
    return 1 if report.errors else 0


def check_kb(kb: KnowledgeBase, *, fix: bool = False) -> Report:
    """Check every article of `kb`; with `fix`, repair links to notes that moved first."""
    report = Report()
    cited: set[Path] = set()
    for path in articles.iter_articles(kb):
        report.articles += 1
        errors, fixes, targets = check_article(kb, path, fix=fix)
        report.errors += errors
        report.fixes += fixes
        cited |= targets
    report.warnings = [
        Finding(f"inbox/used/{name}", None, "no article cites this note", warning=True)
        for name in orphans(kb, cited, set_aside_names(kb))
    ]
    return report


def check_article(
    kb: KnowledgeBase, path: Path, *, fix: bool = False
) -> tuple[list[Finding], list[Fix], set[Path]]:
    """(errors, fixes made, every local file the article links to) for one article file."""
    rel = path.relative_to(kb.root).as_posix()
    try:
        data = path.read_bytes()
    except OSError as error:
        return [Finding(rel, 1, f"cannot read the file: {error.strerror or error}")], [], set()
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        text = data.decode("utf-8", errors="replace")
        message = f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        return [Finding(rel, line, message)], [], {t.path for t in _targets(kb, path, text)}
    fixes: list[Fix] = []
    if fix:
        raw, fixes = _repair(kb, path, raw)
    text = raw.removeprefix("\ufeff")
    errors = [Finding(rel, line, message) for line, message in front_matter_problems(text)]
    scanned = citations.scan(text)
    errors += [Finding(rel, p.line, p.message) for p in citations.problems(scanned)]
    targets = _targets(kb, path, scanned)
    errors += [
        Finding(rel, t.line, f"source link {t.href}: no such file")
        for t in targets
        if t.source and not t.path.exists()
    ]
    errors += [
        Finding(rel, line, message) for line, message in moment_problems(path, text, scanned)
    ]
    errors.sort(key=lambda finding: finding.line or 0)
    return errors, fixes, {t.path for t in targets}


_MOMENT = re.compile(r"\bat (\d+(?::\d\d){1,2})\s*[\u2013-]\s*(\d+(?::\d\d){1,2})")
"""A cited time range in a Sources line: `[NAME](link) at 12:30–13:10`."""


def moment_problems(
    article: Path, text: str, scanned: citations.Citations
) -> list[tuple[int, str]]:
    """(line, message) for each cited time range outside its recording.

    The recording's length is the `duration` in the front matter of the note the definition
    links to first; a note without one (or missing: reported apart) is not checked.
    """
    lines = text.split("\n")
    problems = []
    for definition in scanned.definitions:
        found = _MOMENT.search("\n".join(lines[definition.line - 1 : definition.end_line]))
        local = next(filter(None, map(_local_path, definition.links)), None)
        if found is None or local is None:
            continue
        duration = _duration(article.parent / local)
        start, end = timeline.seconds(found[1]), timeline.seconds(found[2])
        if duration is not None and not 0 <= start <= end <= duration + 1:
            message = (
                f"cited time {found[1]}\u2013{found[2]} is outside the recording "
                f"({timeline.clock(duration)} long)"
            )
            problems.append((definition.line, message))
    return problems


def _duration(note: Path) -> float | None:
    """The `duration` in a note's front matter, if it has one and can be read."""
    try:
        value = transcripts.parse(note.read_text(encoding="utf-8")).header.extra.get("duration")
        return float(value) if value is not None else None
    except (OSError, UnicodeDecodeError, ValueError, TypeError):
        return None


def front_matter_problems(text: str) -> list[tuple[int, str]]:
    """(1-based line, message) for each front matter problem of an article's text."""
    text = text.replace("\r\n", "\n")
    try:
        data, _ = articles.read_front_matter(text)
    except articles.ArticleFormatError as error:
        return [(error.line or 1, str(error))]
    lines = articles.key_lines(text)
    return [
        (lines.get(problem.key, 1), f"front matter: {problem.message}")
        for problem in articles.meta_problems(data)
    ]


def set_aside_names(kb: KnowledgeBase) -> set[str]:
    """File names of notes a drafting run set aside (the run log's `set_aside` lists)."""
    try:
        listed = runlog.set_aside_names(kb)
    except (OSError, ValueError) as error:
        log.warning("cannot read the run log: %s", error)
        return set()
    return {PurePosixPath(name).name for name in listed if isinstance(name, str)}


def orphans(kb: KnowledgeBase, cited: set[Path], set_aside: set[str]) -> list[str]:
    """Names of notes in `inbox/used/` that no article links to and no run set aside."""
    if not kb.used.is_dir():
        return []
    return sorted(
        entry.name
        for entry in kb.used.iterdir()
        if names.is_note_name(entry.name)
        and entry.name not in set_aside
        and _normal(entry) not in cited
    )


def _targets(
    kb: KnowledgeBase, article: Path, document: str | citations.Citations
) -> list[_Target]:
    """Local links of an article; `source` marks those in footnotes or into the inbox."""
    found = citations.scan(document) if isinstance(document, str) else document
    inbox = _normal(kb.inbox)
    result: list[_Target] = []
    for link in found.links:
        local = _local_path(link.target)
        if local is None:
            continue
        resolved = _normal(article.parent / local)
        source = link.footnote is not None or resolved.is_relative_to(inbox)
        result.append(_Target(link.target, link.line, resolved, source))
    return result


def _local_path(href: str) -> str | None:
    """The file path of a relative link, or None for URLs, anchors and absolute paths."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    return unquote(parts.path)


def _repair(kb: KnowledgeBase, path: Path, raw: str) -> tuple[str, list[Fix]]:
    """Rewrite links to notes that moved between raw/ and used/; write the file if changed."""
    rel = path.relative_to(kb.root).as_posix()
    moves: dict[tuple[int, str], tuple[str, int]] = {}
    for target in _targets(kb, path, raw.removeprefix("\ufeff")):
        moved = None if target.path.exists() else _moved(kb, target.path)
        if moved is not None:
            _, seen = moves.get((target.line, target.href), ("", 0))
            moves[(target.line, target.href)] = (articles.relative_link(rel, moved), seen + 1)
    lines = raw.split("\n")
    fixes: list[Fix] = []
    for (line, href), (new, times) in moves.items():
        replaced = _replace_destination(lines[line - 1], href, new, times)
        if replaced is not None:
            lines[line - 1] = replaced
            fixes.append(Fix(rel, line, href, new))
    if not fixes:
        return raw, []
    fixed = "\n".join(lines)
    atomic.write_text(path, fixed, overwrite=True)
    return fixed, fixes


def _moved(kb: KnowledgeBase, missing: Path) -> str | None:
    """KB path of a note missing from raw/ (or used/) that is now in the other folder."""
    raw, used = _normal(kb.raw), _normal(kb.used)
    for here, there in ((raw, used), (used, raw)):
        if missing.parent == here and (there / missing.name).is_file():
            return (there / missing.name).relative_to(_normal(kb.root)).as_posix()
    return None


def _replace_destination(line: str, href: str, new: str, times: int) -> str | None:
    """`line` with link destination `href` replaced by `new`, if it is there `times` times."""
    for written in dict.fromkeys([href, unquote(href)]):
        forms = [(f"({written}{end}", f"({new}{end}") for end in (")", " ", "\t")]
        forms.append((f"(<{written}>", f"(<{new}>"))
        if sum(line.count(before) for before, _ in forms) == times:
            for before, after in forms:
                line = line.replace(before, after)
            return line
    return None


def _normal(path: Path) -> Path:
    return Path(os.path.normpath(path.absolute()))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
