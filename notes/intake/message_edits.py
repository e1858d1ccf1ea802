"""Edited messages: a note not yet drafted takes the new words; a drafted one gets a follow-up.

Only what the tool wrote from the message changes: a text note's text, or the `Caption: …`
line that ends a photo, file or video note. A note already in `inbox/used/` (an article cites
it) is never touched; `NAME_edited.md` (then `_edited2.md`…) says what the message now reads.
When one article cites the drafted note, the follow-up is a revision request for it
(`article:` in its front matter): drafting replaces what was drafted from the old words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from notes.intake import formats, inbox, transcripts
from notes.intake.origin import Origin
from notes.kb import KnowledgeBase, articlefiles, atomic
from notes.markdown import frontmatter

_CAPTIONED = (formats.PHOTO_SUFFIX, formats.FILE_SUFFIX, formats.VIDEO_SUFFIX)
_LEGACY_TEXT = "_text.txt"
"""Text notes of the transcript format (`source: telegram_text`); `NAME.md` is the KB's."""


@dataclass(frozen=True)
class Edit:
    path: Path
    action: str
    """`updated` (the note in raw/ now holds the new words), `follow_up` (a new note says what
    changed), `unchanged` (the note already reads so) or `unknown` (no note of that message)."""


def apply_edit(kb: KnowledgeBase, stem: str, text: str, origin: Origin) -> Edit:
    """Carry the edited text or caption of message `stem` into its note."""
    for suffix in (_LEGACY_TEXT, formats.TEXT_SUFFIX):
        path = inbox.note_path(kb, stem + suffix)
        if path is not None:
            return _text(kb, path, text, origin)
    for suffix in _CAPTIONED:
        path = inbox.note_path(kb, stem + suffix)
        if path is not None:
            return _caption(kb, path, text, origin)
    return Edit(kb.raw / (stem + formats.TEXT_SUFFIX), "unknown")


def _text(kb: KnowledgeBase, path: Path, text: str, origin: Origin) -> Edit:
    document = path.read_text(encoding="utf-8")
    head, body = _split(document)
    if body.removeprefix("\n") == text:
        return Edit(path, "unchanged")
    if path.parent != kb.raw:
        return _follow_up(kb, path, text, origin)
    if path.name.endswith(_LEGACY_TEXT):
        note = transcripts.parse(document)
        updated = transcripts.render(transcripts.Note(note.header, text))
    else:
        updated = head + "\n\n" + text
    atomic.write_text(path, updated, overwrite=True)
    return Edit(path, "updated")


def _caption(kb: KnowledgeBase, path: Path, caption: str, origin: Origin) -> Edit:
    """The `Caption: …` paragraph replaced (or added); a video note's audio transcript and
    keyframe sections, which follow it, are kept as they are."""
    document = path.read_text(encoding="utf-8")
    video = path.name.endswith(formats.VIDEO_SUFFIX)
    cut = formats.video_sections_at(document) if video else len(document)
    core, ending = document[:cut], document[cut:]
    at = core.rfind("\n\nCaption: ")
    current = core[at + len("\n\nCaption: ") :] if at >= 0 else None
    if current == caption:
        return Edit(path, "unchanged")
    if path.parent != kb.raw:
        return _follow_up(kb, path, caption, origin, what="caption")
    kept = core[:at] if at >= 0 else core
    updated = kept + "\n\n" + formats.caption_line(caption) + ending
    atomic.write_text(path, updated, overwrite=True)
    return Edit(path, "updated")


def _follow_up(
    kb: KnowledgeBase, drafted: Path, text: str, origin: Origin, what: str = "text"
) -> Edit:
    stem = _stem(drafted.name)
    number, latest = 1, None
    while True:
        name = f"{stem}_edited{'' if number == 1 else number}.md"
        if inbox.note_path(kb, name) is None:
            break
        latest = inbox.note_path(kb, name)
        number += 1
    body = (
        f"The author edited the {what} of this message after it was drafted "
        f"(the drafted note is {drafted.name}). It now reads:\n\n{text}"
    )
    if latest is not None and latest.read_text(encoding="utf-8").endswith("\n\n" + body):
        return Edit(latest, "unchanged")  # the same edit again (delivered twice)
    cited_by = citing_articles(kb, drafted.name)
    # Cited by one article: a request to replace what was drafted there from the old words.
    extra = (
        ("edit_of", drafted.name),
        *transcripts.request_extra(cited_by[0] if len(cited_by) == 1 else None).items(),
    )
    note = formats.text_note(origin, body, extra)
    path = atomic.write_text(kb.raw / name, note)
    return Edit(path, "follow_up")


def citing_articles(kb: KnowledgeBase, note_name: str) -> list[str]:
    """The KB paths of the articles whose text names note `note_name` (its footnote link)."""
    found = []
    for path in articlefiles.iter_articles(kb):
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if f"/{note_name})" in text or f"[{note_name}]" in text:
            found.append(path.relative_to(kb.root).as_posix())
    return found


def _stem(name: str) -> str:
    for suffix in (_LEGACY_TEXT, *_CAPTIONED, formats.TEXT_SUFFIX):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def _split(document: str) -> tuple[str, str]:
    """(the front matter block through its closing `---`, the rest)."""
    _, rest = frontmatter.split(document)
    return document[: len(document) - len(rest)].removesuffix("\n"), rest
