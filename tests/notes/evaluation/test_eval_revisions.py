"""`voicenotes eval revisions DIR`: the oracle on the author's 34 cases, a model on the fake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notes import cli
from notes.drafting.answers import REVISE
from notes.evaluation import revisions
from tests.support.openai_server import TEST_KEY, OpenAIServer, answer
from tests.support.revising import MINSEARCH_HEAD
from tests.support.revisions import require_cases

BEFORE = (
    MINSEARCH_HEAD
    + """\
It was built by Ladden in 2024[^1].

It runs in one process[^1].

## Sources

[^1]: [20260501_100000_alexey_msg1.md](../inbox/used/20260501_100000_alexey_msg1.md)
"""
)
WRONG = "It was built by Ladden in 2024[^1].\n"
RIGHT = "It was built by Mladen in 2024[^1].\n"
NOTE = """\
---
source: telegram
date: 2026-05-28T15:07:26+00:00
username: alexey
---

Это распознали неправильно: не Ladden, а Mladen.
"""


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    case = folder / "001-minsearch"
    (case / "notes").mkdir(parents=True)
    (case / "before.md").write_text(BEFORE, encoding="utf-8")
    (case / "after.md").write_text(BEFORE.replace(WRONG, RIGHT), encoding="utf-8")
    (case / "notes" / "20260528_150726_alexey_msg9.md").write_text(NOTE, encoding="utf-8")
    listing = [{"case": case.name, "article": "articles/minsearch.md", "notes": []}]
    (folder / "cases.json").write_text(json.dumps(listing), encoding="utf-8")
    return folder


@pytest.fixture
def server_in_env(
    server: OpenAIServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> OpenAIServer:
    """The fake server, named by the environment the command reads (and the KB beside it)."""
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    monkeypatch.setenv("VOICENOTES_KB", str(tmp_path / "kb"))
    return server


def edit(anchor: str, text: str) -> dict[str, object]:
    return {"op": "replace", "anchor": anchor, "text": text, "target": "", "article": ""}


def test_a_rejected_anchor_is_asked_again_and_the_answer_scored(
    server_in_env: OpenAIServer, cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server_in_env.on(
        REVISE,
        answer({"edits": [edit("built by Ladden", "built by Mladen")], "summary": "Fixed"}),
        answer({"edits": [edit(WRONG, RIGHT)], "summary": "Fixed the name"}),
    )
    status = cli.main(["eval", "revisions", str(cases), "--json", "--price-in", "1"])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert status == 0
    assert report["share"] == 1.0 and report["exact"] == 1 and report["cases"] == 1
    assert report["rejected"] == 1 and report["changed_where_author_did_not"] == 0
    assert report["tokens_in"] > 0 and report["cost"] > 0
    first, retry = server_in_env.requests_for(REVISE)
    assert "Mladen" in first.user and '<article path="articles/minsearch.md"' in first.user
    assert "the anchor 'built by Ladden' matches no whole lines" in retry.user
    assert "[1/1] 001-minsearch: 2/2 of the author's lines" in captured.err
    assert TEST_KEY not in captured.out + captured.err


def test_a_case_with_no_usable_answer_scores_nothing(
    server_in_env: OpenAIServer, cases: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server_in_env.always(REVISE, answer({"edits": [edit("Mladen", "x")], "summary": "x"}))
    assert cli.main(["eval", "revisions", str(cases)]) == 0
    out = capsys.readouterr().out
    assert "0/2 of the author's lines (0.0%)" in out
    assert "answers rejected                     3" in out
    assert "cases with no usable answer          1" in out


def test_not_a_folder_of_cases_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICENOTES_KB", str(tmp_path))
    assert cli.main(["eval", "revisions", str(tmp_path), "--oracle"]) == 1
    assert capsys.readouterr().err.startswith(f"error: {tmp_path}: not a folder of revision")


def test_the_oracle_scores_the_authors_34_cases_exactly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = require_cases()
    monkeypatch.setenv("VOICENOTES_KB", str(tmp_path))
    assert cli.main(["eval", "revisions", str(folder), "--oracle", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["cases"], report["exact"], report["share"]) == (34, 34, 1.0)
    assert report["changed_where_author_did_not"] == 0 and report["rejected"] == 0


def test_the_score_counts_lines_removed_added_and_changed_beside() -> None:
    before = "a\nb\nc\nd\n"
    after = "a\nB\nc\nd\ne\n"  # he changed b and added e: 3 lines
    assert revisions.score(before, after, after) == revisions.Score(3, 3, 0)
    assert revisions.score(before, after, "a\nB\nc\n") == revisions.Score(3, 2, 1)
    assert revisions.score(before, after, before).share == 0.0
