"""Videos, GIFs and round videos: metadata, the audio transcribed, a keyframe described."""

from __future__ import annotations

from pathlib import Path

from notes.intake import filing, formats, images, inbox, media, vision
from notes.intake.filing import Filed, Materials
from notes.intake.formats import Description, Sender, VideoInfo
from notes.kb import atomic
from transcribe import NoSpeechError, TranscriptionError


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
    keep: bool = False,
) -> Filed:
    """`NAME_video.md`: metadata, the audio transcribed, a keyframe kept and described.

    `video` may be None-like (missing) when the file was too large to download: then only
    the `declared` metadata and the message link are filed. With `keep` (round videos, which
    have no link to them in a private chat) the video itself is kept as `NAME.mp4` beside the
    note (`saved_as`), written before the note.
    """
    note_name = stem + formats.VIDEO_SUFFIX
    inbox.ensure_new(m.kb, note_name)
    sections: list[str] = []
    problems: list[str] = []
    extra: list[tuple[str, object]] = []
    info = declared or VideoInfo(file_name, 0, 0, 0, 0)
    saved = _kept(m, video, stem) if keep and video.is_file() else None
    files: list[Path] = [saved] if saved else []
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
                sections.append(audio_section(m, video, problems))
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
        saved_as=saved.name if saved else None,
        sections=[s for s in sections if s],
        extra=extra,
    )
    path = filing.write(m.kb, note_name, text)
    summary = formats.video_info_line(info).removeprefix("Video info: ")
    said = next((s.split("\n", 1)[1] for s in sections if s.startswith(_TRANSCRIPT)), "")
    if said:
        summary += f" — {filing.first_line(said, 100)}"
    return Filed(path, kind, summary, "; ".join(problems) or None, tuple(files))


def _kept(m: Materials, video: Path, stem: str) -> Path:
    """The video itself as `NAME.mp4` in `inbox/raw/` (overwriting a copy a crash left)."""
    target = m.kb.raw / f"{stem}{video.suffix.lower() or '.mp4'}"
    return atomic.copy_file(video, target, overwrite=True)


_TRANSCRIPT = "### Audio transcript ("


def audio_section(m: Materials, video: Path, problems: list[str]) -> str:
    if m.transcriber is None:
        return ""
    try:
        result = m.transcriber().transcribe(video)
    except NoSpeechError:
        return "### Audio\nNo speech in the audio track."
    except TranscriptionError as error:
        problems.append(f"audio not transcribed: {error}")
        return ""
    return f"{_TRANSCRIPT}{result.language}, {result.model})\n{result.text.strip()}"


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
        return path, f"{formats.KEYFRAME_WAITING}{error}."
    return path, _keyframe_section(description)


def _keyframe_section(description: Description) -> str:
    body = formats.describe_body(description).removeprefix("## Analysis of the Image\n\n")
    return formats.KEYFRAME_HEADING + body.replace("### ", "#### ")


def describe_pending(m: Materials) -> list[Filed]:
    """Describe the keyframes of the video notes filed while the vision model did not answer.

    Only notes still in `inbox/raw/` (not yet drafted) whose keyframe section says "Not
    described yet" are rewritten, and only that section: every other byte, the caption and
    the audio transcript included, stays. A model failure leaves them as they are.
    """
    done: list[Filed] = []
    for path in sorted(m.kb.raw.glob("*" + formats.VIDEO_SUFFIX)):
        document = path.read_text(encoding="utf-8")
        at = formats.video_sections_at(document)
        waiting = formats.keyframe_waiting_at(document)
        frame = m.kb.raw / (path.name.removesuffix(formats.VIDEO_SUFFIX) + ".jpg")
        if waiting < 0 or not frame.is_file():
            continue
        try:
            description = vision.describe(m.settings, frame.read_bytes(), _caption(document, at))
        except vision.VisionUnavailable:
            break
        ending = "\n" if document.endswith("\n") else ""
        text = document[:waiting] + "\n\n" + _keyframe_section(description) + ending
        atomic.write_text(path, text, overwrite=True)
        done.append(Filed(path, "video", filing.first_line(description.summary)))
    return done


def _caption(document: str, sections_at: int) -> str | None:
    at = document.rfind("\n\nCaption: ", 0, sections_at)
    return document[at + len("\n\nCaption: ") : sections_at] if at >= 0 else None
