"""Materials through the bot: from a photo or link message to its acknowledgement and its note.

The real bot runs against the fake Bot API server of the tests (HTTP on 127.0.0.1), with the
local vision model stand-in (answers at once, so the figures are voicenotes' own cost, not a
model's) and an article served by a local web server. The baseline is the same filing done
directly by notes.intake in the same process (no Telegram, no acknowledgement): the ratio
column is the bot's answer time over it. A photo is a 4000×3000 camera JPEG with EXIF GPS
(oriented, shrunk to 2048 px and re-encoded on the way); a link is a 30 KB article.

Each figure is the median of `--repeat` runs (default 5).

    python bench/materials.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.support

from bench import bot_timing
from bench.bot_timing import Timing
from notes.intake import linknotes, photos
from notes.intake.filing import Materials
from notes.intake.origin import Origin
from notes.kb import KnowledgeBase
from notes.settings import Settings, load_settings
from tests.support.openai_server import TEST_KEY, OpenAIServer, vision_answer
from tests.support.pictures import photo_with_gps
from tests.support.telegram_server import (
    OWNER,
    FakeBotAPI,
    SentMessage,
    bot_running,
    photo_message,
    text_message,
)
from tests.support.web_server import WebServer
from transcribe import heap

ARTICLE = (
    "<html><head><title>Evals in practice</title></head><body><article><h1>Evals</h1>"
    + "<p>Evals tell you whether the model does the job, and by how much it improved. </p>" * 300
    + "<pre><code>pytest -q evals/\n</code></pre></article></body></html>"
)


class NoTranscriber:
    model_id = "none"

    def transcribe(self, audio: Any, progress: Any = None) -> Any:
        raise RuntimeError("no audio in this benchmark")


def settings(kb: Path, api: FakeBotAPI | None, llm: OpenAIServer) -> Settings:
    values: dict[str, Any] = {
        "OPENAI_BASE_URL": llm.base_url,
        "OPENAI_API_KEY": TEST_KEY,
        "VOICENOTES_VISION_MODEL": "vision",
        "VOICENOTES_FETCH_PRIVATE": True,
    }
    if api is not None:
        values |= {
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_ALLOWED_USERS": [OWNER.id],
            "TELEGRAM_API_BASE_URL": api.url,
        }
    return load_settings(kb, **values)


def direct(kind: str, folder: Path, llm: OpenAIServer, url: str, photo: bytes) -> float:
    """The baseline: notes.materials alone, in this process."""
    kb = KnowledgeBase(folder).ensure()
    m = Materials(kb, settings(folder, None, llm))
    sender = Origin("telegram", datetime.now(UTC), OWNER.id, "AlexeyDTC")
    start = time.perf_counter()
    if kind == "photo":
        photos.file_image(m, photo, "bench_msg1", sender, "caption")
    else:
        linknotes.file_links(m, [url], "bench_msg1", sender)
    return time.perf_counter() - start


def through_bot(kind: str, folder: Path, llm: OpenAIServer, url: str, photo: bytes) -> Timing:
    kb = KnowledgeBase(folder).ensure()
    with FakeBotAPI() as api, bot_running(settings(folder, api, llm), NoTranscriber()):
        if kind == "photo":
            update = api.queue(photo_message(OWNER, 1, api.add_file(photo), caption="caption"))
        else:
            update = api.queue(text_message(OWNER, 1, f"read {url}"))
        start = api.queued_at[update]
        (message,) = api.wait_for(lambda: _filed(api), what="the answer")
    assert any(kb.raw.iterdir())
    return Timing.of(message, start)


def _filed(api: FakeBotAPI) -> list[SentMessage]:
    return [m for m in api.sent_to(OWNER.id) if m.edited_at and "Filed" in m.text]


def table(rows: dict[str, tuple[float, Timing]]) -> str:
    lines = [
        "| material | direct filing s (baseline) | bot: acknowledgement s | bot: note filed and "
        "answered s | answered / direct |",
        "|---|---|---|---|---|",
    ]
    for kind, (baseline, bot) in rows.items():
        lines.append(
            f"| {kind} | {baseline:.3f} | {bot.ack:.3f} | {bot.answer:.3f} "
            f"| {bot.answer / baseline:.1f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (default 5)")
    args = parser.parse_args(argv)
    heap.share_one_arena()  # as every voicenotes command does first (notes/startup.py)
    photo = photo_with_gps(4000, 3000)
    rows: dict[str, tuple[float, Timing]] = {}
    with tempfile.TemporaryDirectory() as scratch, OpenAIServer() as llm, WebServer() as web:
        llm.always("describe_image", vision_answer())
        url = web.page("/article", ARTICLE)
        folder = Path(scratch)
        for kind in ("photo", "link"):
            direct(kind, folder / f"{kind}-warm", llm, url, photo)  # warm-up: first-call costs
            baseline = statistics.median(
                direct(kind, folder / f"{kind}-d{n}", llm, url, photo) for n in range(args.repeat)
            )
            bot = bot_timing.median(
                through_bot(kind, folder / f"{kind}-b{n}", llm, url, photo)
                for n in range(args.repeat)
            )
            rows[kind] = (baseline, bot)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
