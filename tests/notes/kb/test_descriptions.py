"""Article descriptions kept in tool state, tolerant of a missing or damaged file."""

from __future__ import annotations

import json
import logging

import pytest

from notes.kb import KnowledgeBase, atomic, descriptions

TARGET = ".voicenotes/descriptions.json"


def test_a_missing_file_is_empty(kb: KnowledgeBase) -> None:
    assert descriptions.load(kb) == {}


def test_saved_descriptions_load_back_sorted_by_path(kb: KnowledgeBase) -> None:
    mapping = {"articles/zeta.md": "Последняя.", "articles/ai/alpha.md": "First: RAG | evals"}
    descriptions.save(kb, mapping)

    assert descriptions.load(kb) == mapping
    text = (kb.root / TARGET).read_text(encoding="utf-8")
    assert list(json.loads(text)) == ["articles/ai/alpha.md", "articles/zeta.md"]
    assert "Последняя." in text


def test_a_save_replaces_the_file_atomically(kb: KnowledgeBase) -> None:
    descriptions.save(kb, {"articles/a.md": "Old."})
    descriptions.save(kb, {"articles/b.md": "New."})

    assert descriptions.load(kb) == {"articles/b.md": "New."}
    assert [p.name for p in kb.state.iterdir() if atomic.is_temporary(p)] == []


def test_a_save_creates_the_state_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    fresh = KnowledgeBase(tmp_path_factory.mktemp("fresh"))
    descriptions.save(fresh, {"articles/a.md": "One."})
    assert descriptions.load(fresh) == {"articles/a.md": "One."}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"articles/a.md": "cut', "descriptions.json ignored: "),
        (b"\xff\xfe not text", "descriptions.json ignored: "),
        (b'["articles/a.md"]', "not an object of path -> description strings"),
        (b'{"articles/a.md": 3}', "not an object of path -> description strings"),
    ],
)
def test_a_damaged_file_warns_and_counts_as_empty(
    kb: KnowledgeBase, caplog: pytest.LogCaptureFixture, content: bytes, reason: str
) -> None:
    (kb.root / TARGET).write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="notes.kb.descriptions"):
        assert descriptions.load(kb) == {}
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert reason in record.getMessage()
    assert "\n" not in record.getMessage()


def test_one_line_collapses_whitespace() -> None:
    assert descriptions.one_line("  How I see\n the\trole.\n") == "How I see the role."
    assert descriptions.one_line("\n \n") == ""
