"""Filing each kind of material into `inbox/raw/` in the KB's formats.

Every function writes through notes/atomic.py, the files a note refers to first and the
note itself last, so a crash leaves at worst an orphan image, never a note pointing at
nothing. Faults of the material itself (a page that will not load, an image that is not an
image, a video without captions) never raise: the note is filed with the reason, and
`Filed.problem` carries it as one line for the chat.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import requests

from notes import atomic, inbox
from notes.kb import KnowledgeBase
from notes.materials import formats, images, media, pages, vision, youtube, youtube_ids
from notes.materials.fetch import FetchPolicy
from notes.materials.formats import Description, Sender, VideoInfo
from notes.settings import Settings
from transcribe import NoSpeechError, Transcriber, TranscriptionError

TEXT_EXTENSIONS = frozenset(
    {".txt", ".md", ".markdown", ".py", ".js", ".ts", ".json", ".yaml", ".yml", ".csv"}
    | {".log", ".sh", ".bash", ".toml", ".ini", ".sql"}
)
VIDEO_EXTENSIONS = frozenset({".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v", ".gif"})
AUDIO_EXTENSIONS = frozenset({".ogg", ".oga", ".opus", ".mp3", ".m4a", ".wav", ".flac", ".aac"})
INLINE_TEXT_LIMIT = 200_000


@dataclass(frozen=True)
class Filed:
    """A note filed: where, what kind, one line on what it holds, and any problem."""

    path: Path
    kind: str
    summary: str
    problem: str | None = None
    extra_files: tuple[Path, ...] = ()


@dataclass
class Materials:
    """Everything filing needs: the KB, settings, and the edges tests replace."""

    kb: KnowledgeBase
    settings: Settings
    transcriber: Callable[[], Transcriber] | None = None
    youtube_session: Callable[[], requests.Session] = requests.Session
    github_api: str = pages.GITHUB_API
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    @property
    def policy(self) -> FetchPolicy:
        return FetchPolicy(
            max_bytes=int(self.settings.fetch_max_mb * 1024 * 1024),
            allow_private=self.settings.fetch_private,
        )

    def fetched_at(self) -> datetime:
        return self.now().replace(microsecond=0)


def _new(kb: KnowledgeBase, name: str) -> Path:
    inbox.ensure_new(kb, name)
    return kb.raw / name


def write_note(kb: KnowledgeBase, name: str, text: str) -> Path:
    """Write a new note to `inbox/raw/name`; AlreadyFiled if it is in raw/ or used/."""
    return _write(kb, name, text)


def _write(kb: KnowledgeBase, name: str, text: str) -> Path:
    path = _new(kb, name)
    try:
        return atomic.write_text(path, text)
    except FileExistsError:
        raise inbox.AlreadyFiled(f"already filed as inbox/raw/{name}") from None


# Photos and images -------------------------------------------------------------------------


def file_image(
    m: Materials,
    data: bytes,
    stem: str,
    sender: Sender,
    caption: str | None,
    *,
    original_filename: str | None = None,
    describe_now: bool = True,
) -> Filed:
    """`NAME.jpg` (oriented, resized, metadata stripped) and `NAME_photo.md`.

    Bytes that are not an image are kept as a file note with the reason.
    """
    note_name = stem + formats.PHOTO_SUFFIX
    inbox.ensure_new(m.kb, note_name)
    try:
        prepared = images.prepare(data)
    except images.NotAnImage as error:
        name = original_filename or "image"
        return file_binary(m, data, name, stem, sender, caption, problem=str(error))
    image_name = stem + ".jpg"
    image_path = atomic.write_bytes(m.kb.raw / image_name, prepared.jpeg, overwrite=True)
    extra = [("original_filename", original_filename)] if original_filename else []
    description, pending = None, "not asked yet"
    if describe_now:
        try:
            description = vision.describe(m.settings, prepared.jpeg, caption)
        except vision.VisionUnavailable as error:
            pending = str(error)
    ocr_text = vision.ocr(prepared.jpeg) if description is None else ""
    text = formats.photo_note(
        sender, image_name, caption, description, pending=pending, ocr_text=ocr_text, extra=extra
    )
    path = _write(m.kb, note_name, text)
    summary = _image_summary(prepared, description, ocr_text)
    problem = None if description or not describe_now else f"not described yet: {pending}"
    return Filed(path, "photo", summary, problem, (image_path,))


def _image_summary(
    prepared: images.PreparedImage, description: Description | None, ocr_text: str
) -> str:
    size = f"{prepared.width}×{prepared.height}"
    if description is not None:
        return f"{description.kind or 'image'}, {size}: {_first_line(description.summary)}"
    if ocr_text:
        return f"image {size}, OCR: {_first_line(ocr_text)}"
    return f"image {size}"


_PENDING = "description: pending\n"


def describe_pending(m: Materials) -> list[Filed]:
    """Describe the photo notes filed without a description, now that a model may answer.

    Only notes still in `inbox/raw/` (not yet drafted) and written as pending are rewritten;
    the caption's bytes are carried over unchanged. A model failure leaves them as they are.
    """
    done: list[Filed] = []
    for path in sorted(m.kb.raw.glob("*" + formats.PHOTO_SUFFIX)):
        document = path.read_text(encoding="utf-8")
        head_end = document.find("\n---", 4)
        if head_end < 0 or _PENDING not in document[: head_end + 1]:
            continue
        image_path = m.kb.raw / (path.name.removesuffix(formats.PHOTO_SUFFIX) + ".jpg")
        if not image_path.is_file():
            continue
        rest = document[head_end + len("\n---") :]
        caption_part = _caption_part(rest)
        caption = caption_part.removeprefix("\n\nCaption: ") or None
        try:
            description = vision.describe(m.settings, image_path.read_bytes(), caption)
        except vision.VisionUnavailable:
            break
        described = [("alt", description.alt), ("suggested_name", description.suggested_name)]
        lines = formats.front([(k, v) for k, v in described if v]).split("\n")[1:-1]
        head = document[: head_end + 1].replace(_PENDING, "".join(f"{x}\n" for x in lines))
        text = head + "---\n\n" + formats.describe_body(description) + caption_part
        atomic.write_text(path, text, overwrite=True)
        done.append(Filed(path, "photo", _first_line(description.summary)))
    return done


def _caption_part(rest: str) -> str:
    """The `\\n\\nCaption: …` tail of a pending photo note's body, exactly as written."""
    body = rest.removeprefix("\n\n")
    first_break = body.find("\n\n")
    if first_break < 0:
        return ""
    remainder = body[first_break:]
    ocr_head = "\n\n### Visible Text (OCR)\n"
    if remainder.startswith(ocr_head):
        fence_line = remainder[len(ocr_head) :].split("\n", 1)[0]
        closing = remainder.find("\n" + fence_line, len(ocr_head) + len(fence_line))
        remainder = remainder[closing + 1 + len(fence_line) :] if closing >= 0 else ""
    return remainder if remainder.startswith("\n\nCaption: ") else ""


