"""What a drafting pass is about to change, kept on disk until its commit is made.

A pass writes the journal (`.voicenotes/pass.json`, atomically) before each write or move,
naming every path it may touch, and removes it once its work is committed. A journal found
when a pass starts is the work of a pass that was killed (or could not commit): the new pass
commits those paths with its own, regenerates the index, and logs the old pass.

Figures are named too (`FigureMove`: photo note, image, asset, article) before the article
that shows them is written. `finish_figures` settles each one the killed pass left: when the
article on disk shows the asset, the image is moved there (if it is not yet) and the photo
note records it (`final_location`); when it does not, an image already moved goes back to
`inbox/raw/`. Either way image, note and `<img src>` agree.

Revision requests applied but not cited are named too (`RequestFiling`: the note, its
article, digests of the article as the pass read it and as it was writing it).
`finish_requests` files each one the killed pass left in `inbox/raw/` when its article no
longer reads as it did: the revision was written, and asking for it again would change the
article twice. A request whose article is unchanged was not applied; it stays for the next
pass. An article that is neither (edited by hand since) is reported, its request filed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from notes.drafting import figures
from notes.drafting.plan import BatchPlan
from notes.intake import inbox
from notes.kb import KnowledgeBase, atomic, runlog
from notes.markdown import articles

JOURNAL_NAME = "pass.json"


@dataclass(frozen=True)
class FigureMove:
    """An image a pass places: from `inbox/raw/{image}` to `asset`, shown by `article`."""

    note: str
    """The photo note's name (`NAME_photo.md`)."""
    image: str
    asset: str
    """KB path: `assets/images/{slug}/{name}.jpg`."""
    article: str
    """KB path of the article that shows it."""


@dataclass(frozen=True)
class RequestFiling:
    """A revision request applied but not cited: to `inbox/used/feedback/` once its article
    is written."""

    note: str
    article: str
    """KB path of the article it revises."""
    before: str
    """SHA-256 of the article's bytes as the pass read them."""
    after: str = ""
    """SHA-256 of the bytes the pass was writing."""


@dataclass
class Journal:
    time: str
    """When the pass started (its run log time)."""
    prompts: dict[str, str] = field(default_factory=dict)
    model: str = ""
    created: list[str] = field(default_factory=list)
    """Articles the pass writes new, relative to the KB root."""
    updated: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    """Every path the pass may have written, moved or removed, relative to the KB root."""
    figures: list[FigureMove] = field(default_factory=list)
    requests: list[RequestFiling] = field(default_factory=list)

    def add(self, root: Path, paths: list[Path]) -> None:
        for path in paths:
            rel = (path if path.is_absolute() else root / path).relative_to(root).as_posix()
            if rel not in self.paths:
                self.paths.append(rel)


def journal_path(kb: KnowledgeBase) -> Path:
    return kb.state / JOURNAL_NAME


def save(kb: KnowledgeBase, journal: Journal) -> None:
    """Write the journal atomically (raises OSError when it cannot)."""
    text = json.dumps(asdict(journal), ensure_ascii=False, indent=1) + "\n"
    atomic.write_text(journal_path(kb), text, overwrite=True)


