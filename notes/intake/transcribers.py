"""The transcriber the settings name: the local engine, a transcription server, or the server
with the local engine behind it (`VOICENOTES_TRANSCRIBE_FALLBACK=local`).

Audio is sent away only when `VOICENOTES_TRANSCRIBE_URL` is set; a model named on the command
line (`--model`) always means the local engine.
"""

from __future__ import annotations

from notes.intake.voice import engine_options
from notes.settings import Settings
from transcribe.base import ManyTranscriber
from transcribe.remote import FallbackTranscriber, RemoteOptions, RemoteTranscriber


def transcriber_for(
    settings: Settings, language: str | None = None, model: str | None = None
) -> ManyTranscriber:
    """The configured transcriber; the local engine's model loads only when first needed."""
    if settings.transcribe_url and not model:
        remote = RemoteTranscriber(remote_options(settings, language))
        if settings.transcribe_fallback == "local":
            return FallbackTranscriber(remote, _local(settings, language, model))
        return remote
    return _local(settings, language, model)


def remote_options(settings: Settings, language: str | None = None) -> RemoteOptions:
    key = settings.transcribe_key.get_secret_value() if settings.transcribe_key else None
    glossary = engine_options(settings).initial_prompt()
    return RemoteOptions(
        url=settings.transcribe_url or "",
        model=settings.transcribe_model,
        key=key,
        language=language or settings.language,
        max_bytes=int(settings.transcribe_max_mb * 1024 * 1024),
        prompt=glossary,
    )


def _local(settings: Settings, language: str | None, model: str | None) -> ManyTranscriber:
    from transcribe.engine import WhisperEngine  # heavy: imported only when it is used

    return WhisperEngine(engine_options(settings, language, model))
