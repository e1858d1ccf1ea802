"""`voicenotes trace`: a note, a day and an article, on a copy of the author's KB slice
with a run log written by a real drafting pass (against the local OpenAI-compatible server)."""

from __future__ import annotations

import argparse
import re
import shutil
import time

import pytest

from notes.drafting import run_pass
from notes.drafting.answers import ROUTE, UPDATE
from notes.kb import KnowledgeBase
from notes.knowing import tracing
from notes.knowing.trace import Tracer, citations
from tests.conftest import DATA
from tests.support.openai_server import OpenAIServer, Request, answer, settings_for

pytestmark = pytest.mark.timeout(120)

FIGURE_ARTICLE = "articles/research/decode-ai-content-generation.md"
PLAN = "articles/ai-shipping-labs/plans/_plan.md"
PHOTO = "20260320_093015_AlexeyDTC_msg3030_photo.md"
PHOTO_IMAGE = "20260320_093015_AlexeyDTC_msg3030.jpg"
SKIPPED = "20260225_225841_AlexeyDTC_msg2471.md"
FEEDBACK = "20260516_193345_AlexeyDTC_msg4138.md"
WAITING = "20260601_080000_AlexeyDTC_msg5000.md"
REASON = "a reminder to himself, not article material"


def _route(request: Request) -> object:
    decisions = []
    for id_, name in re.findall(r'<source id="(S\d+)" name="([^"]+)"', request.user):
        if name == PHOTO:
            decision = {"action": "update", "article": FIGURE_ARTICLE, "reason": "same topic"}
        else:
            decision = {"action": "skip", "article": None, "reason": REASON}
        decisions.append({"sources": [id_], "title": None, "tags": [], "folder": None, **decision})
    return answer({"decisions": decisions})


@pytest.fixture(scope="module")
def traced_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    root = tmp_path_factory.mktemp("trace") / "kb"
    shutil.copytree(DATA / "author_kb", root)
    kb = KnowledgeBase(root)
    kb.raw.mkdir(parents=True)
    for name in (PHOTO, PHOTO_IMAGE, SKIPPED):
        (kb.used / name).rename(kb.raw / name)
    update = {
        "tags": [],
        "description": "Paul Iusztin's writing workflow.",
        "insertions": [{"section": None, "heading": "Demos", "markdown": "As sketched[^S1]."}],
        "figures": [],
    }
    with OpenAIServer() as server:
        server.always(ROUTE, _route)
        server.always(UPDATE, answer(update))
        report = run_pass(settings_for(server, kb.root))
    assert report.ok, report.summary()
    (kb.raw / WAITING).write_text(
        "---\nsource: telegram_text\ndate: 2026-06-01T08:00:00+00:00\n---\n\nLater.\n",
        encoding="utf-8",
    )
    return kb


def _line_citing(kb: KnowledgeBase, article: str, name: str) -> tuple[str, int]:
    lines = (kb.root / article).read_text(encoding="utf-8").splitlines()
    label = next(
        re.match(r"\[\^([^\]]+)\]:", line).group(1)  # type: ignore[union-attr]
        for line in lines
        if line.startswith("[^") and name in line
    )
    number = next(
        n for n, line in enumerate(lines, 1) if f"[^{label}]" in line and f"[^{label}]:" not in line
    )
    return label, number


def test_a_note_is_traced_to_the_article_footnote_and_line(traced_kb: KnowledgeBase) -> None:
    label, line = _line_citing(traced_kb, FIGURE_ARTICLE, PHOTO)
    lines, known = tracing.answer(traced_kb, PHOTO)
    assert known and len(lines) == 1
    assert lines[0].startswith(f"{PHOTO} -> {FIGURE_ARTICLE}:{line} [^{label}]: ")


def test_a_note_set_aside_says_why_and_others_where_they_are(traced_kb: KnowledgeBase) -> None:
    assert tracing.answer(traced_kb, f"inbox/used/{SKIPPED}") == (
        [f"{SKIPPED} -> set aside: {REASON}"],
        True,
    )
    assert tracing.answer(traced_kb, FEEDBACK)[0] == [f"{FEEDBACK} -> feedback"]
    assert tracing.answer(traced_kb, WAITING)[0] == [f"{WAITING} -> waiting"]


def test_a_date_lists_every_note_of_the_day_and_where_it_went(traced_kb: KnowledgeBase) -> None:
    lines, known = tracing.answer(traced_kb, "2026-04-23")
    assert known
    names = [line.split(" -> ")[0] for line in lines]
    assert names == sorted(names) and len(names) == 4
    assert all(f" -> {PLAN}:" in line for line in lines)
    assert tracing.answer(traced_kb, "2026-03-20")[0][0].startswith(f"{PHOTO} -> {FIGURE_ARTICLE}")
    assert tracing.answer(traced_kb, "2025-01-01") == (["no notes of 2025-01-01"], True)


def test_an_article_lists_its_notes_by_date(traced_kb: KnowledgeBase) -> None:
    lines, known = tracing.answer(traced_kb, "research/decode-ai-content-generation")
    assert known and lines[0].startswith(f"{FIGURE_ARTICLE}: ")
    dates = [line for line in lines[1:] if not line.startswith("  ")]
    assert dates == sorted(dates) and "2026-03-20" in dates
    after = lines[lines.index("2026-03-20") + 1 :]
    assert any(line.startswith(f"  {PHOTO} -> [^") for line in after)


def test_trace_is_fast_and_says_so_when_nothing_matches(
    traced_kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    tracing.answer(traced_kb, "2026-04-23")
    assert time.monotonic() - started < 2
    status = tracing.run_command(
        argparse.Namespace(what="no-such-thing"), settings_for("http://127.0.0.1:9", traced_kb.root)
    )
    assert status == 1
    assert "no note, date (YYYY-MM-DD) or article" in capsys.readouterr().err


def test_a_timed_citation_gives_its_second() -> None:
    text = (
        "Said so[^1].\n\n[^1]: [N_transcript.txt](../inbox/used/N_transcript.txt) at 12:30–13:10,"
        " [audio](../inbox/audio/N.ogg#t=750,790)\n"
    )
    found = list(citations("articles/x.md", text))
    assert [(name, c.line, c.seconds) for name, c in found] == [("N_transcript.txt", 1, 750)]
    tracer = Tracer({"articles/x.md": text}, {"N_transcript.txt": "inbox/used"}, {})
    assert tracer.note("N_transcript.txt").lines() == [
        "N_transcript.txt -> articles/x.md:1 [^1] at 750 s: Said so[^1]."
    ]
