"""A JSON cache of tool state: missing is quietly empty, damaged warns once and is empty."""

from __future__ import annotations

import logging

import pytest

from notes.kb import KnowledgeBase, articlemap, statefile

LOG = logging.getLogger("tests.statefile")


def test_a_missing_file_is_none_without_a_warning(
    kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    assert statefile.load_json(kb, "absent.json", LOG) is None
    assert caplog.records == []


def test_a_file_is_read_as_json(kb: KnowledgeBase) -> None:
    (kb.state / "x.json").write_text('{"a": [1]}', encoding="utf-8")
    assert statefile.load_json(kb, "x.json", LOG) == {"a": [1]}


@pytest.mark.parametrize("content", [b'{"cut', b"\xff\xfe not text"])
def test_a_damaged_article_map_warns_in_one_line_and_names_nothing(
    kb: KnowledgeBase, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    articlemap.remember(kb, 1, 2, [articlemap.Named("articles/a.md", "A")])
    (kb.state / articlemap.MAP_NAME).write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="notes.kb.articlemap"):
        assert articlemap.named_by(kb, 1, 2) == []
    [record] = caplog.records
    assert record.name == "notes.kb.articlemap"
    assert record.getMessage().startswith(f"{articlemap.MAP_NAME} ignored: ")
    assert "\n" not in record.getMessage()
