"""`voicenotes undo [COMMIT]` on a real git KB: a revision taken back byte for byte, or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes import cli
from notes.kb import gitkb
from notes.markdown.edits import Edit, apply_edits
from notes.upkeep import undo
from tests.notes.kb.test_gitkb import git, make_repo, write
from tests.support.revising import MINSEARCH_HEAD

pytestmark = pytest.mark.usefixtures("no_git_identity")

ARTICLE = "articles/minsearch.md"
NEW_ARTICLE = "articles/minsearch-basics.md"
TEXT = (
    MINSEARCH_HEAD
    + """\
It was built by Ladden in 2024[^1].

It runs in one process[^1].

## Sources

[^1]: [n.md](../inbox/used/n.md)
"""
)


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_repo(tmp_path / "kb")
    write(root / ARTICLE, TEXT)
    write(root / "inbox" / "used" / "n.md", "note\n")
    git(root, "add", ".")
    git(root, "commit", "-qm", "Draft minsearch")
    monkeypatch.setenv("VOICENOTES_KB", str(root))
    return root


def revise(root: Path, *, new_article: bool = False) -> str:
    """A revision as a drafting pass commits it: the article changed, a note filed."""
    edit = Edit("replace", "It was built by Ladden in 2024[^1].", "It was built by Mladen.")
    write(root / ARTICLE, apply_edits(TEXT, [edit]))
    write(root / "inbox" / "used" / "feedback" / "r.md", "not Ladden but Mladen\n")
    paths = [root / ARTICLE, root / "inbox" / "used" / "feedback" / "r.md"]
    articles = [ARTICLE]
    if new_article:
        write(root / NEW_ARTICLE, "# Basics\n")
        paths.append(root / NEW_ARTICLE)
        articles.append(NEW_ARTICLE)
    message = undo.revision_message("Revise minsearch: the name corrected", articles)
    made = gitkb.commit(root, paths, message)
    assert made is not None
    return made


def test_undo_restores_the_last_revision_byte_for_byte(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = revise(kb, new_article=True)
    assert cli.main(["undo"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"undid {made[:7]} (Revise minsearch: the name corrected): ")
    assert f"{ARTICLE}, {NEW_ARTICLE} restored; committed " in out
    assert (kb / ARTICLE).read_bytes() == TEXT.encode()
    assert not (kb / NEW_ARTICLE).exists()
    assert (kb / "inbox" / "used" / "feedback" / "r.md").exists()  # the request stays filed
    assert git(kb, "status", "--porcelain") == ""
    assert git(kb, "log", "-1", "--format=%s").startswith(f"Undo {made[:7]}: Revise minsearch")


def test_undo_is_refused_when_a_later_commit_touched_the_article(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = revise(kb)
    revised = (kb / ARTICLE).read_bytes()
    write(kb / ARTICLE, revised.decode() + "\nMore.\n")
    git(kb, "commit", "-qam", "Add more")
    assert cli.main(["undo", made]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"cannot undo {made[:7]}: {ARTICLE} changed since (by ")
    assert "Add more" in err and "nothing undone" in err
    assert (kb / ARTICLE).read_bytes() == revised + b"\nMore.\n"


def test_undo_is_refused_over_an_uncommitted_change(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    revise(kb)
    write(kb / ARTICLE, "mine\n")
    assert cli.main(["undo"]) == 1
    assert "has changes not committed; nothing undone" in capsys.readouterr().err
    assert (kb / ARTICLE).read_text() == "mine\n"


def test_undo_twice_is_refused_the_second_time(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = revise(kb)
    assert cli.main(["undo"]) == 0
    assert cli.main(["undo", made]) == 1
    assert "changed since (by " in capsys.readouterr().err


def test_nothing_to_undo_is_one_line(kb: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["undo"]) == 1
    assert capsys.readouterr().err == "there is no revision to undo\n"
    assert cli.main(["undo", "nosuchcommit"]) == 1
    assert capsys.readouterr().err == "no such commit: nosuchcommit\n"


def test_the_message_names_each_article_in_a_trailer() -> None:
    assert undo.revision_message("Revise x", ["articles/x.md"], "Edits: 2") == (
        "Revise x\n\nEdits: 2\n\nRevision-Of: articles/x.md\n"
    )
