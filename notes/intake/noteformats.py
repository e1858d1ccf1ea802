"""Reading every kind of note the knowledge base holds, as the author's KB has them.

Every note is UTF-8 text: a YAML front matter block between `---` lines, then the body.
The keys come in this order; `date` is ISO 8601 with its UTC offset (a few old transcripts
have none: they are UTC, like the time in every name). NAME is `{YYYYMMDD_HHMMSS}_{user}_msg{N}`.

- Voice transcript, `NAME_transcript.txt`: `source: telegram_voice` (or `telegram_audio`,
  `telegram_video_note`, `audio_file`), `date`, `user_id`, `username`, `audio_file` (in
  `inbox/audio/`), sometimes `duration`, `language`, `model`; a blank line; the transcript
  wrapped at 100 columns; no newline at the end.
- Text note, `NAME.md`: `source: telegram`, `date`, `user_id`, `username`; a blank line; the
  message exactly as sent, no newline added at the end. New text notes are written this way.
  (`NAME_text.txt` with `source: telegram_text` is how earlier voicenotes versions wrote them;
  still read.)
- Photo note, `NAME_photo.md`: `source: telegram_photo`, `date`, `user_id`, `username`, then
  `image_file: NAME.jpg` (the photo, beside the note) and/or, once the image was placed in an
  article, `original_image: NAME.jpg`, `final_location: ../../assets/images/...`, sometimes
  `article`; a blank line; a Markdown description of the image (its type, content, visible
  text), with the caption if there was one.
- File note, `NAME_file.md`: `source: telegram_file`, `date`, `user_id`, `username`,
  `original_filename`, `saved_as: NAME.pdf` (the file, beside the note); no body, or a blank
  line and `Caption: ...`. Some file notes are `NAME.md` with `source: telegram_file` and
  `original_filename`, with no blank line after the front matter: the body is the file's text
  (a Markdown or text document) or the caption; the file itself may sit beside it as `NAME.EXT`.
- Video note, `NAME_video.md`: `source: telegram_video`, `date`, `user_id`, `username`,
  `message_id`, `chat_id`, `file_name`, `duration_seconds`, `width`, `height`,
  `file_size_bytes`; a blank line; `[View video on Telegram](https://t.me/c/...)`, a line of
  video info and `Caption: ...`.

Notes live in `inbox/raw/` (waiting), `inbox/used/` (cited or set aside) and subfolders of
`inbox/used/` such as `feedback/` (the old tool's set-aside notes). Files beside a note with
its stem (`NAME.jpg`, `NAME.mp4`, `NAME.pdf`, `NAME.txt`) or named by its `image_file`,
`saved_as` or `original_image` are its attachments, not notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from notes.intake.transcripts import NoteFormatError
from notes.kb import names
from notes.markdown import frontmatter

VOICE = "voice"
TEXT = "text"
PHOTO = "photo"
FILE = "file"
VIDEO = "video"
LINK = "link"
YOUTUBE = "youtube"
ATTACHMENT_KEYS = ("image_file", "saved_as", "original_image")
"""Front matter keys that name a file kept beside the note."""

_KIND_OF_SUFFIX = {
    names.TRANSCRIPT_SUFFIX: VOICE,
    names.LEGACY_TEXT_SUFFIX: TEXT,
    names.PHOTO_SUFFIX: PHOTO,
    names.FILE_SUFFIX: FILE,
    names.VIDEO_SUFFIX: VIDEO,
    names.TEXT_SUFFIX: TEXT,
}
_SHOWN = ("_transcript.txt", ".md", "_photo.md", "_file.md", "_video.md")
_KIND_OF_SOURCE = {"telegram_file": FILE, "telegram_photo": PHOTO, "telegram_video": VIDEO}
_KIND_OF_SOURCE_END = {"_link": LINK, "_youtube": YOUTUBE}
"""Link and YouTube notes (`NAME_link.md`, `NAME_youtube.md`, `source: telegram_link`..)."""


@dataclass(frozen=True)
class NoteFile:
    """One note as drafting sees it: who sent what, when, and what the model is shown."""

    name: str
    kind: str
    """voice, text, photo, file, video, link or youtube."""

    source: str
    date: datetime
    """Always with a UTC offset."""

    text: str
    """The body; for a note without one (a bare file), a line saying what was sent."""

    meta: dict[str, Any]
    """The whole front matter, as loaded."""

    @property
    def attachments(self) -> tuple[str, ...]:
        """File names the front matter gives for files kept beside the note."""
        found = [self.meta.get(key) for key in ATTACHMENT_KEYS]
        return tuple(dict.fromkeys(str(v) for v in found if isinstance(v, str) and v))

    @property
    def format(self) -> str:
        """The file format, for people: `NAME.md (telegram)`, `NAME_photo.md`..."""
        suffix = names.suffix_of(self.name)
        label = f"NAME{suffix}"
        return f"{label} ({self.source})" if suffix == names.TEXT_SUFFIX else label


def read(path: Path) -> NoteFile:
    """Read the note at `path`; raises NoteFormatError (one line) if it cannot be read."""
    if not names.is_note_name(path.name):
        raise NoteFormatError(f"not a note's name (expected NAME{', NAME'.join(_SHOWN)})")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NoteFormatError(f"cannot read: {error.strerror or error}") from None
    try:
        document = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise NoteFormatError(f"not UTF-8 text (byte at offset {error.start})") from None
    return parse(path.name, document)


def parse(name: str, document: str) -> NoteFile:
    """The note named `name` whose file text is `document`; raises NoteFormatError."""
    if document.startswith("---\r\n"):
        document = document.replace("\r\n", "\n")
    try:
        yaml_text, rest = frontmatter.split(document)
        meta = frontmatter.load(yaml_text)
    except frontmatter.FrontMatterError as error:
        raise NoteFormatError(str(error)) from None
    source = meta.get("source")
    if source is not None and not isinstance(source, str):
        raise NoteFormatError(f"source is not text: {source!r}")
    kind = _kind(name, source)
    when = _date(meta.get("date"), name)
    text = rest.removeprefix("\n")
    if not text.strip():
        text = _bare(kind, meta)
    return NoteFile(name, kind, source or "", when, text, meta)


def _kind(name: str, source: str | None) -> str:
    kind = _KIND_OF_SUFFIX[names.suffix_of(name)]
    if kind == TEXT and source in _KIND_OF_SOURCE:
        return _KIND_OF_SOURCE[source]
    if kind == TEXT and source:
        for end, linked in _KIND_OF_SOURCE_END.items():
            if source.endswith(end):
                return linked
    return kind


def _date(value: Any, name: str) -> datetime:
    """The note's time: its `date` (UTC when it has no offset), else the time in its name."""
    when: datetime | None = None
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, date):
        when = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            raise NoteFormatError(f"date {value!r} is not an ISO 8601 time") from None
    elif value is not None:
        raise NoteFormatError(f"date {value!r} is not an ISO 8601 time")
    else:
        when = names.time_of(name)
    if when is None:
        raise NoteFormatError("no date: neither a `date` key nor a time in the name")
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _bare(kind: str, meta: dict[str, Any]) -> str:
    """What to show for a note without a body: the file that was sent."""
    shown = meta.get("original_filename") or meta.get("file_name") or meta.get("saved_as")
    what = {FILE: "a file", VIDEO: "a video", PHOTO: "a photo"}.get(kind, "an empty message")
    return f"(sent {what}{f': {shown}' if shown else ''}, without a caption)"
