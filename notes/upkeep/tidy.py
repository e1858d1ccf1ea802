"""The changes `cleanup` and `remove` make to the KB, and what they share: finding notes and
files, retiring an image into `assets/images/_unused/`, deleting a note with the files kept
for it, and committing (and pushing, when `VOICENOTES_GIT_PUSH` asks) what they touched.

Every change here is made under the KB's drafting lock by the callers (notes.kb.lock), so no
pass writes between what they read and what they change.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from notes.errors import explain
from notes.intake import inbox, noteformats
from notes.intake.transcripts import NoteFormatError
from notes.kb import STATE_GITIGNORE, KnowledgeBase, atomic, descriptions, gitkb, lock, names
from notes.upkeep import filed, index

ASSETS = "assets/images"
UNUSED = f"{ASSETS}/_unused"
_CREDENTIALS = re.compile(r"//[^/@\s]+@")
"""`user:token@` in a URL git may quote when a push fails."""


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

    why: dict[str, str] = field(default_factory=dict)
    """Why each of `left_alone` is not voicenotes' to change (for `cleanup --list`)."""

    deleted: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def lines(self, *, dry_run: bool, why: bool = False) -> list[str]:
        """What to print; `why` names each file left alone, with its reason."""
        head = "would " if dry_run else ""
        out = [f"unused note: {path}" for path in self.notes]
        out += [f"unused note: {path} (goes with its image, later)" for path in self.waiting]
        out += [f"unused image: {path}" for path in self.images]
        out += [f"kept (used elsewhere): {path}" for path in self.kept]
        out += [f"deleted {path}" for path in self.deleted]
        out += [f"moved {source} -> {target}" for source, target in self.moved]
        out += [f"error: {problem}" for problem in self.problems]
        if why:
            out += [
                f"left alone: {path} ({self.why.get(path, 'not filed')})"
                for path in self.left_alone
            ]
        if self.left_alone:
            out.append(
                f"left alone: {count(len(self.left_alone), 'file')} no document uses"
                " that voicenotes did not file"
            )
        total = len(self.notes) + len(self.images)
        out.append(f"{head}clean up {count(total, 'file')}")
        return out


@contextlib.contextmanager
def locked(kb: KnowledgeBase) -> Iterator[None]:
    """Hold the drafting lock (lock.Busy when a pass has it). The lock file's folder gets its
    `.gitignore` first, as a pass writes it, so git never sees `.voicenotes/` as new."""
    ignore = kb.state / ".gitignore"
    if not ignore.exists():
        kb.state.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            atomic.write_text(ignore, STATE_GITIGNORE)
    with lock.hold(kb):
        yield


def failed(error: lock.Busy | OSError, undone: str) -> int:
    """Says in one line on stderr why an upkeep command stopped (`undone`: what it left, for
    a held lock) and returns its exit status, 1."""
    if isinstance(error, lock.Busy):
        print(f"error: {error}; {undone}, try again after it", file=sys.stderr)
    else:
        print(f"error: {explain(error)}", file=sys.stderr)
    return 1


def reason(own: filed.Owned, rel: str) -> str:
    """Why the note or image at KB path `rel` is not voicenotes' to delete or move."""
    if rel in own.unmarked:
        return "its front matter does not say filed_by: voicenotes"
    if names.is_note_name(Path(rel).name):
        return "no drafting pass of voicenotes filed it"
    return "no note voicenotes filed names it"


def retire(kb: KnowledgeBase, rel: str, owner: str | None, found: Found) -> list[Path]:
    """Move image `rel` into `_unused/` and record its new place in note `owner`.

    The note is rewritten atomically once the image is there; if it cannot be, the image
    moves back, so the note never names a place the image is not.
    """
    source = kb.root / rel
    target = free(kb.root / UNUSED / source.name)
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


def delete_note(kb: KnowledgeBase, path: Path, found: Found) -> list[Path]:
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


def forget_description(kb: KnowledgeBase, article: str) -> list[Path]:
    """Drop the stored description of a removed article (the paths touched)."""
    stored = descriptions.load(kb)
    if stored.pop(article, None) is None:
        return []
    descriptions.save(kb, stored)
    return [kb.state / descriptions.DESCRIPTIONS_NAME]


def reindex(kb: KnowledgeBase, *, create: bool = False) -> list[Path]:
    """Regenerate the generated index (an article may be gone, by hand too); the paths
    touched. Without `create`, only when the KB has one already."""
    path = index.index_path(kb)
    if (create or path.is_file()) and index.write_index(kb):
        return [path]
    return []


def commit(
    kb: KnowledgeBase, touched: list[Path], message: str, found: Found, *, push: bool
) -> None:
    """Commit exactly `touched`; then push when `push` (a failed push is a problem line, with
    any credentials in the remote's URL hidden)."""
    try:
        sha = gitkb.commit(kb.root, touched, message)
    except gitkb.GitError as error:
        found.problems.append(f"no git commit: {error}")
        return
    if sha is None or not push:
        return
    try:
        gitkb.push(kb.root)
    except gitkb.GitError as error:
        found.problems.append(f"not pushed: {_CREDENTIALS.sub('//', str(error))}")


def notes_under(folder: Path) -> list[Path]:
    """Every note below `folder`, hidden folders skipped, in name order."""
    return [p for p in files_under(folder) if names.is_note_name(p.name)]


def files_under(folder: Path) -> list[Path]:
    """Every file below `folder` but hidden ones, in name order."""
    found: list[Path] = []
    for parent, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(sub for sub in subfolders if not sub.startswith("."))
        found += [Path(parent) / f for f in sorted(files) if not f.startswith(".")]
    return found


def count(number: int, noun: str) -> str:
    """`1 file`, `3 files`."""
    return f"{number} {noun}{'s' if number != 1 else ''}"


def free(target: Path) -> Path:
    """`target`, or `stem-2.ext`.. when a file of that name is there already."""
    number = 2
    found = target
    while found.exists():
        found = target.with_name(f"{target.stem}-{number}{target.suffix}")
        number += 1
    return found
