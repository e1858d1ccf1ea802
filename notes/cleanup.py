"""What no document uses, and removing it: `voicenotes cleanup` and `voicenotes remove ARTICLE`.

A note or an image is used when an article or a `_` document links to it (a footnote, an
`<img src>`, a Markdown image or link). Only `inbox/used/` notes and `assets/images/` files are
ever candidates: notes waiting in `inbox/raw/` never are, nor is anything a document links to.

`cleanup` touches only what voicenotes filed (notes.filed: the notes its drafting passes
recorded in the run log, and the images those notes name); notes and images an older tool or
the author put in the KB are never deleted or moved, only counted as left alone. It lists by
default and changes nothing. With `--delete` it moves each image of voicenotes' that no
document shows into `assets/images/_unused/`, as the KB keeps them, and rewrites its photo
note's `final_location` to match; it deletes the notes nobody cites (with the files kept for
them: attachments beside the note, its audio in `inbox/audio/`, its image in `_unused/`). An
unused photo note whose image is still outside `_unused/` stays until a later cleanup, so an
image leaves the articles' folders at the first `cleanup --delete` and is gone, with its note,
only at a later one; its note always says where it is. `--older-than DAYS` limits both to notes
dated and images changed more than DAYS days ago.

`remove ARTICLE` deletes the article, and the notes only it cites and the images only it shows
when voicenotes filed them; it names what it keeps because another document uses it, and
counts what it leaves alone because voicenotes did not file it (the author's own notes stay).
An image whose photo note voicenotes filed and another document still cites is moved into
`_unused/` instead, its note following.
"""

from __future__ import annotations

import argparse
import os
import posixpath
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from notes import (
    atomic,
    check,
    descriptions,
    filed,
    gitkb,
    inbox,
    index,
    links,
    names,
    noteformats,
)
from notes.errors import explain
from notes.kb import KnowledgeBase
from notes.markdown import parser
from notes.metadocs import is_meta_document
from notes.settings import Settings
from notes.transcripts import NoteFormatError

ASSETS = "assets/images"
UNUSED = f"{ASSETS}/_unused"


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


@dataclass
class Found:
    """What cleanup or remove found, and what it did (KB paths)."""

    notes: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    """Unused notes kept until their image, retired to `_unused/` now, goes at a later cleanup."""

    kept: list[str] = field(default_factory=list)
    left_alone: list[str] = field(default_factory=list)
    """What no document uses but voicenotes did not file (the author's, an older tool's)."""

    deleted: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def lines(self, *, dry_run: bool) -> list[str]:
        head = "would " if dry_run else ""
        out = [f"unused note: {path}" for path in self.notes]
        out += [f"unused note: {path} (goes with its image, later)" for path in self.waiting]
        out += [f"unused image: {path}" for path in self.images]
        out += [f"kept (used elsewhere): {path}" for path in self.kept]
        out += [f"deleted {path}" for path in self.deleted]
        out += [f"moved {source} -> {target}" for source, target in self.moved]
        out += [f"error: {problem}" for problem in self.problems]
        if self.left_alone:
            out.append(
                f"left alone: {_count(len(self.left_alone), 'file')} no document uses"
                " that voicenotes did not file"
            )
        count = len(self.notes) + len(self.images)
        out.append(f"{head}clean up {_count(count, 'file')}")
        return out


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
    found.left_alone = _not_voicenotes(kb, own, cited, shown)
    return found


def _not_voicenotes(
    kb: KnowledgeBase, own: filed.Owned, cited: set[str], shown: set[str]
) -> list[str]:
    """Notes in `inbox/used/` and images under `assets/images/` no one uses, not voicenotes'."""
    found = []
    for path in _notes_under(kb.used):
        rel = path.relative_to(kb.root).as_posix()
        if rel not in own.notes and path.name not in cited:
            found.append(rel)
    for path in _files_under(kb.root / ASSETS):
        rel = path.relative_to(kb.root).as_posix()
        if rel not in own.images and rel not in shown:
            found.append(rel)
    return found


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
                touched += _retire(kb, rel, owner, found)
        except (OSError, ValueError) as error:
            found.problems.append(f"{rel}: {explain(error)}")
            failed.add(owner or "")
    for rel in found.notes:
        if rel not in failed:
            touched += _delete_note(kb, kb.root / rel, found)
    return touched


def _retire(kb: KnowledgeBase, rel: str, owner: str | None, found: Found) -> list[Path]:
    """Move image `rel` into `_unused/` and record its new place in note `owner`.

    The note is rewritten atomically once the image is there; if it cannot be, the image
    moves back, so the note never names a place the image is not.
    """
    source = kb.root / rel
    target = _free(kb.root / UNUSED / source.name)
    target_rel = target.relative_to(kb.root).as_posix()
    atomic.move_file(source, target)
    touched = [source, target]
    if owner is not None:
        note = kb.root / owner
        try:
            text = note.read_bytes().decode("utf-8")
            new = filed.relocated(text, source.name, filed.location_for(owner, target_rel))
            atomic.write_text(note, new, overwrite=True)
        except (OSError, ValueError):
            atomic.move_file(target, source)
            raise
        touched.append(note)
    found.moved.append((rel, target_rel))
    return touched


