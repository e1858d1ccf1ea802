"""A new article in the author's own `_index.md`: one row in the right section, nothing else."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from notes.drafting import run_pass
from notes.drafting.answers import ROUTE, WRITE
from notes.kb import KnowledgeBase
from notes.markdown.summary import ArticleSummary
from notes.upkeep import authorindex, index
from tests.conftest import DATA
from tests.support.kbfiles import add_note, article_text, write_article
from tests.support.openai_server import OpenAIServer, answer, settings_for

pytestmark = pytest.mark.timeout(120)

HIS_INDEX = (DATA / "author_kb/articles/_index.md").read_text(encoding="utf-8")
NEW = ArticleSummary(
    "articles/ideas/voice-diff.md", "Voice | Diff", "Diffs by voice.", (), "2026-12-07", "draft"
)


def added_lines(before: str, after: str) -> list[str]:
    diff = difflib.ndiff(before.split("\n"), after.split("\n"))
    changes = [line for line in diff if line[:2] in ("- ", "+ ")]
    assert not [line for line in changes if line.startswith("- ")]
    return [line[2:] for line in changes]


def test_a_new_article_is_one_row_first_in_the_newest_first_section_of_its_folder() -> None:
    out = authorindex.with_article(HIS_INDEX, NEW)
    assert out is not None
    row = "| [Voice \\| Diff](ideas/voice-diff.md) | draft | 2026-12-07 | Diffs by voice. |"
    assert added_lines(HIS_INDEX, out) == [row]
    ideas = out.index("## Ideas")
    assert out.index(row) > ideas and out.index(row) < out.index("## Talks")
    assert (
        out.split("## Ideas")[1]
        .split("|-------|--------|--------------|-------------|\n")[1]
        .startswith(row)
    )


def test_a_top_level_article_joins_the_top_level_links() -> None:
    out = authorindex.with_article(
        HIS_INDEX, ArticleSummary("articles/x.md", "X", "", (), "2026-12-07", "draft")
    )
    assert out is not None and added_lines(HIS_INDEX, out) == [
        "| [X](x.md) | draft | 2026-12-07 |  |"
    ]
    assert out.index("[X](x.md)") > out.index("## Other")


def test_a_new_folder_gets_a_section_at_the_top_in_the_form_of_his_tables() -> None:
    out = authorindex.with_article(
        HIS_INDEX,
        ArticleSummary("articles/career/cv-tips.md", "CV", "Tips.", (), "2026-12-07", "draft"),
    )
    assert out is not None
    assert added_lines(HIS_INDEX, out)[1:] == [
        "## Career",
        "",
        "| Title | Status | Last Updated | Description |",
        "|-------|--------|--------------|-------------|",
        "| [CV](career/cv-tips.md) | draft | 2026-12-07 | Tips. |",
    ]
    assert out.index("## Career") < out.index("## Ready for Newsletter")
    assert out.index("## Template for New Articles") < out.index("## Career")


def test_listed_or_folder_indexed_articles_add_nothing_and_line_ends_are_his() -> None:
    assert (
        authorindex.with_article(HIS_INDEX, ArticleSummary("articles/weekly-log.md", "W")) is None
    )
    assert (
        authorindex.with_article(HIS_INDEX, ArticleSummary("articles/research/new.md", "R")) is None
    )
    crlf = HIS_INDEX.replace("\n", "\r\n")
    out = authorindex.with_article(crlf, NEW)
    assert out is not None and "\n" not in out.replace("\r\n", "")
    assert out.replace("\r\n", "\n") == authorindex.with_article(HIS_INDEX, NEW)


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


def test_a_pass_that_creates_an_article_adds_one_line_to_his_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    kb = KnowledgeBase(tmp_path / "kb")
    shutil.copytree(DATA / "author_kb", kb.root)
    kb.ensure()
    git(kb.root, "init", "-q")
    git(kb.root, "-c", "user.name=A", "-c", "user.email=a@example.org", "add", ".")
    git(kb.root, "-c", "user.name=A", "-c", "user.email=a@example.org", "commit", "-qm", "his KB")
    add_note(kb, 3, folder="raw")
    route = {
        "sources": ["S1"],
        "action": "create",
        "article": None,
        "title": "Voice diffs",
        "tags": ["ideas"],
        "folder": "ideas",
        "reason": "a new idea",
    }
    written = {
        "title": "Voice diffs",
        "tags": [],
        "description": "Diffs by voice.",
        "body": "An idea[^S1].",
        "figures": [],
    }
    with OpenAIServer() as server:
        server.on(ROUTE, answer({"decisions": [route]}))
        server.on(WRITE, answer(written))
        report = run_pass(settings_for(server, kb.root))
    assert [c.path for c in report.created] == ["articles/ideas/voice-diffs.md"]
    diff = git(kb.root, "diff", "--numstat", "HEAD~1", "HEAD", "--", "articles/_index.md")
    assert diff.split()[:2] == ["1", "0"]
    added = [
        line
        for line in git(kb.root, "diff", "HEAD~1", "HEAD", "--", "articles/_index.md").splitlines()
        if line.startswith("+") and not line.startswith("+++")
    ]
    today = date.today().isoformat()
    row = f"| [Voice diffs](ideas/voice-diffs.md) | draft | {today} | Diffs by voice. |"
    assert added == [f"+{row}"]
    assert git(kb.root, "status", "--porcelain") == ""


def test_the_next_pass_drops_an_article_he_deleted_by_hand_from_the_index(
    kb: KnowledgeBase,
) -> None:
    gone = write_article(kb, "gone.md", article_text("Gone", "Text.", {}))
    write_article(kb, "kept.md", article_text("Kept", "Text.", {}))
    index.write_index(kb)
    gone.unlink()
    add_note(kb, 5, folder="raw")
    skip = {
        "sources": ["S1"],
        "action": "skip",
        "article": None,
        "title": None,
        "tags": [],
        "folder": None,
        "reason": "small talk",
    }
    with OpenAIServer() as server:
        server.on(ROUTE, answer({"decisions": [skip]}))
        report = run_pass(settings_for(server, kb.root))
    assert report.ok and not report.created and not report.updated
    text = index.index_path(kb).read_text(encoding="utf-8")
    assert "gone.md" not in text and "[Kept](kept.md)" in text
