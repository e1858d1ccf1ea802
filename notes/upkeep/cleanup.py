"""What no document uses, and cleaning it up: `voicenotes cleanup`.

A note or an image is used when an article or a `_` document links to it (a footnote, an
`<img src>`, a Markdown image or link). Only `inbox/used/` notes and `assets/images/` files are
ever candidates: notes waiting in `inbox/raw/` never are, nor is anything a document links to.

`cleanup` touches only what voicenotes filed (notes.upkeep.filed: the notes its drafting passes
recorded in the run log that say `filed_by: voicenotes` themselves, and the images those notes
name); notes and images an older tool or the author put in the KB are never deleted or moved,
only counted as left alone (`--list` names each, and why). It lists by default and changes
nothing. With `--delete`, under the drafting lock, it moves each image of voicenotes' that no
document shows into `assets/images/_unused/`, as the KB keeps them, and rewrites its photo
note's `final_location` to match; it deletes the notes nobody cites (with the files kept for
them: attachments beside the note, its audio in `inbox/audio/`, its image in `_unused/`). An
unused photo note whose image is still outside `_unused/` stays until a later cleanup, so an
image leaves the articles' folders at the first `cleanup --delete` and is gone, with its note,
only at a later one; its note always says where it is. `--older-than DAYS` limits both to notes
dated and images changed more than DAYS days ago. Removing an article is notes.upkeep.removal.
"""

from __future__ import annotations

import argparse
import posixpath
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from notes.errors import explain
from notes.intake import noteformats
from notes.intake.transcripts import NoteFormatError
from notes.kb import KnowledgeBase, lock, names
from notes.markdown import links, parser
from notes.settings import Settings
from notes.upkeep import check, filed, tidy
from notes.upkeep.tidy import ASSETS, UNUSED, Found

__all__ = ["Found", "Uses", "clean", "document_uses", "unused", "uses_of"]


@dataclass
class Uses:
    """What one document links to: note names, and KB paths of other local files."""

    notes: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)


def uses_of(kb: KnowledgeBase) -> dict[str, Uses]:
    """Every article and `_` document (KB path) and what it links to."""
    found: dict[str, Uses] = {}
    for path in check.documents(kb):
        rel = path.relative_to(kb.root).as_posix()
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            text = ""
        found[rel] = document_uses(rel, text)
    return found


def document_uses(rel: str, text: str) -> Uses:
    """What the document at KB path `rel` with `text` links to (pure)."""
    uses = Uses()
    folder = posixpath.dirname(rel)
    for link in links.scan(parser.parse(text)):
        parts = urlsplit(link.target)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith(("/", "~")):
            continue
        target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
        name = PurePosixPath(target).name
        if names.is_note_name(name):
            uses.notes.add(name)
        else:
            uses.files.add(target)
    return uses


def unused(kb: KnowledgeBase, *, older_than: float | None = None) -> Found:
    """What voicenotes filed that no document uses: notes in `inbox/used/` and their images.

    A note counts as used when a document cites it or shows its image. An unused note whose
    image is still outside `_unused/` waits (`Found.waiting`) while the image retires; one
    whose images are all in `_unused/` goes with them. What voicenotes did not file is only
    counted (`Found.left_alone`).
    """
    all_uses = list(uses_of(kb).values())
    cited = set().union(*(u.notes for u in all_uses)) if all_uses else set()
    shown = set().union(*(u.files for u in all_uses)) if all_uses else set()
    cutoff = datetime.now(UTC) - timedelta(days=older_than) if older_than is not None else None
    own = filed.owned(kb)
    images_of = _by_note(own.images)
    found = Found()
    for rel in sorted(own.notes):
        mine = images_of.get(rel, [])
        if posixpath.basename(rel) in cited or shown.intersection(mine):
            continue
        if not _older(_note_time(kb.root / rel), cutoff):
            continue
        retiring = [image for image in mine if not image.startswith(UNUSED + "/")]
        (found.waiting if retiring else found.notes).append(rel)
    going = set(found.notes)
    for image, owner in sorted(own.images.items()):
        if image in shown:
            continue
        if image.startswith(UNUSED + "/"):
            if owner in going:
                found.images.append(image)
        elif _older(_mtime(kb.root / image), cutoff):
            found.images.append(image)
    _not_voicenotes(kb, own, cited, shown, found)
    return found


def _not_voicenotes(
    kb: KnowledgeBase, own: filed.Owned, cited: set[str], shown: set[str], found: Found
) -> None:
    """Notes in `inbox/used/` and images under `assets/images/` no one uses, not voicenotes':
    into `found.left_alone`, each with its reason."""
    for path in tidy.notes_under(kb.used):
        rel = path.relative_to(kb.root).as_posix()
        if rel not in own.notes and path.name not in cited:
            found.left_alone.append(rel)
            found.why[rel] = tidy.reason(own, rel)
    for path in tidy.files_under(kb.root / ASSETS):
        rel = path.relative_to(kb.root).as_posix()
        if rel not in own.images and rel not in shown:
            found.left_alone.append(rel)
            found.why[rel] = tidy.reason(own, rel)


def clean(kb: KnowledgeBase, found: Found) -> list[Path]:
    """Retire or delete `found.images`, then delete `found.notes` (and their files).

    An image outside `_unused/` moves there and its note's `final_location` follows it; one
    in `_unused/` is deleted with its note. A note whose image could not be dealt with stays.
    Returns the paths touched.
    """
    owners = filed.owned(kb).images
    touched: list[Path] = []
    failed: set[str] = set()
    for rel in found.images:
        owner = owners.get(rel)
        try:
            if rel.startswith(UNUSED + "/"):
                (kb.root / rel).unlink()
                found.deleted.append(rel)
                touched.append(kb.root / rel)
            else:
                touched += tidy.retire(kb, rel, owner, found)
        except (OSError, ValueError) as error:
            found.problems.append(f"{rel}: {explain(error)}")
            failed.add(owner or "")
    for rel in found.notes:
        if rel not in failed:
            touched += tidy.delete_note(kb, kb.root / rel, found)
    return touched


def run_cleanup(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes cleanup [--delete] [--list] [--older-than DAYS]`.

    `--delete` holds the drafting lock (a pass running: one line, nothing changed) and reads
    the documents again under it, so nothing a pass has just cited goes; it regenerates the
    generated index (an article deleted by hand leaves it), commits, and pushes when
    `VOICENOTES_GIT_PUSH` asks.
    """
    kb = KnowledgeBase(settings.kb)
    if not args.delete:
        found = unused(kb, older_than=args.older_than)
    else:
        try:
            with tidy.locked(kb):
                found = unused(kb, older_than=args.older_than)
                touched = clean(kb, found) + tidy.reindex(kb)
                message = "Clean up notes and images no article uses"
                tidy.commit(kb, touched, message, found, push=settings.git_push)
        except (lock.Busy, OSError) as error:
            return tidy.failed(error, "nothing cleaned up")
    for line in found.lines(dry_run=not args.delete, why=bool(getattr(args, "list", False))):
        print(line)
    return 1 if found.problems else 0


def _note_time(path: Path) -> datetime:
    try:
        return noteformats.read(path).date
    except NoteFormatError:
        return names.time_of(path.name) or _mtime(path)


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _older(when: datetime, cutoff: datetime | None) -> bool:
    return cutoff is None or when < cutoff


def _by_note(images: dict[str, str]) -> dict[str, list[str]]:
    """Note -> its images, from image -> note."""
    found: dict[str, list[str]] = {}
    for image, note in images.items():
        found.setdefault(note, []).append(image)
    return found
