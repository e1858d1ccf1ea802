"""Speech to text: the Transcriber interface and its engines."""

from transcribe.base import (
    AudioError,
    ModelError,
    NoSpeechError,
    Progress,
    Segment,
    ServiceError,
    Transcriber,
    Transcript,
    TranscriptionError,
)
from transcribe.options import EngineOptions

__all__ = [
    "AudioError",
    "EngineOptions",
    "ModelError",
    "NoSpeechError",
    "Progress",
    "Segment",
    "ServiceError",
    "Transcriber",
    "Transcript",
    "TranscriptionError",
]
