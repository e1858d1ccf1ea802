"""Embeddings through the configured server: cached per document, fused with the words, and
measured side by side with the word ranking by `eval routing`. Against the local
OpenAI-compatible server, whose `/v1/embeddings` answers bag-of-words vectors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from notes import cli
from notes.drafting.answers import ASK
from notes.kb import KnowledgeBase
from notes.knowing import questions
from notes.llm.client import LLMClient, LLMError
from notes.retrieval import embeddings, hybrid
from tests.notes.knowing.test_knowing_ask import kb
from tests.support.openai_server import (
    EMBEDDINGS,
    TEST_KEY,
    OpenAIServer,
    answer,
    error,
    openai_server,
    settings_for,
)
from tests.support.paths import TESTS_DIR

__all__ = ["kb", "openai_server"]

MODEL = "local-embedder"
ROUTING_KB = TESTS_DIR / "data" / "routing-kb"


def _client(server: OpenAIServer) -> LLMClient:
    return LLMClient(model="chat", api_key=TEST_KEY, base_url=server.base_url)


def test_a_document_is_embedded_again_only_when_its_text_changed(
    tmp_path: Path, openai_server: OpenAIServer
) -> None:
    path = embeddings.cache_path(tmp_path, MODEL)
    with _client(openai_server) as client:

        def embed(texts: object) -> list[list[float]]:
            return client.embed(MODEL, list(texts))  # type: ignore[call-overload]

        store = embeddings.Store(path)
        first = store.vectors({"a.md": "agents webinar", "b.md": "pasta recipe"}, embed)
        assert store.sent == 2 and len(first["a.md"]) == 64
        store.save()
        again = embeddings.Store(path)
        found = again.vectors({"a.md": "agents webinar", "b.md": "pasta recipe, with salt"}, embed)
        assert again.sent == 1 and found["a.md"] == first["a.md"]
        again.save(keep={"b.md": None})
        assert set(json.loads(path.read_text(encoding="utf-8"))) == {"b.md"}
    assert openai_server.embedded() == ["agents webinar", "pasta recipe", "pasta recipe, with salt"]


def test_a_server_without_embeddings_is_one_error_line(openai_server: OpenAIServer) -> None:
    openai_server.on(EMBEDDINGS, error(404, "no such endpoint"))
    with _client(openai_server) as client, pytest.raises(LLMError) as raised:
        client.embed(MODEL, ["x"])
    assert "HTTP 404" in str(raised.value) and TEST_KEY not in str(raised.value)


def test_fusion_keeps_what_either_ranking_puts_first() -> None:
    assert hybrid.fuse([0, 1, 2], [2, 1, 0])[:1] in ([1], [0], [2])
    assert hybrid.fuse([0, 1, 2, 3], [3, 0, 1, 2])[0] == 0
    assert set(hybrid.fuse([0, 1], [2])) == {0, 1, 2}


def test_ask_uses_cached_embeddings_and_falls_back_to_words_without_them(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    openai_server.always(ASK, answer({"found": True, "answer": "Yes[^A1]."}))
    settings = settings_for(openai_server, kb.root, VOICENOTES_EMBEDDING_MODEL=MODEL)
    first = questions.ask(kb, settings, "platform ideas simulator")
    sent = len(openai_server.embedded())
    assert first.text.startswith("Yes[^1]") and sent > 2
    assert embeddings.cache_path(kb.state, MODEL).is_file()
    questions.ask(kb, settings, "platform ideas simulator")
    assert len(openai_server.embedded()) == sent + 1  # the question alone
    openai_server.always(EMBEDDINGS, error(500, "down"))
    third = questions.ask(kb, settings, "platform ideas simulator")
    assert third.text.startswith("Yes[^1]")


def test_eval_routing_reports_the_three_rankings_side_by_side(
    openai_server: OpenAIServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    monkeypatch.setenv("VOICENOTES_EMBEDDING_MODEL", MODEL)
    before = {p: p.stat().st_mtime_ns for p in ROUTING_KB.rglob("*")}
    status = cli.main(["eval", "routing", "--kb", str(ROUTING_KB), "--json", "--no-llm"])
    report = json.loads(capsys.readouterr().out)
    assert status == 0
    assert [row["ranking"] for row in report["recall"]] == ["lexical", "embeddings", "hybrid"]
    assert all(row["notes"] == 42 for row in report["recall"])
    assert report["embeddings"] == ""
    assert {p: p.stat().st_mtime_ns for p in ROUTING_KB.rglob("*")} == before


def test_eval_routing_without_an_embeddings_model_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("VOICENOTES_EMBEDDING_MODEL", raising=False)
    assert cli.main(["eval", "routing", "--kb", str(ROUTING_KB), "--no-llm"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"embeddings and hybrid rankings +not measured: no VOICENOTES_EMBEDDING", out)


def test_a_drafting_pass_routes_with_the_hybrid_ranking(
    kb: KnowledgeBase, openai_server: OpenAIServer
) -> None:
    from notes.drafting import run_pass
    from notes.drafting.answers import ROUTE

    (kb.raw / "20260301_100000_tester_msg1.md").write_text(
        "---\nsource: telegram_text\ndate: 2026-03-01T10:00:00+00:00\n---\n\nнапомни купить хлеб\n",
        encoding="utf-8",
    )
    skip = {"sources": ["S1"], "action": "skip", "article": None, "title": None}
    openai_server.always(
        ROUTE, answer({"decisions": [{**skip, "tags": [], "folder": None, "reason": "a reminder"}]})
    )
    settings = settings_for(openai_server, kb.root, VOICENOTES_EMBEDDING_MODEL=MODEL)
    report = run_pass(settings)
    assert report.ok, report.summary()
    cached = json.loads(embeddings.cache_path(kb.state, MODEL).read_text(encoding="utf-8"))
    assert "articles/ai-shipping-labs/platform-ideas.md" in cached
    assert "напомни купить хлеб\n" in openai_server.embedded()
