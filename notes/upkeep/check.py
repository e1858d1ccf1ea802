"""`voicenotes check`: what is broken in the articles, and notes nothing cites.

Every Markdown file under `articles/` is checked, the `_` documents (`_index.md`, a weekly
log, a plan template...) included. Errors (exit status 1) are what is broken: a link that does
not resolve (a Markdown link or image, an HTML `<img src>`, `<a href>`, `<video src>`...),
a footnote marker with no definition (inside HTML too, e.g. a figure caption), a footnote
defined twice, a cited time range (`[NAME](link) at 12:30–13:10`) outside the recording (the
note's `duration`), front matter that is missing or invalid (`_` documents need none, but what
they have must be valid YAML), a file that is not UTF-8. Warnings: a footnote defined but
never used (the author may keep one on purpose); notes that a drafting run filed into
`inbox/used/` (and did not set aside) that no document links to any more; and what drafting
never writes (notes.markdown.sanitize): raw HTML other than the KB's figure form, a link whose
scheme is not http(s) or mailto, a link to something that is not a file of the KB (absolute,
`~`, hidden, outside it), a remote image. A note a drafting run filed whose `final_location`
names no file is an error too. `--fix` (notes.upkeep.checkfix) rewrites Markdown links to a
note that is now elsewhere in the inbox when exactly one note has that name, and links to a
Markdown document whose name exists in exactly one place in the KB (notes.upkeep.relink).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from markdown_it.token import Token

from notes.intake import noteformats, timeline, transcripts
from notes.kb import KnowledgeBase, names, runlog
from notes.kb.metadocs import in_meta_folder, is_meta_document
from notes.markdown import articles, citations, frontmatter, links, parser, sanitize
from notes.settings import Settings
from notes.upkeep import filed
from notes.upkeep.checkfix import Fix, NoteLocations, local_path, repair

log = logging.getLogger(__name__)

BROKEN_LINK = "broken link"
UNDEFINED_FOOTNOTE = "undefined footnote"
DUPLICATE_FOOTNOTE = "duplicate footnote"
UNUSED_FOOTNOTE = "unused footnote"
FRONT_MATTER = "front matter"
UNREADABLE = "unreadable file"
OUTSIDE_RECORDING = "time outside the recording"
ORPHAN = "orphan note"
RAW_HTML = sanitize.RAW_HTML
UNSAFE_LINK = sanitize.UNSAFE_LINK
KB_LINK = sanitize.KB_LINK
REMOTE_IMAGE = sanitize.REMOTE_IMAGE
"""Warnings, one a line: what drafting never writes (notes.markdown.sanitize), found in a
document as it is; check reports them and changes nothing."""


@dataclass(frozen=True)
class Finding:
    """One error or warning about a file of the KB (`path` relative to the KB root)."""

    path: str
    line: int | None
    message: str
    warning: bool = False
    kind: str = ""
    """What sort of problem: one of the constants of this module."""

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


@dataclass
class Report:
    """What a check found over the whole KB."""

    articles: int = 0
    documents: int = 0
    """`_` documents checked besides the articles."""

    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)

    def summary(self) -> str:
        """`checked N articles[ and D other documents]: E errors, W warnings[, F fixed]`."""
        parts = [
            _count(len(self.errors), "error"),
            _count(len(self.warnings), "warning"),
        ]
        if self.fixes:
            parts.append(_count(len(self.fixes), "link") + " fixed")
        checked = _count(self.articles, "article")
        if self.documents:
            checked += f" and {_count(self.documents, 'other document')}"
        return f"checked {checked}: " + ", ".join(parts)

    def by_kind(self) -> Counter[tuple[str, str]]:
        """(error|warning, kind) -> how many."""
        return Counter(
            ("warning" if f.warning else "error", f.kind) for f in self.errors + self.warnings
        )


@dataclass
class _Document:
    """One file's findings, and the notes it links to (by name)."""

    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    cited: set[str] = field(default_factory=set)


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
    """Check every Markdown file of `articles/`; with `fix`, repair links to moved notes."""
    report = Report()
    cited: set[str] = set()
    notes = NoteLocations(kb)
    for path in documents(kb):
        if is_meta_document(path.relative_to(kb.root).as_posix()):
            report.documents += 1
        else:
            report.articles += 1
        found = check_document(kb, path, notes, fix=fix)
        report.errors += found.errors
        report.warnings += found.warnings
        report.fixes += found.fixes
        cited |= found.cited
    filed_notes, set_aside = _run_history(kb)
    report.warnings += [
        Finding(rel, None, "no article cites this note", warning=True, kind=ORPHAN)
        for rel in orphans(kb, cited, set_aside, filed_notes)
    ]
    report.errors += placement_problems(kb, filed_notes)
    return report


