"""Decoding audio to 16 kHz mono samples, strictly: damage is an error, not a shorter text."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from transcribe.base import AudioError, explain
from transcribe.ogg import is_ogg, ogg_problem

SAMPLE_RATE = 16_000
_MIN_DECODED_SHARE = 0.9
_SLACK_SECONDS = 0.5

Samples = npt.NDArray[np.float32]


def load_audio(path: Path) -> Samples:
    """Samples of `path` as float32 at 16 kHz mono, or AudioError saying what is wrong."""
    check_file(path)
    samples, declared = _decode(path)
    if samples.size == 0:
        raise AudioError("no audio could be decoded (corrupt or empty stream)")
    decoded = samples.size / SAMPLE_RATE
    if declared and decoded < declared * _MIN_DECODED_SHARE - _SLACK_SECONDS:
        raise AudioError(f"corrupt: only {decoded:.1f} s of {declared:.1f} s could be decoded")
    return samples


def check_file(path: Path) -> None:
    """Cheap checks before decoding: the file exists, is not empty, is not cut short."""
    if not path.exists():
        raise AudioError("no such file")
    if not path.is_file():
        raise AudioError("not a file")
    if path.stat().st_size == 0:
        raise AudioError("empty file (0 bytes)")
    with path.open("rb") as handle:
        head = handle.read(4)
    if is_ogg(head):
        problem = ogg_problem(path.read_bytes())
        if problem:
            raise AudioError(problem)


def _decode(path: Path) -> tuple[Samples, float]:
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError("not audio: the file has no audio stream")
            declared = (container.duration or 0) / av.time_base
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            chunks = []
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except AudioError:
        raise
    except (av.error.InvalidDataError, EOFError):
        raise AudioError("not audio, or corrupt: the decoder cannot read it") from None
    except av.error.FFmpegError as error:
        raise AudioError(f"cannot decode: {error.strerror or type(error).__name__}") from None
    except ValueError as error:
        raise AudioError(f"cannot decode: {explain(error)}") from None
    pcm = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
    return (pcm.astype(np.float32) / 32768.0), declared
