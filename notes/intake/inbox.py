"""Filing notes into the inbox, listing what waits in `inbox/raw/`, reading it back.

Every file in `inbox/raw/` is either a note (notes.intake.noteformats reads every kind the KB has),
an attachment of one (its photo, video or file), or something that cannot be read: drafting
and the watcher name each of those with the reason, so nothing there is ignored in silence.
Hidden files (`.gitkeep`, a write in progress) are not looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from notes.intake import noteformats, transcripts
from notes.intake.noteformats import NoteFile
from notes.intake.transcripts import Note, NoteFormatError
from notes.kb import KnowledgeBase, atomic, names


class AlreadyFiled(FileExistsError):
    """A note of that name is in the inbox already (raw or used)."""


FEEDBACK = "feedback"
"""The folder of `inbox/used/` that holds revision requests drafting applied but cites not."""


def note_path(kb: KnowledgeBase, filename: str) -> Path | None:
    """Where a note of this file name is now, in `raw/`, `used/` or `used/feedback/`."""
    for folder in (kb.raw, kb.used, kb.used / FEEDBACK):
        if (folder / filename).is_file():
            return folder / filename
    return None


def ensure_new(kb: KnowledgeBase, filename: str) -> None:
    """An early look, before work that costs (a transcription, a fetch): raises AlreadyFiled
    when the note is in the inbox. Only `file_note` answers for sure."""
    existing = note_path(kb, filename)
    if existing is not None:
        raise AlreadyFiled(f"already filed as {existing.relative_to(kb.root)}")


def file_note(kb: KnowledgeBase, filename: str, note: Note | str) -> Path:
    """Write a new note to `inbox/raw/filename`: the one place that files a note, and the one
    answer to "already filed?" (AlreadyFiled when it is in `raw/`, `used/` or
    `used/feedback/`, or appeared meanwhile: never overwrites).

    A `Note` is rendered marked `filed_by: voicenotes`; a text (a material note, its front
    matter written by notes.intake.formats) is written as given. A caller's earlier look
    (`ensure_new`) only saves work; a process killed between that look and this write files
    the note at its next try, and this call is what refuses a second copy.
    """
    ensure_new(kb, filename)
    text = note if isinstance(note, str) else transcripts.render(transcripts.as_filed(note))
    try:
        return atomic.write_text(kb.raw / filename, text)
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
    """Notes waiting in `inbox/raw/`, oldest name first (names start with the UTC time).

    By name only: whether each can be read is `scan_raw`'s business.
    """
    return sorted(_notes_in(kb.raw))


@dataclass(frozen=True)
class Unreadable:
    """A file in `inbox/raw/` that is not drafted, and why."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"inbox/raw/{self.name} not read: {self.reason}"


@dataclass
class RawScan:
    """What `inbox/raw/` holds: readable notes (oldest name first), attachments, the rest."""

    notes: list[NoteFile] = field(default_factory=list)
    attachments: dict[str, list[str]] = field(default_factory=dict)
    """Note name -> names of the files kept beside it (its photo, video, file)."""

    unreadable: list[Unreadable] = field(default_factory=list)


def scan_raw(kb: KnowledgeBase) -> RawScan:
    """Read every file of `inbox/raw/`; never raises for a bad file (it is listed instead)."""
    scan = RawScan()
    try:
        entries = sorted(p for p in kb.raw.iterdir() if not p.name.startswith("."))
    except OSError:
        return scan
    others: list[Path] = []
    for path in entries:
        if path.is_dir():
            scan.unreadable.append(Unreadable(path.name, "a folder: notes in it are not read"))
        elif names.is_note_name(path.name):
            try:
                scan.notes.append(noteformats.read(path))
            except NoteFormatError as error:
                scan.unreadable.append(Unreadable(path.name, str(error)))
        else:
            others.append(path)
    owners = _owners(scan.notes, {note.name for note in scan.notes})
    for path in others:
        owner = owners.get(path.name) or owners.get(_stem(path.name))
        if owner is None:
            scan.unreadable.append(Unreadable(path.name, _why_not_a_note(path.name)))
        else:
            scan.attachments.setdefault(owner, []).append(path.name)
    scan.unreadable.sort(key=lambda problem: problem.name)
    return scan


def unreadable(kb: KnowledgeBase) -> list[str]:
    """One line for each file of `inbox/raw/` that drafting cannot read, naming it and why."""
    return [str(problem) for problem in scan_raw(kb).unreadable]


def attachments(folder: Path, note: NoteFile) -> list[str]:
    """Names of the files in `folder` that belong to `note` (its stem, or named by it)."""
    stem = names.stem_of(note.name)
    found = []
    for name in (*note.attachments, *_same_stem(folder, stem)):
        if name not in found and (folder / name).is_file() and not names.is_note_name(name):
            found.append(name)
    return found


def _same_stem(folder: Path, stem: str) -> list[str]:
    try:
        return sorted(p.name for p in folder.glob(f"{stem}.*") if _stem(p.name) == stem)
    except OSError:
        return []


def _owners(notes: list[NoteFile], note_names: set[str]) -> dict[str, str]:
    """Attachment name (or stem) -> the note it belongs to."""
    owners: dict[str, str] = {}
    for note in notes:
        owners.setdefault(names.stem_of(note.name), note.name)
        for name in note.attachments:
            owners.setdefault(PurePath(name).name, note.name)
    return {key: value for key, value in owners.items() if key not in note_names}


def _stem(filename: str) -> str:
    return filename.split(".", 1)[0]


def _why_not_a_note(filename: str) -> str:
    if filename.endswith((".md", ".txt")):
        return (
            "not a note's name (a note is NAME_transcript.txt, NAME.md, NAME_photo.md, "
            "NAME_file.md or NAME_video.md, NAME starting with YYYYMMDD_HHMMSS_)"
        )
    return "not a note, and no note in inbox/raw names it as its attachment"


def _notes_in(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from (p for p in folder.iterdir() if p.is_file() and names.is_note_name(p.name))


def move_to_used(kb: KnowledgeBase, name: str, folder: str = "") -> list[Path]:
    """Move note `name` and its attachments from `inbox/raw/` to `inbox/used/` (or its
    `folder`, such as FEEDBACK).

    Returns every path involved (each source and target), for the commit. Raises OSError
    when something cannot be moved; what moved before that stays moved. The note moves last:
    one left in `inbox/raw/` is filed by the next pass with whatever attachments remain.
    """
    source = kb.raw / name
    try:
        extras = attachments(kb.raw, noteformats.read(source))
    except NoteFormatError:
        extras = [n for n in _same_stem(kb.raw, names.stem_of(name)) if not names.is_note_name(n)]
    touched: list[Path] = []
    target = kb.used / folder if folder else kb.used
    for moved in (*extras, name):
        atomic.move_file(kb.raw / moved, target / moved)
        touched += [kb.raw / moved, target / moved]
    return touched
