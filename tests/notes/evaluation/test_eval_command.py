"""`voicenotes eval routing --kb DIR` on a real KB slice, against the scripted server."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from notes import cli
from notes.drafting.answers import ROUTE
from tests.support.openai_server import (
    TEST_KEY,
    OpenAIServer,
    Reply,
    Request,
    answer,
)
from tests.support.paths import TESTS_DIR
from tests.support.routes import decision

DATA = TESTS_DIR / "data" / "routing-kb"


def create_all(request: Request) -> Reply:
    ids = re.findall(r'<source id="(S\d+)"', request.user)
    return answer({"decisions": [decision(i, None) for i in ids]})


@pytest.fixture
def configured(server: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> OpenAIServer:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", TEST_KEY)
    server.always(ROUTE, create_all)
    return server


def test_json_report_has_recall_and_decisions(
    configured: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli.main(
        [
            "eval",
            "routing",
            "--kb",
            str(DATA),
            "--json",
            "--last",
            "3",
            "--price-in",
            "0.15",
            "--price-out",
            "0.6",
        ]
    )
    out = capsys.readouterr().out
    report = json.loads(out)
    assert status == 0
    assert report["history"] == "filings.jsonl" and report["runs"] == 37
    assert report["recall"][0]["recall"] == 1.0 and report["recall"][0]["notes"] == 42
    found = report["decisions"]
    assert found["batches"] == len(configured.requests_for(ROUTE)) > 0
    assert found["update_right"] == 0 and found["create_right"] == found["create_total"]
    assert found["tokens_in_per_note"] > 0 and found["cost_per_note"] > 0
    assert TEST_KEY not in out


def test_table_report(configured: OpenAIServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["eval", "routing", "--kb", str(DATA), "--last", "1"]) == 0
    out = capsys.readouterr().out
    assert "Routing replay of 37 runs (filings.jsonl)" in out
    assert re.search(r"candidate recall \(7 articles\)\s+42/42 = 1\.000", out)
    assert re.search(r"decision accuracy \(\S+\)\s+\d+/\d+ = ", out)
    assert re.search(r"cost per note \(USD\)\s+n/a \(give --price-in", out)


def test_without_a_key_only_recall_is_measured(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert cli.main(["eval", "routing", "--kb", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "not measured: no OPENAI_API_KEY configured" in out


def test_a_folder_without_history_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["eval", "routing", "--kb", str(tmp_path), "--no-llm"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