def remove(kb: KnowledgeBase, article: str) -> Found:
    """Delete the article at KB path `article`, and the notes and images only it uses that
    voicenotes filed; those it did not file stay (`Found.left_alone`), as in `unused`.

    Raises FileNotFoundError when there is no such article.
    """
    all_uses = uses_of(kb)
    if article not in all_uses or is_meta_document(article):
        raise FileNotFoundError(f"no article {article}")
    own = all_uses.pop(article)
    others_notes = set().union(*(u.notes for u in all_uses.values())) if all_uses else set()
    others_files = set().union(*(u.files for u in all_uses.values())) if all_uses else set()
    found = Found()
    mine = filed.owned(kb)
    locations = _note_paths(kb)
    for name in sorted(own.notes):
        path = locations.get(name)
        if path is None:
            continue
        rel = path.relative_to(kb.root).as_posix()
        _sort_out(found, rel, used_elsewhere=name in others_notes, ours=rel in mine.notes)
    for rel in sorted(own.files):
        if rel.startswith(ASSETS + "/") and (kb.root / rel).is_file():
            _sort_out(found, rel, used_elsewhere=rel in others_files, ours=rel in mine.images)
    touched: list[Path] = []
    for rel in found.notes:
        touched += _delete_note(kb, kb.root / rel, found)
    for rel in found.images:
        owner = mine.images[rel]
        if owner not in found.notes and not rel.startswith(UNUSED + "/"):
            try:  # its photo note stays: the image retires, and the note says where to
                touched += _retire(kb, rel, owner, found)
            except (OSError, ValueError) as error:
                found.problems.append(f"{rel}: {explain(error)}")
            continue
        (kb.root / rel).unlink(missing_ok=True)
        found.deleted.append(rel)
        touched.append(kb.root / rel)
    (kb.root / article).unlink()
    found.deleted.append(article)
    touched.append(kb.root / article)
    touched += _forget_description(kb, article)
    if index.write_index(kb):
        touched.append(index.index_path(kb))
    _commit(kb, touched, f"Remove {article}", found)
    return found


def _sort_out(found: Found, rel: str, *, used_elsewhere: bool, ours: bool) -> None:
    """File a note or image the removed article used: kept, to go, or left alone."""
    if used_elsewhere:
        found.kept.append(rel)
    elif ours:
        (found.images if rel.startswith(ASSETS + "/") else found.notes).append(rel)
    else:
        found.left_alone.append(rel)


def article_path(kb: KnowledgeBase, given: str) -> str:
    """The KB path of an article named as `articles/x.md`, `x.md`, `x` or a file path."""
    candidate = Path(given)
    if candidate.is_absolute() or candidate.exists():
        try:
            return candidate.resolve().relative_to(kb.root.resolve()).as_posix()
        except ValueError:
            pass
    rel = given if given.startswith("articles/") else f"articles/{given}"
    return rel if rel.endswith(".md") else f"{rel}.md"


def run_cleanup(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes cleanup [--delete] [--older-than DAYS]`."""
    kb = KnowledgeBase(settings.kb)
    found = unused(kb, older_than=args.older_than)
    if args.delete:
        touched = clean(kb, found)
        _commit(kb, touched, "Clean up notes and images no article uses", found)
    for line in found.lines(dry_run=not args.delete):
        print(line)
    return 1 if found.problems else 0


def run_remove(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes remove ARTICLE`."""
    kb = KnowledgeBase(settings.kb)
    try:
        found = remove(kb, article_path(kb, args.article))
    except OSError as error:
        print(f"error: {explain(error)}", file=sys.stderr)
        return 1
    for line in found.lines(dry_run=False)[:-1]:
        print(line)
    return 1 if found.problems else 0


def _delete_note(kb: KnowledgeBase, path: Path, found: Found) -> list[Path]:
    """Delete a note and the files kept for it: attachments beside it, its audio."""
    files = [path]
    audio: Path | None = None
    try:
        note = noteformats.read(path)
        files = [path.parent / name for name in inbox.attachments(path.parent, note)] + files
        audio_name = note.meta.get("audio_file")
        if isinstance(audio_name, str) and "/" not in audio_name:
            audio = kb.audio / audio_name
    except NoteFormatError:
        pass
    if audio is not None and audio.is_file():
        files.insert(0, audio)
    touched: list[Path] = []
    for file in files:
        rel = file.relative_to(kb.root).as_posix()
        try:
            file.unlink()
        except OSError as error:
            found.problems.append(f"{rel}: {explain(error)}")
            continue
        found.deleted.append(rel)
        touched.append(file)
    return touched


def _forget_description(kb: KnowledgeBase, article: str) -> list[Path]:
    stored = descriptions.load(kb)
    if stored.pop(article, None) is None:
        return []
    descriptions.save(kb, stored)
    return [kb.state / descriptions.DESCRIPTIONS_NAME]


def _commit(kb: KnowledgeBase, touched: list[Path], message: str, found: Found) -> None:
    try:
        gitkb.commit(kb.root, touched, message)
    except gitkb.GitError as error:
        found.problems.append(f"no git commit: {error}")


def _notes_under(folder: Path) -> list[Path]:
    return [p for p in _files_under(folder) if names.is_note_name(p.name)]


def _files_under(folder: Path) -> list[Path]:
    found: list[Path] = []
    for parent, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(sub for sub in subfolders if not sub.startswith("."))
        found += [Path(parent) / f for f in sorted(files) if not f.startswith(".")]
    return found


def _note_paths(kb: KnowledgeBase) -> dict[str, Path]:
    """Notes in `inbox/used/` by name (the first one found when a name repeats)."""
    paths: dict[str, Path] = {}
    for path in _notes_under(kb.used):
        paths.setdefault(path.name, path)
    return paths


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


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def _free(target: Path) -> Path:
    """`target`, or `stem-2.ext`.. when a file of that name is there already."""
    number = 2
    found = target
    while found.exists():
        found = target.with_name(f"{target.stem}-{number}{target.suffix}")
        number += 1
    return found