# Links and YouTube -------------------------------------------------------------------------


def file_links(
    m: Materials, urls: list[str], stem: str, sender: Sender, context: str | None = None
) -> list[Filed]:
    """One note per URL: `NAME_link.md`, `NAME_link2.md`…, YouTube as `NAME_youtube.md`."""
    filed: list[Filed] = []
    counts = {"link": 0, "youtube": 0}
    for url in urls:
        kind = "youtube" if youtube_ids.video_id(url) else "link"
        counts[kind] += 1
        number = "" if counts[kind] == 1 else str(counts[kind])
        name = f"{stem}_{kind}{number}.md"
        if inbox.note_path(m.kb, name) is not None:
            continue
        if kind == "youtube":
            filed.append(file_youtube(m, url, name, sender, context))
        else:
            filed.append(file_link(m, url, name, sender, context))
    return filed


def file_link(m: Materials, url: str, name: str, sender: Sender, context: str | None) -> Filed:
    page = pages.read_link(url, m.policy, github_api=m.github_api)
    text = formats.link_note(
        sender,
        url,
        title=page.title,
        site=page.site,
        fetched=m.fetched_at(),
        markdown=page.markdown,
        final_url=page.final_url,
        kind=page.kind if not page.problem else "",
        problem=page.problem,
        context=context,
    )
    path = _write(m.kb, name, text)
    if page.problem:
        return Filed(path, "link", url, f"{url}: {page.problem}")
    words = len(page.markdown.split())
    summary = f"{page.title or page.site} ({page.site}, {page.kind}, {words} words)"
    return Filed(path, "link", summary)


