"""Reading a KB's drafting history: filings.jsonl, or the git log."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from notes.evaluation import history
from tests.support.paths import TESTS_DIR

DATA = TESTS_DIR / "data" / "routing-kb"
NOTE = "---\nsource: telegram\ndate: 2026-03-0{day}T10:00:00+00:00\n---\n\nПро {topic}.\n"
ARTICLE = '---\ntitle: "Evals"\n---\n\n# Evals\n\n{body}\n\n## Sources\n\n{defs}\n'


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def test_filings_give_runs_notes_and_where_they_went() -> None:
    kb = history.load(DATA)
    assert len(kb.runs) == 37
    note = next(name for name in kb.runs[-1].filed if name in kb.homes)
    assert kb.filed_in[note] == 36
    assert kb.note(note) is not None and kb.note_text(note)
    assert kb.homes[note] <= set(kb.texts)


def test_a_git_kb_without_filings_is_replayed_from_its_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "none"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "kb"
    (root / "inbox" / "used").mkdir(parents=True)
    (root / "articles").mkdir()
    git(root, "init", "-q")
    git(root, "config", "user.email", "a@b.c")
    git(root, "config", "user.name", "A")
    link = "[^{n}]: [a](../inbox/used/{name})"
    first, second = "20260301_100000_a_msg1.md", "20260302_100000_a_msg2.md"
    (root / "inbox/used" / first).write_text(NOTE.format(day=1, topic="evals"))
    (root / "articles/evals.md").write_text(
        ARTICLE.format(body="Evals[^1].", defs=link.format(n=1, name=first))
    )
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    (root / "inbox/used" / second).write_text(NOTE.format(day=2, topic="judges"))
    defs = link.format(n=1, name=first) + "\n" + link.format(n=2, name=second)
    (root / "articles/evals.md").write_text(
        ARTICLE.format(body="Evals[^1].\n\nJudges[^2].", defs=defs)
    )
    git(root, "add", "-A")
    git(root, "commit", "-qm", "second")
    kb = history.load(root)
    assert kb.source == "git log"
    assert [run.filed for run in kb.runs] == [(first,), (second,)]
    assert kb.runs[0].before == () and kb.runs[1].before == ("articles/evals.md",)
    assert "Judges" not in kb.text_at("articles/evals.md", 1)
    assert kb.homes[second] == {"articles/evals.md"}


def test_a_kb_without_history_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(history.HistoryError, match=r"no filings\.jsonl and no git history"):
        history.load(tmp_path)


def test_a_history_in_which_no_note_was_filed_is_a_clear_error(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    with pytest.raises(history.HistoryError, match=r"of .*: fatal: .* does not have any commits"):
        history.load(tmp_path)
    (tmp_path / "README.md").write_text("A KB.\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    with pytest.raises(history.HistoryError, match=r"no note filed to inbox/used/ in its git log"):
        history.load(tmp_path)
    (tmp_path / "filings.jsonl").write_text("\n")
    with pytest.raises(history.HistoryError, match=r"in its filings\.jsonl: nothing to replay"):
        history.load(tmp_path)


def test_a_broken_filings_line_is_named(tmp_path: Path) -> None:
    (tmp_path / "filings.jsonl").write_text('{"date": "2026-01-01T00:00:00+00:00"}\n')
    with pytest.raises(history.HistoryError, match=r"filings\.jsonl:1: not a run"):
        history.load(tmp_path)
