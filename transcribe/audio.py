"""Decoding audio to 16 kHz mono samples, strictly: damage is an error, not a shorter text.

Audio is decoded as a stream of blocks, so a recording of any length needs memory for a block
only; `load_audio` joins the blocks for callers that want the whole recording.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from transcribe.base import AudioError, explain
from transcribe.ogg import is_ogg, ogg_problem

SAMPLE_RATE = 16_000
BLOCK_SECONDS = 30.0
_MIN_DECODED_SHARE = 0.9
_SLACK_SECONDS = 0.5

Samples = npt.NDArray[np.float32]


class AudioStream:
    """The samples of one file as float32 blocks at 16 kHz mono, checked as they come.

    Iterating yields blocks of about `block_seconds`; after the last block, AudioError is
    raised if nothing decoded or much less than the declared duration did (damage the decoder
    skipped over). `declared` is the container's duration (0 when it does not say).
    """

    def __init__(self, path: Path, block_seconds: float = BLOCK_SECONDS) -> None:
        check_file(path)
        self.path = path
        self.block = max(1, int(block_seconds * SAMPLE_RATE))
        self.declared = 0.0
        self.decoded = 0
        """Samples yielded so far."""

    @property
    def seconds(self) -> float:
        return self.decoded / SAMPLE_RATE

    def __iter__(self) -> Iterator[Samples]:
        pending: list[npt.NDArray[np.int16]] = []
        size = 0
        for pcm in self._pcm():
            pending.append(pcm)
            size += pcm.size
            if size >= self.block:
                yield self._emit(pending)
                pending, size = [], 0
        if pending:
            yield self._emit(pending)
        self._check_complete()

    def _emit(self, pending: list[npt.NDArray[np.int16]]) -> Samples:
        pcm = np.concatenate(pending)
        self.decoded += pcm.size
        return pcm.astype(np.float32) / 32768.0

    def _pcm(self) -> Iterator[npt.NDArray[np.int16]]:
        try:
            with av.open(str(self.path), mode="r", metadata_errors="ignore") as container:
                if not container.streams.audio:
                    raise AudioError("not audio: the file has no audio stream")
                self.declared = (container.duration or 0) / av.time_base
                resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
                for frame in container.decode(audio=0):
                    for out in resampler.resample(frame):
                        yield _mono_pcm(out)
                for out in resampler.resample(None):
                    yield _mono_pcm(out)
        except AudioError:
            raise
        except (av.error.InvalidDataError, EOFError):
            raise AudioError("not audio, or corrupt: the decoder cannot read it") from None
        except av.error.FFmpegError as error:
            raise AudioError(f"cannot decode: {error.strerror or type(error).__name__}") from None
        except ValueError as error:
            raise AudioError(f"cannot decode: {explain(error)}") from None

    def _check_complete(self) -> None:
        if self.decoded == 0:
            raise AudioError("no audio could be decoded (corrupt or empty stream)")
        decoded, declared = self.seconds, self.declared
        if declared and decoded < declared * _MIN_DECODED_SHARE - _SLACK_SECONDS:
            raise AudioError(f"corrupt: only {decoded:.1f} s of {declared:.1f} s could be decoded")


def load_audio(path: Path) -> Samples:
    """Samples of `path` as float32 at 16 kHz mono, or AudioError saying what is wrong."""
    blocks = list(AudioStream(path))
    return np.concatenate(blocks)


def check_file(path: Path) -> None:
    """Cheap checks before decoding: the file exists, is not empty, is not cut short."""
    if not path.exists():
        raise AudioError("no such file")
    if not path.is_file():
        raise AudioError("not a file")
    if path.stat().st_size == 0:
        raise AudioError("empty file (0 bytes)")
    with path.open("rb") as handle:
        if is_ogg(handle.read(4)):
            problem = ogg_problem(handle)
            if problem:
                raise AudioError(problem)


def _mono_pcm(frame: av.AudioFrame) -> npt.NDArray[np.int16]:
    return np.asarray(frame.to_ndarray(), dtype=np.int16).reshape(-1)
