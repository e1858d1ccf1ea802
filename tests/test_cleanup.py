"""`voicenotes cleanup` and `voicenotes remove`: only what no document uses ever goes."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from notes import check, cleanup
from notes.cli import main
from notes.kb import KnowledgeBase

AUTHOR_KB = Path(__file__).parent / "data" / "author_kb"
USED = AUTHOR_KB / "inbox/used"
ONLY_A = "20260423_130125_AlexeyDTC_msg3537_transcript.txt"
SHARED = "20260423_130125_AlexeyDTC_msg3538_transcript.txt"
LOGGED = "20260423_130125_AlexeyDTC_msg3539_transcript.txt"
STALE = "20260423_130125_AlexeyDTC_msg3540_transcript.txt"
PHOTO = "20260320_093015_AlexeyDTC_msg3030_photo.md"
IMAGE = "20260320_093015_AlexeyDTC_msg3030.jpg"
PENDING = "20260424_124837_AlexeyDTC_msg3605_transcript.txt"
FIGURE = "assets/images/a/shown.jpg"
SHARED_FIGURE = "assets/images/a/shared.jpg"
LOOSE = "assets/images/old/nobody.jpg"


def article(title: str, body: str, notes: list[str]) -> str:
    sources = "\n".join(
        f"[^{n}]: [{name}](../inbox/used/{name})" for n, name in enumerate(notes, 1)
    )
    cites = "".join(f"[^{n}]" for n in range(1, len(notes) + 1))
    return (
        f'---\ntitle: "{title}"\ncreated: 2026-04-23\nupdated: 2026-04-23\ntags: []\n'
        f"status: draft\n---\n\n# {title}\n\n{body}{cites}.\n\n## Sources\n\n{sources}\n"
    )


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> KnowledgeBase:
    monkeypatch.delenv("VOICENOTES_KB", raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    kb = KnowledgeBase(tmp_path / "kb").ensure()
    for name in (ONLY_A, SHARED, LOGGED, STALE, PHOTO, IMAGE):
        shutil.copy(USED / name, kb.used / name)
    shutil.copy(USED / PENDING, kb.raw / PENDING)
    for rel in (FIGURE, SHARED_FIGURE, LOOSE):
        (kb.root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(USED / IMAGE, kb.root / rel)
    figure = (
        '<figure>\n  <img src="../assets/images/a/shown.jpg" alt="x">\n'
        "  <figcaption>Shown[^1]</figcaption>\n</figure>\n\n"
        "![shared](../assets/images/a/shared.jpg)\n\nText"
    )
    (kb.articles / "a.md").write_text(article("A", figure, [ONLY_A, SHARED]), "utf-8")
    shared = "![shared](../assets/images/a/shared.jpg)\n\nText"
    (kb.articles / "b.md").write_text(article("B", shared, [SHARED]), "utf-8")
    log = f"# Log\n\n- heard[^1]\n\n[^1]: [{LOGGED}](../inbox/used/{LOGGED})\n"
    (kb.articles / "_weekly-log.md").write_text(log, "utf-8")
    return kb


def files(kb: KnowledgeBase) -> set[str]:
    return {p.relative_to(kb.root).as_posix() for p in kb.root.rglob("*") if p.is_file()}


def test_cleanup_lists_an_unused_image_and_a_stale_note_and_deletes_only_with_delete(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(kb)
    assert main(["cleanup", "--kb", str(kb.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"unused note: inbox/used/{PHOTO}",
        f"unused note: inbox/used/{STALE}",
        f"unused image: {LOOSE}",
        "would clean up 3 files",
    ]
    assert files(kb) == before

    assert main(["cleanup", "--kb", str(kb.root), "--delete"]) == 0
    capsys.readouterr()
    after = files(kb)
    assert before - after == {
        f"inbox/used/{PHOTO}",
        f"inbox/used/{STALE}",
        f"inbox/used/{IMAGE}",
        LOOSE,
    }
    assert after - before == {f"assets/images/_unused/{IMAGE}", "assets/images/_unused/nobody.jpg"}
    for kept in (ONLY_A, SHARED, LOGGED):
        assert (kb.used / kept).is_file()
    assert (kb.raw / PENDING).is_file() and (kb.root / FIGURE).is_file()

    assert main(["cleanup", "--kb", str(kb.root), "--delete"]) == 0
    assert "deleted assets/images/_unused/nobody.jpg" in capsys.readouterr().out
    assert not (kb.root / "assets/images/_unused").exists() or not any(
        (kb.root / "assets/images/_unused").iterdir()
    )
    assert check.check_kb(kb).errors == []


def test_older_than_leaves_what_is_recent(kb: KnowledgeBase) -> None:
    recent = time.time()
    os.utime(kb.root / LOOSE, (recent, recent))
    found = cleanup.unused(kb, older_than=36500)
    assert found.notes == [] and found.images == []
    found = cleanup.unused(kb, older_than=1)
    assert found.images == [] and len(found.notes) == 2


def test_remove_deletes_what_only_the_article_uses_and_keeps_shared_notes(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    subprocess.run(["git", "init", "-q", str(kb.root)], check=True)
    assert main(["remove", "--kb", str(kb.root), "a"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"kept (used elsewhere): inbox/used/{SHARED}" in out
    assert f"kept (used elsewhere): {SHARED_FIGURE}" in out
    assert not (kb.articles / "a.md").exists()
    assert not (kb.used / ONLY_A).exists() and not (kb.root / FIGURE).exists()
    assert (kb.used / SHARED).is_file() and (kb.root / SHARED_FIGURE).is_file()
    assert (kb.used / STALE).is_file() and (kb.root / LOOSE).is_file()
    assert check.check_kb(kb).errors == []
    log = subprocess.run(
        ["git", "-C", str(kb.root), "log", "--format=%s"], capture_output=True, text=True
    )
    assert log.stdout == "Remove articles/a.md\n"
    assert main(["remove", "--kb", str(kb.root), "a"]) == 1
    assert "no article articles/a.md" in capsys.readouterr().err


def test_a_document_s_uses_resolve_against_its_folder() -> None:
    text = (
        '<img src="../../assets/images/x/a%20b.jpg">\n\n[n](../../inbox/used/'
        f"{ONLY_A}) [web](https://example.org) ![i](pic.png)\n"
    )
    uses = cleanup.document_uses("articles/sub/x.md", text)
    assert uses.notes == {ONLY_A}
    assert uses.files == {"assets/images/x/a b.jpg", "articles/sub/pic.png"}