def load(kb: KnowledgeBase) -> Journal | None:
    """The journal of an unfinished pass; None when there is none or it cannot be read."""
    try:
        data = json.loads(journal_path(kb).read_text(encoding="utf-8"))
        data["figures"] = [FigureMove(**move) for move in data.get("figures", [])]
        data["requests"] = [RequestFiling(**request) for request in data.get("requests", [])]
        journal = Journal(**data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        return None
    journal.paths = [p for p in journal.paths if _inside(kb.root, p)]
    journal.figures = [
        move
        for move in journal.figures
        if all(_inside(kb.root, p) for p in (move.asset, move.article))
        and all(_plain(name) for name in (move.image, move.note))
    ]
    journal.requests = [
        r for r in journal.requests if _inside(kb.root, r.article) and _plain(r.note)
    ]
    return journal


def clear(kb: KnowledgeBase) -> None:
    journal_path(kb).unlink(missing_ok=True)


def _inside(root: Path, rel: str) -> bool:
    """A path the journal may name: relative, below the KB root (never `..`)."""
    path = Path(rel)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def _plain(name: str) -> bool:
    """A file name the journal may name inside `inbox/` (no folder, never `.` or `..`)."""
    return "/" not in name and "\\" not in name and name not in ("", ".", "..")


def run_record(kb: KnowledgeBase, old: Journal, finisher: runlog.RunRecord) -> runlog.RunRecord:
    """The run log line of the unfinished pass `old`, committed by the pass of `finisher`."""
    folders = (Path("inbox/used"), Path("inbox/used") / inbox.FEEDBACK)
    used = [Path(p) for p in old.paths if Path(p).parent in folders]
    return runlog.RunRecord(
        time=old.time,
        prompts=old.prompts,
        model=old.model,
        created=[p for p in old.created if (kb.root / p).is_file()],
        updated=[p for p in old.updated if (kb.root / p).is_file()],
        filed=[path.name for path in used if (kb.root / path).is_file()],
        errors=[f"the pass did not complete; the pass of {finisher.time} committed it"],
        commit=finisher.commit,
    )


def request_filings(plan: BatchPlan) -> list[RequestFiling]:
    """The feedback requests of `plan`, each with the article it revises as it was read."""
    filings = []
    for name in plan.feedback:
        for change in plan.changes:
            if name in change.requests and change.before is not None:
                before, after = (
                    _digest(t.encode("utf-8")) for t in (change.before.text, change.after)
                )
                filings.append(RequestFiling(name, change.path, before, after))
                break
    return filings


Filed = list[tuple[RequestFiling, bool]]
"""Requests filed, each with whether its article reads as the pass wrote it (False: it was
edited since, so the revision may not be all there)."""


def finish_requests(kb: KnowledgeBase, old: Journal) -> tuple[Filed, list[Path]]:
    """File each request of the unfinished pass `old` still in `inbox/raw/` whose article has
    changed since that pass read it; those filed, and the paths touched (attachments too).

    Raises OSError when a note cannot be moved; what was filed before stays filed.
    """
    filed: Filed = []
    touched: list[Path] = []
    for request in old.requests:
        now = _digest_of(kb.root / request.article)
        if not (kb.raw / request.note).is_file() or now in (None, request.before):
            continue
        touched += inbox.move_to_used(kb, request.note, inbox.FEEDBACK)
        filed.append((request, now == request.after))
    return filed, touched


def _digest_of(path: Path) -> str | None:
    """The SHA-256 of a file's bytes; None when it cannot be read (gone, say)."""
    try:
        return _digest(path.read_bytes())
    except OSError:
        return None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def finish_figures(kb: KnowledgeBase, old: Journal) -> list[Path]:
    """Complete or undo each figure move of the unfinished pass `old`; the paths touched.

    Raises OSError (or UnicodeDecodeError for a note that is not UTF-8) when a file cannot
    be moved or written; what was settled before stays settled.
    """
    touched: list[Path] = []
    for move in old.figures:
        image, asset = kb.raw / move.image, kb.root / move.asset
        note = next((f / move.note for f in (kb.raw, kb.used) if (f / move.note).is_file()), None)
        touched += [image, asset, *([note] if note is not None else [])]
        if not _shows(kb, move):
            if asset.is_file() and not image.exists():
                atomic.move_file(asset, image)
            continue
        if image.is_file() and not asset.exists():
            atomic.move_file(image, asset)
        if note is not None and asset.is_file():
            text = note.read_bytes().decode("utf-8")
            placed = figures.PlacedFigure(move.note, move.image, move.asset, 0, "", "")
            recorded = figures.record_placement(text, placed, move.article)
            if recorded != text:
                atomic.write_text(note, recorded, overwrite=True)
    return touched


def _shows(kb: KnowledgeBase, move: FigureMove) -> bool:
    """Whether the article on disk has the figure's `<img src>`."""
    try:
        text = (kb.root / move.article).read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return False
    return f'src="{articles.relative_link(move.article, move.asset)}"' in text
