"""Audio files for tests, made from the real speech clip with PyAV (no system ffmpeg)."""

from __future__ import annotations

import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from tests.conftest import SPEECH_OGG
from transcribe.audio import SAMPLE_RATE, load_audio


def speech_samples() -> np.ndarray:
    return load_audio(SPEECH_OGG)


def write_wav(path: Path, samples: np.ndarray) -> Path:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
    return path


def silence_wav(path: Path, seconds: float = 3.0) -> Path:
    return write_wav(path, np.zeros(int(SAMPLE_RATE * seconds), dtype=np.float32))


def encode(path: Path, samples: np.ndarray, codec: str, rate: int = SAMPLE_RATE) -> Path:
    """Encode mono samples with `codec` into the container named by `path`'s suffix."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        for piece in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(piece):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def repeated_speech_ogg(path: Path, times: int) -> Path:
    """A longer real-speech voice note: the clip said `times` times over."""
    return encode(path, np.tile(speech_samples(), times), "libopus", rate=48_000)


def truncated_copy(source: Path, target: Path, keep: float = 0.45) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target


def damaged_copy(source: Path, target: Path) -> Path:
    """Zero a run of bytes in the middle, as a bad disk or transfer would."""
    data = bytearray(source.read_bytes())
    middle = len(data) // 3
    data[middle : middle + 1000] = bytes(1000)
    target.write_bytes(bytes(data))
    return target


def quiet_opus(path: Path, seconds: float, piece: float = 10.0) -> Path:
    """`seconds` of faint noise (about -60 dBFS) as a mono Ogg Opus voice note, made fast:
    `piece` seconds are encoded once and their packets repeated with advancing timestamps."""
    rate = 48_000
    noise = np.random.default_rng(0).normal(0, 30, int(piece * SAMPLE_RATE)).astype(np.int16)
    with av.open(str(path), "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=rate)
        stream.bit_rate = 6_000
        stream.layout = "mono"
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        frame = av.AudioFrame.from_ndarray(noise.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        pieces = resampler.resample(frame) + resampler.resample(None)
        packets = [bytes(p) for f in [*pieces, None] for p in stream.encode(f)]
        pts = 0
        for _ in range(int(seconds // piece)):
            for data in packets:
                packet = av.Packet(data)
                packet.stream = stream
                packet.time_base = Fraction(1, rate)
                packet.pts = packet.dts = pts
                packet.duration = 960  # 20 ms, libopus's frame
                pts += 960
                container.mux(packet)
    return path