def file_youtube(m: Materials, url: str, name: str, sender: Sender, context: str | None) -> Filed:
    video_id = youtube_ids.video_id(url) or ""
    session = m.youtube_session()
    try:
        video = youtube.load_video(video_id, session, m.kb.state / "youtube")
    finally:
        session.close()
    text = formats.youtube_note(
        sender,
        url,
        title=video.title,
        channel=video.channel,
        fetched=m.fetched_at(),
        language=video.language,
        transcript=video.transcript(),
        generated=video.generated,
        problem=video.problem,
        context=context,
    )
    path = _write(m.kb, name, text)
    label = " — ".join(part for part in (video.title, video.channel) if part) or url
    if video.problem:
        return Filed(path, "youtube", label, f"{url}: {video.problem}")
    minutes = youtube.clock(video.lines[-1][0]) if video.lines else "0:00"
    return Filed(path, "youtube", f"{label} ({video.language} captions to {minutes})")


# Videos, GIFs, round videos ----------------------------------------------------------------


def file_video(
    m: Materials,
    video: Path,
    stem: str,
    sender: Sender,
    caption: str | None,
    *,
    kind: str = "video",
    file_name: str = "",
    message_link: str | None = None,
    declared: VideoInfo | None = None,
) -> Filed:
    """`NAME_video.md`: metadata, the audio transcribed, a keyframe kept and described.

    `video` may be None-like (missing) when the file was too large to download: then only
    the `declared` metadata and the message link are filed.
    """
    note_name = stem + formats.VIDEO_SUFFIX
    inbox.ensure_new(m.kb, note_name)
    sections: list[str] = []
    problems: list[str] = []
    extra: list[tuple[str, object]] = []
    files: list[Path] = []
    info = declared or VideoInfo(file_name, 0, 0, 0, 0)
    if video.is_file():
        try:
            probed = media.probe(video)
        except media.MediaError as error:
            probed = None
            problems.append(str(error))
        if probed is not None:
            info = VideoInfo(
                file_name or info.file_name,
                round(probed.duration) or info.duration_seconds,
                probed.width or info.width,
                probed.height or info.height,
                probed.size,
            )
            if probed.has_audio:
                sections.append(_audio_section(m, video, problems))
            if probed.has_video:
                frame = _keyframe(m, video, stem, caption, problems)
                if frame is not None:
                    files.append(frame[0])
                    extra.append(("keyframe_file", frame[0].name))
                    sections.append(frame[1])
    text = formats.video_note(
        sender,
        info,
        caption,
        kind=kind,
        message_link=message_link,
        sections=[s for s in sections if s],
        extra=extra,
    )
    path = _write(m.kb, note_name, text)
    summary = formats.video_info_line(info).removeprefix("Video info: ")
    return Filed(path, kind, summary, "; ".join(problems) or None, tuple(files))


def _audio_section(m: Materials, video: Path, problems: list[str]) -> str:
    if m.transcriber is None:
        return ""
    try:
        result = m.transcriber().transcribe(video)
    except NoSpeechError:
        return "### Audio\nNo speech in the audio track."
    except TranscriptionError as error:
        problems.append(f"audio not transcribed: {error}")
        return ""
    return f"### Audio transcript ({result.language}, {result.model})\n{result.text.strip()}"


def _keyframe(
    m: Materials, video: Path, stem: str, caption: str | None, problems: list[str]
) -> tuple[Path, str] | None:
    try:
        prepared = images.prepare(media.keyframe(video))
    except (media.MediaError, images.NotAnImage) as error:
        problems.append(f"no keyframe: {error}")
        return None
    # NAME.jpg beside NAME_video.md: the note's attachment by its stem, as a photo's is.
    path = atomic.write_bytes(m.kb.raw / f"{stem}.jpg", prepared.jpeg, overwrite=True)
    try:
        description = vision.describe(m.settings, prepared.jpeg, caption)
    except vision.VisionUnavailable as error:
        return path, f"### Keyframe\nNot described yet: {error}."
    body = formats.describe_body(description).removeprefix("## Analysis of the Image\n\n")
    return path, "### Keyframe\n" + body.replace("### ", "#### ")


# Other files -------------------------------------------------------------------------------


