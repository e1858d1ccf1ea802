"""Filing notes into the inbox and reading them back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from notes import atomic, names, transcripts
from notes.kb import KnowledgeBase
from notes.transcripts import Note


class AlreadyFiled(FileExistsError):
    """A note of that name is in the inbox already (raw or used)."""


def note_path(kb: KnowledgeBase, filename: str) -> Path | None:
    """Where a note of this file name is now, in `raw/` or `used/`, if anywhere."""
    for folder in (kb.raw, kb.used):
        if (folder / filename).is_file():
            return folder / filename
    return None


def ensure_new(kb: KnowledgeBase, filename: str) -> None:
    existing = note_path(kb, filename)
    if existing is not None:
        raise AlreadyFiled(f"already filed as {existing.relative_to(kb.root)}")


def file_note(kb: KnowledgeBase, filename: str, note: Note) -> Path:
    """Write `note` to `inbox/raw/filename`; never overwrites a note filed before."""
    ensure_new(kb, filename)
    try:
        return atomic.write_text(kb.raw / filename, transcripts.render(note))
    except FileExistsError:
        raise AlreadyFiled(f"already filed as inbox/raw/{filename}") from None


def keep_audio(kb: KnowledgeBase, source: Path, audio_name: str) -> Path:
    """Copy the original recording to `inbox/audio/`; an identical copy there is reused."""
    target = kb.audio / audio_name
    if target.exists() and target.stat().st_size == source.stat().st_size:
        return target
    return atomic.copy_file(source, target)


def read_note(path: Path) -> Note:
    return transcripts.parse(path.read_text(encoding="utf-8"))


def pending(kb: KnowledgeBase) -> list[Path]:
    """Notes waiting in `inbox/raw/`, oldest name first (names start with the UTC time)."""
    return sorted(_notes_in(kb.raw))


def _notes_in(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from (p for p in folder.iterdir() if p.is_file() and names.is_note_name(p.name))
