"""Videos, GIFs and round videos: metadata, the audio transcribed, a keyframe described."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from notes.intake import filing, formats, images, inbox, media, timeline, vision
from notes.intake.filing import FiledNote, Materials
from notes.intake.formats import Description, VideoInfo
from notes.intake.origin import Origin
from notes.kb import atomic
from transcribe import NoSpeechError, Transcript, TranscriptionError


def file_video(
    m: Materials,
    video: Path,
    stem: str,
    origin: Origin,
    caption: str | None,
    *,
    kind: str = "video",
    file_name: str = "",
    message_link: str | None = None,
    declared: VideoInfo | None = None,
    keep: bool = False,
) -> FiledNote:
    """`NAME_video.md`: metadata, the audio transcribed, a keyframe kept and described.

    `video` may be None-like (missing) when the file was too large to download: then only
    the `declared` metadata and the message link are filed. With `keep` (round videos, which
    have no link to them in a private chat) the video itself is kept as `NAME.mp4` beside the
    note (`saved_as`), written before the note. Speech in the audio track gets its segment
    times as `NAME.vtt` beside the note (written first, removed if the note cannot be), so
    the video can be cited to the second like a voice note.
    """
    note_name = stem + formats.VIDEO_SUFFIX
    inbox.ensure_new(m.kb, note_name)
    saved = _kept(m, video, stem) if keep and video.is_file() else None
    seen = _Seen(declared or VideoInfo(file_name, 0, 0, 0, 0))
    if video.is_file():
        _look(m, video, stem, caption, file_name, seen)
    text = formats.video_note(
        origin,
        seen.info,
        caption,
        kind=kind,
        message_link=message_link,
        saved_as=saved.name if saved else None,
        sections=[s for s in seen.sections if s],
        extra=seen.extra,
    )
    sidecar = _timeline(m, note_name, seen.speech)
    try:
        path = inbox.file_note(m.kb, note_name, text)
    except BaseException:
        if sidecar is not None:
            sidecar.unlink(missing_ok=True)
        raise
    summary = formats.video_info_line(seen.info).removeprefix("Video info: ")
    if seen.speech is not None and seen.speech.text.strip():
        summary += f" — {filing.first_line(seen.speech.text.strip(), 100)}"
    return FiledNote(path, kind, summary, "; ".join(seen.problems) or None)


@dataclass
class _Seen:
    """What a look at a video found: its details, sections, speech and problems."""

    info: VideoInfo
    sections: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    extra: list[tuple[str, object]] = field(default_factory=list)
    speech: Transcript | None = None


def _look(
    m: Materials, video: Path, stem: str, caption: str | None, file_name: str, seen: _Seen
) -> None:
    """Probe `video`; transcribe its audio and describe its keyframe into `seen`."""
    try:
        probed = media.probe(video)
    except media.MediaError as error:
        seen.problems.append(str(error))
        return
    info = seen.info
    seen.info = VideoInfo(
        file_name or info.file_name,
        round(probed.duration) or info.duration_seconds,
        probed.width or info.width,
        probed.height or info.height,
        probed.size,
    )
    if probed.has_audio:
        section, seen.speech = heard(m, video, seen.problems)
        seen.sections.append(section)
    if probed.has_video:
        frame = _keyframe(m, video, stem, caption, seen.problems)
        if frame is not None:
            seen.extra.append(("keyframe_file", frame[0].name))
            seen.sections.append(frame[1])


def _kept(m: Materials, video: Path, stem: str) -> Path:
    """The video itself as `NAME.mp4` in `inbox/raw/` (overwriting a copy a crash left)."""
    target = m.kb.raw / f"{stem}{video.suffix.lower() or '.mp4'}"
    return atomic.copy_file(video, target, overwrite=True)


_TRANSCRIPT = formats.AUDIO_TRANSCRIPT_HEADING


def audio_section(m: Materials, video: Path, problems: list[str]) -> str:
    """The note's section of the speech in `video` ("" when none can be had)."""
    return heard(m, video, problems)[0]


def heard(m: Materials, video: Path, problems: list[str]) -> tuple[str, Transcript | None]:
    """The speech section and the transcript it came from (None: no speech, or no transcript:
    over the length cap, a failure, no transcriber)."""
    if m.transcriber is None:
        return "", None
    try:
        result = m.transcriber().transcribe(video)
    except NoSpeechError:
        return "### Audio\nNo speech in the audio track.", None
    except TranscriptionError as error:
        problems.append(f"audio not transcribed: {error}")
        return "", None
    return f"{_TRANSCRIPT}{result.language}, {result.model})\n{result.text.strip()}", result


def _timeline(m: Materials, note_name: str, speech: Transcript | None) -> Path | None:
    """`NAME.vtt` of the speech (overwriting one a crash left before its note)."""
    if speech is None or not speech.segments:
        return None
    target = m.kb.raw / timeline.sidecar_name(note_name)
    return atomic.write_text(target, timeline.render(speech.segments), overwrite=True)


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


def describe_pending(m: Materials) -> list[FiledNote]:
    """Describe the keyframes of the video notes filed while the vision model did not answer.

    Only notes still in `inbox/raw/` (not yet drafted) whose keyframe section says "Not
    described yet" are rewritten, and only that section: every other byte, the caption and
    the audio transcript included, stays. A model failure leaves them as they are.
    """
    done: list[FiledNote] = []
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
        done.append(FiledNote(path, "video", filing.first_line(description.summary)))
    return done


def _caption(document: str, sections_at: int) -> str | None:
    at = document.rfind("\n\nCaption: ", 0, sections_at)
    return document[at + len("\n\nCaption: ") : sections_at] if at >= 0 else None