def placement_problems(kb: KnowledgeBase, filed_names: set[str]) -> list[Finding]:
    """A note voicenotes filed whose `final_location` names no file (its image is lost to it).

    Only voicenotes' own notes: an older tool wrote these paths by other rules.
    """
    found: list[Finding] = []
    for name in sorted(filed_names):
        path = kb.used / name
        if not names.is_note_name(name) or not path.is_file():
            continue
        try:
            location = noteformats.read(path).meta.get(filed.LOCATION_KEY)
        except transcripts.NoteFormatError:
            continue
        if isinstance(location, str) and filed.location_target(kb, path, location) is None:
            message = f"{filed.LOCATION_KEY} {location}: no such file"
            found.append(Finding(f"inbox/used/{name}", None, message, kind=BROKEN_LINK))
    return found


def documents(kb: KnowledgeBase) -> list[Path]:
    """Every `.md` file under `articles/` (hidden files and folders left out), sorted."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(kb.articles):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found += [
            Path(folder) / name
            for name in files
            if name.endswith(".md") and not name.startswith(".")
        ]
    return sorted(found, key=lambda path: path.relative_to(kb.articles).as_posix())


def check_document(
    kb: KnowledgeBase, path: Path, notes: NoteLocations, *, fix: bool = False
) -> _Document:
    """Everything wrong with one file of `articles/` (an article or a `_` document)."""
    rel = path.relative_to(kb.root).as_posix()
    result = _Document()
    try:
        data = path.read_bytes()
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
        result.errors.append(Finding(rel, 1, message, kind=UNREADABLE))
        return result
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start})"
        result.errors.append(Finding(rel, line, message, kind=UNREADABLE))
        text = data.decode("utf-8", errors="replace")
        result.cited = _note_names(links.scan(parser.parse(text)))
        return result
    if fix and not in_meta_folder(rel):
        raw, result.fixes = repair(kb, path, raw, notes)
    text = raw.removeprefix("\ufeff")
    special = is_meta_document(rel)
    result.errors += [
        Finding(rel, line, message, kind=FRONT_MATTER)
        for line, message in front_matter_problems(text, required=not special)
    ]
    tokens = parser.parse(text)
    found_links = links.scan(tokens)
    _footnotes(rel, tokens, result)
    for link in found_links:
        problem = _broken(kb, path, link, notes)
        if problem is not None:
            result.errors.append(Finding(rel, link.line, problem, kind=BROKEN_LINK))
    result.errors += [
        Finding(rel, line, message, kind=OUTSIDE_RECORDING)
        for line, message in moment_problems(path, text, citations.scan(text, tokens))
    ]
    result.warnings += [
        Finding(rel, item.line, item.message, warning=True, kind=item.kind)
        for item in sanitize.findings(text, rel)
    ]
    result.cited = _note_names(found_links)
    result.errors.sort(key=lambda finding: finding.line or 0)
    result.warnings.sort(key=lambda finding: finding.line or 0)
    return result


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
        local = next(filter(None, map(local_path, definition.links)), None)
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


def front_matter_problems(text: str, *, required: bool = True) -> list[tuple[int, str]]:
    """(1-based line, message) for each front matter problem of a document's text.

    An article needs its keys (title, created, updated, tags, status); a `_` document
    (`required=False`) may have no front matter, but what it has must be valid YAML.
    """
    text = text.replace("\r\n", "\n")
    if not required:
        if not text.startswith(frontmatter.FENCE + "\n"):
            return []
        try:
            articles.read_front_matter(text)
        except articles.ArticleFormatError as error:
            return [(error.line or 1, str(error))]
        return []
    try:
        data, _ = articles.read_front_matter(text)
    except articles.ArticleFormatError as error:
        return [(error.line or 1, str(error))]
    lines = articles.key_lines(text)
    return [
        (lines.get(problem.key, 1), f"front matter: {problem.message}")
        for problem in articles.meta_problems(data)
    ]


def _footnotes(rel: str, tokens: list[Token], result: _Document) -> None:
    """Markers without a definition and duplicate definitions (errors), unused ones (warnings).

    A marker written inside HTML (a `<figcaption>`) counts as a use of its definition.
    """
    defined: dict[str, links.Marker] = {}
    for definition in links.definitions(tokens):
        first = defined.setdefault(definition.label, definition)
        if first is not definition:
            message = (
                f"footnote [^{definition.label}] is defined twice (first on line {first.line})"
            )
            result.errors.append(Finding(rel, definition.line, message, kind=DUPLICATE_FOOTNOTE))
    used: set[str] = set()
    for marker in links.markers(tokens):
        if marker.label not in defined and marker.label not in used:
            where = " (in HTML)" if marker.in_html else ""
            message = f"footnote [^{marker.label}]{where} is used but not defined"
            result.errors.append(Finding(rel, marker.line, message, kind=UNDEFINED_FOOTNOTE))
        used.add(marker.label)
    for label, definition in defined.items():
        if label not in used:
            message = f"footnote [^{label}] is defined but never used"
            result.warnings.append(
                Finding(rel, definition.line, message, warning=True, kind=UNUSED_FOOTNOTE)
            )


def _broken(
    kb: KnowledgeBase, document: Path, link: links.Link, notes: NoteLocations
) -> str | None:
    """Why a local link does not resolve (None: it does, or it is not a local file link)."""
    local = local_path(link.target)
    if local is None:
        return None
    resolved = _normal(document.parent / local)
    if resolved.exists():
        return None
    name = PurePosixPath(local).name
    into_inbox = resolved.is_relative_to(_normal(kb.inbox)) or names.is_note_name(name)
    what = "source link" if link.footnote is not None or into_inbox else link.kind
    message = f"{what} {link.target}: no such file"
    elsewhere = notes.unique(name)
    if elsewhere is not None:
        message += f" (the note is at {elsewhere}; check --fix rewrites the link)"
    elif link.kind != links.HTML:
        message += notes.files.hint(name)
    return message


def _run_history(kb: KnowledgeBase) -> tuple[set[str], set[str]]:
    """(names of the notes drafting runs filed, names of those they set aside)."""
    try:
        records = runlog.runs(kb)
    except (OSError, ValueError) as error:
        log.warning("cannot read the run log: %s", error)
        return set(), set()
    filed = {_name(n) for record in records for n in record.filed if isinstance(n, str)}
    aside = {_name(n) for record in records for n in record.set_aside if isinstance(n, str)}
    return filed, aside


def _name(listed: str) -> str:
    return PurePosixPath(listed).name


def orphans(kb: KnowledgeBase, cited: set[str], set_aside: set[str], filed: set[str]) -> list[str]:
    """KB paths of notes a drafting run filed into `inbox/used/` that nothing links to now.

    A note set aside is not article material, so not an orphan. Notes filed some other way
    (by hand, or by an older tool that moved every note it read into `inbox/used/`, cited or
    not) are the author's business: only what voicenotes filed is its to warn about.
    """
    if not kb.used.is_dir():
        return []
    return sorted(
        f"inbox/used/{name}"
        for name in filed - set_aside - cited
        if names.is_note_name(name) and (kb.used / name).is_file()
    )


def _note_names(found: Iterable[links.Link]) -> set[str]:
    """Names of the notes that links point at (resolved or not: a broken link is its own error)."""
    result = set()
    for link in found:
        local = local_path(link.target)
        if local is not None and names.is_note_name(PurePosixPath(local).name):
            result.add(PurePosixPath(local).name)
    return result


def _normal(path: Path) -> Path:
    return Path(os.path.normpath(path.absolute()))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
