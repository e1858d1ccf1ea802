"""Decision accuracy against the local scripted OpenAI-compatible server."""

from __future__ import annotations

import re
from pathlib import Path

from notes.drafting.answers import ROUTE
from notes.evaluation import decisions, history
from notes.llm.client import LLMClient
from tests.support.openai_server import (
    OpenAIServer,
    Reply,
    Request,
    answer,
    settings_for,
)
from tests.support.paths import TESTS_DIR
from tests.support.routes import decision

DATA = TESTS_DIR / "data" / "routing-kb"
SOURCE = re.compile(r'<source id="(S\d+)" name="([^"]+)"')


def oracle(kb: history.History) -> object:
    """Answers as the author filed: the article citing the note if shown, else create."""

    def reply(request: Request) -> Reply:
        shown = set(re.findall(r'(articles/[^"\s:]+\.md)', request.user))
        chosen = []
        for source, name in SOURCE.findall(request.user):
            homes = sorted(kb.homes.get(name, frozenset()) & shown)
            chosen.append(decision(source, homes[0] if homes else None))
        return answer({"decisions": chosen})

    return reply


def test_a_model_that_files_as_the_author_did_scores_every_note(
    server: OpenAIServer, tmp_path: Path
) -> None:
    kb = history.load(DATA)
    server.always(ROUTE, oracle(kb))
    with LLMClient.from_settings(settings_for(server, tmp_path)) as client:
        found = decisions.measure(kb, client)
    assert found.updates == 42 and found.updates_right == 42
    assert found.creates > 0 and found.creates_right == found.creates
    assert found.accuracy == 1.0 and found.failed == 0 and found.wrong == []
    assert found.calls == found.batches == len(server.requests_for(ROUTE))
    assert found.as_dict(1.0, 2.0)["cost_per_note"] > 0


def test_a_model_that_always_creates_misses_every_update(
    server: OpenAIServer, tmp_path: Path
) -> None:
    kb = history.load(DATA)

    def create_all(request: Request) -> Reply:
        return answer({"decisions": [decision(s, None) for s, _ in SOURCE.findall(request.user)]})

    server.always(ROUTE, create_all)
    with LLMClient.from_settings(settings_for(server, tmp_path)) as client:
        found = decisions.measure(kb, client, last=10)
    assert found.updates > 0 and found.updates_right == 0
    assert found.creates_right == found.creates
    assert len(found.wrong) == found.updates
    assert all("(create) (author: articles/" in line for line in found.wrong)


def test_an_unusable_answer_is_retried_then_counted_as_failed(
    server: OpenAIServer, tmp_path: Path
) -> None:
    kb = history.load(DATA)
    server.always(ROUTE, answer({"decisions": []}))
    with LLMClient.from_settings(settings_for(server, tmp_path)) as client:
        found = decisions.measure(kb, client, last=1)
    assert found.failed == found.batches > 0
    assert found.calls == 3 * found.batches
    assert found.accuracy == 0.0 or found.scored == 0
