"""Files sent as documents, by what they hold: images, videos, text, PDFs, audio, the rest."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from notes.intake import filing, formats, inbox, pages
from notes.intake.filing import FiledNote, Materials
from notes.intake.origin import Origin
from notes.intake.photos import file_image
from notes.intake.videos import audio_section, file_video

TEXT_EXTENSIONS = frozenset(
    {".txt", ".md", ".markdown", ".py", ".js", ".ts", ".json", ".yaml", ".yml", ".csv"}
    | {".log", ".sh", ".bash", ".toml", ".ini", ".sql"}
)
VIDEO_EXTENSIONS = frozenset({".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v", ".gif"})
AUDIO_EXTENSIONS = frozenset({".ogg", ".oga", ".opus", ".mp3", ".m4a", ".wav", ".flac", ".aac"})
INLINE_TEXT_LIMIT = 200_000


def file_document(
    m: Materials,
    source: Path,
    original_filename: str,
    stem: str,
    origin: Origin,
    caption: str | None,
    *,
    mime_type: str | None = None,
) -> FiledNote:
    """A file by what it holds: image → photo note, video/GIF → video note, text inline,
    PDF extracted, audio transcribed, anything else kept with its metadata and caption."""
    suffix = Path(original_filename).suffix.lower()
    mime = mime_type or mimetypes.guess_type(original_filename)[0] or ""
    head = source.read_bytes()[:16] if source.is_file() else b""
    if (mime.startswith("image/") and suffix != ".gif") or _is_image(source, suffix):
        return file_image(
            m, source.read_bytes(), stem, origin, caption, original_filename=original_filename
        )
    if suffix in VIDEO_EXTENSIONS or mime.startswith("video/") or mime == "image/gif":
        return file_video(
            m, source, stem, origin, caption, kind="video", file_name=original_filename
        )
    data = source.read_bytes()
    if suffix == ".pdf" or head.startswith(b"%PDF-"):
        return _pdf_file(m, data, original_filename, stem, origin, caption)
    if suffix in TEXT_EXTENSIONS or mime.startswith("text/"):
        text = _decoded(data)
        if text is not None:
            return _text_file(m, text, original_filename, stem, origin, caption)
    if suffix in AUDIO_EXTENSIONS or mime.startswith("audio/"):
        return _audio_file(m, source, data, original_filename, stem, origin, caption)
    return filing.file_binary(m, data, original_filename, stem, origin, caption)


def _is_image(source: Path, suffix: str) -> bool:
    image_suffixes = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".bmp", ".tif", ".tiff")
    return suffix in image_suffixes and source.is_file()


def _decoded(data: bytes) -> str | None:
    if len(data) > INLINE_TEXT_LIMIT or b"\x00" in data[:4096]:
        return None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None


def _text_file(
    m: Materials, text: str, name: str, stem: str, origin: Origin, caption: str | None
) -> FiledNote:
    note = formats.file_note(origin, name, None, caption, inline_text=text)
    path = inbox.file_note(m.kb, stem + formats.FILE_SUFFIX, note)
    return FiledNote(path, "file", f"{name}: {len(text.split())} words, read inline")


def _pdf_file(
    m: Materials, data: bytes, name: str, stem: str, origin: Origin, caption: str | None
) -> FiledNote:
    try:
        title, text = pages.pdf_text(data)
    except pages.ExtractError as error:
        return filing.file_binary(m, data, name, stem, origin, caption, problem=str(error))
    details = f"## Text of {name}\n\n{text}"
    saved = filing.keep(m, data, stem, name)
    extra = [("title", title)] if title else []
    note = formats.file_note(origin, name, saved.name, caption, details=details, extra=extra)
    path = inbox.file_note(m.kb, stem + formats.FILE_SUFFIX, note)
    return FiledNote(path, "file", f"{title or name}: PDF, {len(text.split())} words")


def _audio_file(
    m: Materials,
    source: Path,
    data: bytes,
    name: str,
    stem: str,
    origin: Origin,
    caption: str | None,
) -> FiledNote:
    problems: list[str] = []
    section = audio_section(m, source, problems)
    saved = filing.keep(m, data, stem, name)
    note = formats.file_note(origin, name, saved.name, caption, details=section)
    path = inbox.file_note(m.kb, stem + formats.FILE_SUFFIX, note)
    summary = f"{name}: audio" + (", transcribed" if section.startswith("### Audio t") else "")
    return FiledNote(path, "file", summary, "; ".join(problems) or None)
