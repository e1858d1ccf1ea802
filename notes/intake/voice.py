"""Turning a recording into a filed transcript: shared by the command line and the bot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from notes.intake import inbox, timeline
from notes.intake.origin import Origin
from notes.intake.transcripts import Note, request_extra
from notes.kb import KnowledgeBase, glossary, names
from notes.settings import Settings
from transcribe import EngineOptions, Progress, Transcriber, Transcript, probe


@dataclass(frozen=True)
class Recording:
    """A recording to file: where it came from, and what the author sent with it."""

    origin: Origin
    """Who sent it and when; a forward's origin is kept in the front matter after `model`,
    with the keys forwarded materials have (`forwarded_from`, `forwarded_from_kind`,
    `forwarded_date`...), so that a footnote can say whose words they are."""
    kind: str = "voice"
    """`voice`, `audio` or `video_note`: the note's `source` is the origin's channel and this
    (`telegram_voice`; a recording transcribed from the command line is `audio_file`)."""
    caption: str = ""
    """Words the author sent with the recording, filed after the transcript as sent."""
    article: str | None = None
    """The article the recording asks to revise (`article:`, last in the front matter)."""


CAPTION_PREFIX = "Caption: "
"""How the KB's notes show a caption: a last paragraph of its own (as its photo notes do)."""


@dataclass(frozen=True)
class FiledTranscript:
    path: Path
    transcript: Transcript


def transcript_note(recording: Recording, audio_name: str, result: Transcript) -> Note:
    extra = {
        "duration": result.duration,
        "language": result.language,
        "model": result.model,
        **dict(recording.origin.tail()),
        **request_extra(recording.article),
    }
    header = recording.origin.note_header(recording.kind, audio_name, extra)
    caption = f"\n\n{CAPTION_PREFIX}{recording.caption}" if recording.caption else ""
    return Note(header, result.text, caption)


def transcribe_into_inbox(
    kb: KnowledgeBase,
    transcriber: Transcriber,
    audio: Path,
    stem: str,
    recording: Recording,
    progress: Progress | None = None,
    max_seconds: float | None = None,
) -> FiledTranscript:
    """Transcribe `audio` and file it as `inbox/raw/{stem}_transcript.txt`.

    The segment times go beside it as `inbox/raw/{stem}.vtt` (written first, so a filed
    transcript always has them). The recording is kept in `inbox/audio/` (copied there
    unless it already lives there). A recording longer than `max_seconds` is not
    transcribed (TooLongError) but kept in `inbox/audio/` all the same. Raises
    TranscriptionError or AlreadyFiled; on error nothing is written to `inbox/raw/`.
    """
    inbox.ensure_new(kb, names.transcript_name(stem))
    refuse_too_long(kb, audio, stem, max_seconds)
    result = transcriber.transcribe(audio, progress)
    return file_transcript(kb, result, audio, stem, recording)


def refuse_too_long(kb: KnowledgeBase, audio: Path, stem: str, max_seconds: float | None) -> None:
    """Raise TooLongError for a recording over `max_seconds`, after keeping it in inbox/audio/."""
    try:
        probe.check_length(audio, max_seconds)
    except probe.TooLongError:
        if audio.parent.resolve() != kb.audio.resolve():
            inbox.keep_audio(kb, audio, stem + audio.suffix.lower())
        raise


def file_transcript(
    kb: KnowledgeBase, result: Transcript, audio: Path, stem: str, recording: Recording
) -> FiledTranscript:
    """File `result`, the transcript of `audio`, as `inbox/raw/{stem}_transcript.txt` with its
    segment times as `inbox/raw/{stem}.vtt` (written first, removed if the note cannot be),
    keeping the recording in `inbox/audio/`. Raises AlreadyFiled or OSError."""
    filename = names.transcript_name(stem)
    inbox.ensure_new(kb, filename)
    audio_name = stem + audio.suffix.lower()
    if audio.parent.resolve() != kb.audio.resolve():
        inbox.keep_audio(kb, audio, audio_name)
    else:
        audio_name = audio.name
    sidecar = timeline.write(kb.raw, filename, result.segments)
    try:
        path = inbox.file_note(kb, filename, transcript_note(recording, audio_name, result))
    except BaseException:
        sidecar.unlink(missing_ok=True)
        raise
    return FiledTranscript(path, result)


def engine_options(
    settings: Settings, language: str | None = None, model: str | None = None
) -> EngineOptions:
    return EngineOptions(
        model=model or settings.whisper_model,
        language=language or settings.language,
        glossary=tuple(
            dict.fromkeys([*settings.glossary, *glossary.terms(KnowledgeBase(settings.kb))])
        ),
        cache_dir=settings.cache_dir,
        device=settings.device,
        compute_type=settings.compute_type,
    )


def max_seconds(settings: Settings) -> float | None:
    """The longest recording transcribed, in seconds (None: no cap)."""
    return settings.max_minutes * 60 if settings.max_minutes else None
