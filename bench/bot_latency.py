"""Bot latency: from a voice update reaching the bot to its acknowledgement and its answer.

The real bot runs against the fake Bot API server of the tests (HTTP on 127.0.0.1) with the
real faster-whisper engine. Voice notes of real Russian speech (the test clip said 1, 2, 4 and
1 times) are first transcribed alone by the same engine in the same process: that is the
baseline. Then they are sent to the bot back to back, all at once; a note's answer cannot come
before the notes ahead of it are transcribed, so its latency is compared with the time the
engine alone needs for it and every note ahead of it (the "alone, cumulative" column).
Finally each note is sent on its own, waiting for the answer before the next: the overhead of
the bot itself (download, acknowledgement, queue, edit) over transcription alone.

Each figure is the median of `--repeat` runs (default 3).

    python bench/bot_latency.py [--times 1,2,4,1] [--repeat 3]
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.support

from bench import bot_timing
from bench.bot_timing import Timing
from notes.kb import KnowledgeBase
from tests.support.audio import repeated_speech_ogg
from tests.support.telegram_server import (
    OWNER,
    FakeBotAPI,
    SentMessage,
    bot_running,
    bot_settings,
    voice_message,
)
from transcribe.audio import SAMPLE_RATE, load_audio
from transcribe.engine import WhisperEngine


@dataclass(frozen=True)
class Clip:
    path: Path
    seconds: float


def make_clips(folder: Path, times: Sequence[int]) -> list[Clip]:
    clips = []
    for number, count in enumerate(times, start=1):
        path = repeated_speech_ogg(folder / f"note{number}.ogg", count)
        clips.append(Clip(path, load_audio(path).size / SAMPLE_RATE))
    return clips


def alone(engine: WhisperEngine, clips: Sequence[Clip]) -> list[float]:
    seconds = []
    for clip in clips:
        start = time.perf_counter()
        engine.transcribe(clip.path)
        seconds.append(time.perf_counter() - start)
    return seconds


def through_bot(
    engine: WhisperEngine, clips: Sequence[Clip], folder: Path, back_to_back: bool
) -> list[Timing]:
    """Send every clip as a voice note; times from queueing the update to ack and answer."""
    kb = KnowledgeBase(folder).ensure()
    timings = []
    with FakeBotAPI() as api, bot_running(bot_settings(kb.root, api), engine):
        queued: list[float] = []
        for number, clip in enumerate(clips, start=1):
            file_id = api.add_file(clip.path.read_bytes())
            update = api.queue(voice_message(OWNER, number, file_id))
            queued.append(api.queued_at[update])
            if not back_to_back:
                api.wait_for(functools.partial(answered, api, number), what="the answer")
        done = api.wait_for(lambda: answered(api, len(clips)), what="every answer")
        for start, message in zip(queued, done, strict=True):
            timings.append(Timing.of(message, start))
    return timings


def medians(runs: Sequence[Sequence[Timing]]) -> list[Timing]:
    """Per note, the median of each figure over the runs."""
    return [bot_timing.median(note) for note in zip(*runs, strict=True)]


def answered(api: FakeBotAPI, count: int) -> list[SentMessage]:
    done = [message for message in api.sent_to(OWNER.id) if message.edited_at]
    return done if len(done) >= count else []


def table(
    clips: Sequence[Clip],
    solo: Sequence[float],
    batch: Sequence[Timing],
    single: Sequence[Timing],
) -> str:
    head = (
        "| note | audio s | alone s | alone, cumulative s | back to back: ack s | answer s "
        "| answer / cumulative | one at a time: ack s | answer s | answer / alone |"
    )
    lines = [head, "|" + "---|" * 10]
    cumulative = 0.0
    for number, (clip, own, many, one) in enumerate(
        zip(clips, solo, batch, single, strict=True), start=1
    ):
        cumulative += own
        lines.append(
            f"| {number} | {clip.seconds:.1f} | {own:.2f} | {cumulative:.2f} | {many.ack:.3f} "
            f"| {many.answer:.2f} | {many.answer / cumulative:.2f} | {one.ack:.3f} "
            f"| {one.answer:.2f} | {one.answer / own:.2f} |"
        )
    lines.append(
        f"| median | | | | {statistics.median(t.ack for t in batch):.3f} | | "
        f"| {statistics.median(t.ack for t in single):.3f} | "
        f"| {statistics.median(t.answer / s for t, s in zip(single, solo, strict=True)):.2f} |"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--times",
        default="1,2,4,1",
        help="how many times each note repeats the 12-s clip (default 1,2,4,1)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (default 3)")
    args = parser.parse_args(argv)
    times = [int(item) for item in args.times.split(",")]
    engine = WhisperEngine()
    engine.load()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        clips = make_clips(folder, times)
        engine.transcribe(clips[0].path)  # warm-up: first-call costs stay out of the figures
        runs = range(args.repeat)
        solo_runs = [alone(engine, clips) for _ in runs]
        solo = [statistics.median(note) for note in zip(*solo_runs, strict=True)]
        batch = medians([through_bot(engine, clips, folder / f"b{n}", True) for n in runs])
        single = medians([through_bot(engine, clips, folder / f"s{n}", False) for n in runs])
    print(table(clips, solo, batch, single))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
