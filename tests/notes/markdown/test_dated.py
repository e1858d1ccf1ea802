"""Dated documents keep their order: a newest-first log gets new sections at the top."""

from __future__ import annotations

import difflib
import shutil
from datetime import date
from pathlib import Path

import pytest

from notes.drafting import run_pass
from notes.drafting.answers import ROUTE, UPDATE, Insertion
from notes.kb import KnowledgeBase
from notes.markdown import dated, frontmatter
from notes.markdown.merge import headings, merge, view
from tests.support.kbfiles import add_note
from tests.support.openai_server import OpenAIServer, answer, settings_for
from tests.support.paths import TESTS_DIR

pytestmark = pytest.mark.timeout(120)

WEEKLY_LOG = TESTS_DIR / "data" / "weekly_log" / "weekly-log.md"
NEW_WEEK = Insertion(section=None, heading="Week of 2026-06-01", markdown="Shipped it[^S1].")


def test_a_heading_date_is_its_first_valid_iso_date() -> None:
    assert dated.heading_date("Week of 2026-05-25") == date(2026, 5, 25)
    assert dated.heading_date("2026-13-01 then 2026-02-03") == date(2026, 2, 3)
    assert dated.heading_date("Week of May 25") is None


def test_only_dates_that_never_grow_make_a_document_newest_first() -> None:
    newest_first = [("Intro", 0), ("Week of 2026-05-25", 4), ("Topic", 6), ("2026-05-18", 9)]
    assert dated.newest_first_top(newest_first) == 4
    assert dated.newest_first_top([("2026-05-18", 1), ("2026-05-25", 5)]) is None
    assert dated.newest_first_top([("2026-05-18", 1), ("2026-05-18", 5)]) is None
    assert dated.newest_first_top([("2026-05-18", 1), ("Other", 5)]) is None


def test_a_new_week_goes_at_the_top_of_his_weekly_log_and_nothing_else_changes() -> None:
    _, body = frontmatter.split(WEEKLY_LOG.read_text(encoding="utf-8"))
    shown = view(body)
    merged = merge(body, [NEW_WEEK], shown.labels, {"S1": "[n.md](../inbox/used/n.md)"})
    titles = [h.text for h in headings(merged.body)]
    assert titles[:3] == ["Weekly Log", "Week of 2026-06-01", "Week of 2026-05-25"]
    assert "A running log of what was done each week." in merged.body.split("## Week of")[0]
    number = merged.numbers["S1"]
    assert (
        f"## Week of 2026-06-01\n\nShipped it[^{number}].\n\n## Week of 2026-05-25" in merged.body
    )
    diff = difflib.ndiff(body.splitlines(), merged.body.splitlines())
    assert not [line for line in diff if line.startswith("- ")]


def test_a_document_in_date_order_still_gets_new_sections_at_the_end() -> None:
    body = "# Log\n\n## 2026-05-18\n\nOld[^1].\n\n## 2026-05-25\n\nNewer[^1].\n\n[^1]: [a](a.md)\n"
    shown = view(body)
    merged = merge(body, [NEW_WEEK], shown.labels, {"S1": "[n.md](n.md)"})
    assert merged.body.index("## Week of 2026-06-01") > merged.body.index("## 2026-05-25")


def test_a_pass_puts_a_weekly_log_note_at_the_top_of_his_log(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path / "kb").ensure()
    shutil.copy(WEEKLY_LOG, kb.articles / "weekly-log.md")
    note = add_note(kb, 7, folder="raw")
    route = {
        "sources": ["S1"],
        "action": "update",
        "article": "articles/weekly-log.md",
        "title": None,
        "tags": [],
        "folder": None,
        "reason": "he says this happened this week",
    }
    update = {"tags": [], "description": "A running log.", "insertions": [NEW_WEEK.model_dump()]}
    with OpenAIServer() as server:
        server.on(ROUTE, answer({"decisions": [route]}))
        server.on(UPDATE, answer({**update, "figures": []}))
        report = run_pass(settings_for(server, kb.root))
    assert report.ok and [c.path for c in report.updated] == ["articles/weekly-log.md"]
    text = (kb.articles / "weekly-log.md").read_text(encoding="utf-8")
    first_week = text.index("## Week of")
    assert text[first_week:].startswith("## Week of 2026-06-01\n\nShipped it[^")
    assert f"inbox/used/{note})" in text
