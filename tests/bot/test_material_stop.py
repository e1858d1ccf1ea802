"""Material filings are bounded: a stop ends them within seconds whatever a fetch is doing,
nothing is lost (the next start files them), and one filing cannot run for ever.

The real bot against the fake Bot API, with links to a local server that trickles a byte
every 0.2 s: every read is quick, the page never ends."""

from __future__ import annotations

import time

import pytest

from bot import jobs, materialtasks
from notes.kb import KnowledgeBase
from tests.bot.test_materials import settings
from tests.support.openai_server import OpenAIServer
from tests.support.telegram_server import FEB_4, OWNER, FakeBotAPI, bot_running, text_message
from tests.support.web_server import Route, WebServer
from transcribe.engine import WhisperEngine

pytestmark = pytest.mark.timeout(240)
STEM = "20260204_102339_AlexeyDTC_msg"
ENDLESS = Route(body=b"<html><body>" + b"x" * 5000 + b"</body></html>", trickle=0.2)
PAGE = (
    "<html><head><title>Evals</title></head><body><article><h1>Evals in practice</h1><p>"
    + "Evals tell you whether the model does the job. " * 10
    + "</p></article></body></html>"
)


def _filed_answers(api: FakeBotAPI) -> list[str]:
    return [m.text for m in api.sent_to(OWNER.id) if "_link.md" in m.text]


def test_a_stop_ends_filings_stuck_on_trickling_links_and_the_next_start_files_them(
    kb: KnowledgeBase, api: FakeBotAPI, server: OpenAIServer, web: WebServer, engine: WhisperEngine
) -> None:
    first, second = web.route("/slow/1", ENDLESS), web.route("/slow/2", ENDLESS)
    api.queue(text_message(OWNER, 900, f"почитать {first}", date=FEB_4))
    api.queue(text_message(OWNER, 901, f"и это {second}", date=FEB_4))

    with bot_running(settings(kb, api, server), engine):
        api.wait_for(lambda: len(web.hits) >= 2, what="both links being fetched")
        stopping = time.monotonic()
    stopped_in = time.monotonic() - stopping

    assert stopped_in < 5.0, f"the stop took {stopped_in:.1f} s"
    assert sorted(job.kind for job in jobs.FILING.pending(kb)) == ["links", "links"]
    # stopped mid-try by a stop asked for: not counted, not marked (a kill now counts nothing)
    assert [(job.attempts, job.running) for job in jobs.FILING.pending(kb)] == [(0, False)] * 2
    assert not list(kb.raw.glob("*_link.md"))
    assert not [m for m in api.sent_to(OWNER.id) if "Could not file" in m.text]

    web.page("/slow/1", PAGE)
    web.page("/slow/2", PAGE)
    with bot_running(settings(kb, api, server), engine):
        done = api.wait_for(lambda: len(_filed_answers(api)) >= 2 and _filed_answers(api))

    assert all(text.startswith("After a restart: Filed ") for text in done), done
    assert (kb.raw / f"{STEM}900_link.md").is_file()
    assert (kb.raw / f"{STEM}901_link.md").is_file()
    assert jobs.FILING.pending(kb) == []


def test_a_filing_that_runs_too_long_is_given_up_and_kept_for_the_next_start(
    kb: KnowledgeBase,
    api: FakeBotAPI,
    server: OpenAIServer,
    web: WebServer,
    engine: WhisperEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(materialtasks, "JOB_SECONDS", 1.5)
    api.queue(text_message(OWNER, 900, f"почитать {web.route('/slow', ENDLESS)}", date=FEB_4))

    with bot_running(settings(kb, api, server), engine):
        (answer,) = api.wait_for(
            lambda: [m for m in api.sent_to(OWNER.id) if "not filed within" in m.text],
            what="the filing given up",
        )

    assert answer.text == "Gave up: not filed within 1.5 s; it is tried again at the next start."
    assert [job.kind for job in jobs.FILING.pending(kb)] == ["links"]