def file_document(
    m: Materials,
    source: Path,
    original_filename: str,
    stem: str,
    sender: Sender,
    caption: str | None,
    *,
    mime_type: str | None = None,
) -> Filed:
    """A file by what it holds: image → photo note, video/GIF → video note, text inline,
    PDF extracted, audio transcribed, anything else kept with its metadata and caption."""
    suffix = Path(original_filename).suffix.lower()
    mime = mime_type or mimetypes.guess_type(original_filename)[0] or ""
    head = source.read_bytes()[:16] if source.is_file() else b""
    if (mime.startswith("image/") and suffix != ".gif") or _is_image(source, suffix):
        return file_image(
            m, source.read_bytes(), stem, sender, caption, original_filename=original_filename
        )
    if suffix in VIDEO_EXTENSIONS or mime.startswith("video/") or mime == "image/gif":
        return file_video(
            m, source, stem, sender, caption, kind="video", file_name=original_filename
        )
    data = source.read_bytes()
    if suffix == ".pdf" or head.startswith(b"%PDF-"):
        return _pdf_file(m, data, original_filename, stem, sender, caption)
    if suffix in TEXT_EXTENSIONS or mime.startswith("text/"):
        text = _decoded(data)
        if text is not None:
            return _text_file(m, text, original_filename, stem, sender, caption)
    if suffix in AUDIO_EXTENSIONS or mime.startswith("audio/"):
        return _audio_file(m, source, data, original_filename, stem, sender, caption)
    return file_binary(m, data, original_filename, stem, sender, caption)


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
    m: Materials, text: str, name: str, stem: str, sender: Sender, caption: str | None
) -> Filed:
    note = formats.file_note(sender, name, None, caption, inline_text=text)
    path = _write(m.kb, stem + formats.FILE_SUFFIX, note)
    return Filed(path, "file", f"{name}: {len(text.split())} words, read inline")


def _pdf_file(
    m: Materials, data: bytes, name: str, stem: str, sender: Sender, caption: str | None
) -> Filed:
    try:
        title, text = pages.pdf_text(data)
    except pages.ExtractError as error:
        return file_binary(m, data, name, stem, sender, caption, problem=str(error))
    details = f"## Text of {name}\n\n{text}"
    saved = _keep(m, data, stem, name)
    extra = [("title", title)] if title else []
    note = formats.file_note(sender, name, saved.name, caption, details=details, extra=extra)
    path = _write(m.kb, stem + formats.FILE_SUFFIX, note)
    return Filed(path, "file", f"{title or name}: PDF, {len(text.split())} words", None, (saved,))


def _audio_file(
    m: Materials,
    source: Path,
    data: bytes,
    name: str,
    stem: str,
    sender: Sender,
    caption: str | None,
) -> Filed:
    problems: list[str] = []
    section = _audio_section(m, source, problems)
    saved = _keep(m, data, stem, name)
    note = formats.file_note(sender, name, saved.name, caption, details=section)
    path = _write(m.kb, stem + formats.FILE_SUFFIX, note)
    summary = f"{name}: audio" + (", transcribed" if section.startswith("### Audio t") else "")
    return Filed(path, "file", summary, "; ".join(problems) or None, (saved,))


def file_binary(
    m: Materials,
    data: bytes,
    name: str,
    stem: str,
    sender: Sender,
    caption: str | None,
    *,
    problem: str | None = None,
) -> Filed:
    """The file kept as `NAME.ext` with a `NAME_file.md` holding its metadata and caption."""
    saved = _keep(m, data, stem, name)
    extra = [("file_size_bytes", len(data)), ("problem", problem)]
    note = formats.file_note(sender, name, saved.name, caption, extra=extra)
    path = _write(m.kb, stem + formats.FILE_SUFFIX, note)
    return Filed(path, "file", f"{name}: {len(data)} bytes, kept", problem, (saved,))


def file_missing(
    m: Materials, name: str, stem: str, sender: Sender, caption: str | None, size: int
) -> Filed:
    """A file that could not be downloaded: its name, size and the caption, no content."""
    extra = [("file_size_bytes", size or None), ("problem", "not downloaded")]
    note = formats.file_note(sender, name, None, caption, extra=extra)
    path = _write(m.kb, stem + formats.FILE_SUFFIX, note)
    return Filed(path, "file", f"{name}: not downloaded, details kept")


def _keep(m: Materials, data: bytes, stem: str, name: str) -> Path:
    suffix = "".join(ch for ch in Path(name).suffix.lower() if ch.isalnum() or ch == ".")
    return atomic.write_bytes(m.kb.raw / f"{stem}{suffix or '.bin'}", data, overwrite=True)


def _first_line(text: str, limit: int = 120) -> str:
    line = " ".join(text.strip().split("\n", 1)[0].split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
