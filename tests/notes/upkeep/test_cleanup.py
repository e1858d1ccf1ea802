"""`voicenotes cleanup` and `voicenotes remove`: only what no document uses ever goes, and
cleanup only ever deletes or moves what voicenotes itself filed (the run log says what)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from notes.cli import main
from notes.kb import KnowledgeBase, runlog
from notes.upkeep import check, cleanup
from tests.support.paths import TESTS_DIR

AUTHOR_KB = TESTS_DIR / "data" / "author_kb"
USED = AUTHOR_KB / "inbox/used"
ONLY_A = "20260423_130125_AlexeyDTC_msg3537_transcript.txt"
SHARED = "20260423_130125_AlexeyDTC_msg3538_transcript.txt"
LOGGED = "20260423_130125_AlexeyDTC_msg3539_transcript.txt"
STALE = "20260423_130125_AlexeyDTC_msg3540_transcript.txt"
PHOTO = "20260320_093015_AlexeyDTC_msg3030_photo.md"
IMAGE = "20260320_093015_AlexeyDTC_msg3030.jpg"
PLACED = "20260201_080307_AlexeyDTC_msg788_photo.md"
"""A placed photo note: `final_location: ../../assets/images/certificates-and-ai-.../...jpg`."""
PLACED_IMAGE = (
    "assets/images/certificates-and-ai-design-experiments/certificate-analysis-terminal.jpg"
)
OLD = "20260424_124837_AlexeyDTC_msg3606_transcript.txt"
"""A note the author's old tool filed into inbox/used/ that nothing cites."""
OLD_UNUSED = "assets/images/_unused/usage-limits-screenshot.jpg"
"""An image the old tool put in _unused/ that nothing names."""
PENDING = "20260424_124837_AlexeyDTC_msg3605_transcript.txt"
FIGURE = "assets/images/a/shown.jpg"
SHARED_FIGURE = "assets/images/a/shared.jpg"
LOOSE = "assets/images/old/nobody.jpg"
TRANSCRIPT = "20260205_121005_AlexeyDTC_msg933_transcript.txt"
"""A note of the slice nothing cites."""
VOICENOTES_FILED = [ONLY_A, SHARED, LOGGED, STALE, PHOTO, PLACED]


def article(title: str, body: str, notes: list[str]) -> str:
    sources = "\n".join(
        f"[^{n}]: [{name}](../inbox/used/{name})" for n, name in enumerate(notes, 1)
    )
    cites = "".join(f"[^{n}]" for n in range(1, len(notes) + 1))
    return (
        f'---\ntitle: "{title}"\ncreated: 2026-04-23\nupdated: 2026-04-23\ntags: []\n'
        f"status: draft\n---\n\n# {title}\n\n{body}{cites}.\n\n## Sources\n\n{sources}\n"
    )


def mark(note: Path) -> None:
    """Mark a note as voicenotes files it: `filed_by: voicenotes` ends its front matter."""
    text = note.read_text("utf-8")
    end = text.index("\n---", 3)
    note.write_text(text[:end] + "\nfiled_by: voicenotes" + text[end:], "utf-8")


def record_filed(kb: KnowledgeBase, names: list[str]) -> None:
    """The run log line of a drafting pass that filed `names`."""
    runlog.append(kb, runlog.RunRecord(filed=names))


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> KnowledgeBase:
    monkeypatch.delenv("VOICENOTES_KB", raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    kb = KnowledgeBase(tmp_path / "kb").ensure()
    for name in (ONLY_A, SHARED, LOGGED, STALE, PHOTO, IMAGE, PLACED, OLD):
        shutil.copy(USED / name, kb.used / name)
    for name in VOICENOTES_FILED:
        mark(kb.used / name)
    shutil.copy(USED / PENDING, kb.raw / PENDING)
    for rel in (FIGURE, SHARED_FIGURE, LOOSE, PLACED_IMAGE):
        (kb.root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(USED / IMAGE, kb.root / rel)
    (kb.root / OLD_UNUSED).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(AUTHOR_KB / OLD_UNUSED, kb.root / OLD_UNUSED)
    figure = (
        '<figure>\n  <img src="../assets/images/a/shown.jpg" alt="x">\n'
        "  <figcaption>Shown[^1]</figcaption>\n</figure>\n\n"
        "![shared](../assets/images/a/shared.jpg)\n\nText"
    )
    (kb.articles / "a.md").write_text(article("A", figure, [ONLY_A, SHARED, PLACED]), "utf-8")
    shared = "![shared](../assets/images/a/shared.jpg)\n\nText"
    (kb.articles / "b.md").write_text(article("B", shared, [SHARED]), "utf-8")
    log = f"# Log\n\n- heard[^1]\n\n[^1]: [{LOGGED}](../inbox/used/{LOGGED})\n"
    (kb.articles / "_weekly-log.md").write_text(log, "utf-8")
    record_filed(kb, VOICENOTES_FILED)
    return kb


def files(kb: KnowledgeBase) -> set[str]:
    return {
        p.relative_to(kb.root).as_posix()
        for p in kb.root.rglob("*")
        if p.is_file() and ".voicenotes" not in p.parts
    }


def test_cleanup_lists_an_unused_image_and_a_stale_note_and_deletes_only_with_delete(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    before = files(kb)
    photo, placed = (kb.used / PHOTO).read_text("utf-8"), (kb.used / PLACED).read_text("utf-8")
    assert main(["cleanup", "--kb", str(kb.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"unused note: inbox/used/{STALE}",
        f"unused note: inbox/used/{PHOTO} (goes with its image, later)",
        f"unused image: {PLACED_IMAGE}",
        f"unused image: inbox/used/{IMAGE}",
        "left alone: 3 files no document uses that voicenotes did not file",
        "would clean up 3 files",
    ]
    assert files(kb) == before

    assert main(["cleanup", "--kb", str(kb.root), "--delete"]) == 0
    capsys.readouterr()
    after = files(kb)
    assert before - after == {f"inbox/used/{STALE}", f"inbox/used/{IMAGE}", PLACED_IMAGE}
    assert after - before == {
        f"assets/images/_unused/{IMAGE}",
        "assets/images/_unused/certificate-analysis-terminal.jpg",
    }
    for kept in (ONLY_A, SHARED, LOGGED, OLD):
        assert (kb.used / kept).is_file()
    assert (kb.raw / PENDING).is_file() and (kb.root / FIGURE).is_file()
    assert (kb.root / LOOSE).is_file() and (kb.root / OLD_UNUSED).is_file()
    # Each photo note says where its image went; no other byte of it changed.
    assert (kb.used / PHOTO).read_text("utf-8") == photo.replace(
        f"image_file: {IMAGE}",
        f"original_image: {IMAGE}\nfinal_location: ../../assets/images/_unused/{IMAGE}",
    )
    assert (kb.used / PLACED).read_text("utf-8") == placed.replace(
        f"final_location: ../../{PLACED_IMAGE}",
        "final_location: ../../assets/images/_unused/certificate-analysis-terminal.jpg",
    )
    assert check.check_kb(kb).errors == []

    assert main(["cleanup", "--kb", str(kb.root), "--delete"]) == 0
    second = capsys.readouterr().out
    assert f"deleted assets/images/_unused/{IMAGE}" in second
    assert f"deleted inbox/used/{PHOTO}" in second
    assert files(kb) == after - {f"assets/images/_unused/{IMAGE}", f"inbox/used/{PHOTO}"}
    assert check.check_kb(kb).errors == []  # the cited PLACED still finds its image

    assert main(["cleanup", "--kb", str(kb.root), "--delete"]) == 0
    assert "clean up 0 files" in capsys.readouterr().out


def test_check_finds_a_final_location_that_names_no_file(kb: KnowledgeBase) -> None:
    """What catches a photo note left pointing where its image no longer is."""
    assert check.check_kb(kb).errors == []
    (kb.root / PLACED_IMAGE).unlink()
    errors = check.check_kb(kb).errors
    assert [(e.path, e.kind) for e in errors] == [(f"inbox/used/{PLACED}", check.BROKEN_LINK)]
    assert f"final_location ../../{PLACED_IMAGE}: no such file" in errors[0].message


def test_a_note_or_image_the_old_tool_filed_is_never_deleted_or_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real slice of the author's KB in git: his notes and images stay, byte for byte."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "kb"
    shutil.copytree(AUTHOR_KB, root)
    kb = KnowledgeBase(root)
    git = ["git", "-C", str(root), "-c", "user.name=a", "-c", "user.email=a@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "his KB"], check=True)

    def status() -> str:
        done = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True)
        return done.stdout

    before = cleanup.unused(kb)
    assert len(before.left_alone) > 5 and OLD_UNUSED in before.left_alone
    assert {f"inbox/used/{PHOTO}", f"inbox/used/{TRANSCRIPT}"} <= set(before.left_alone)
    assert main(["cleanup", "--kb", str(root), "--delete"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"left alone: {len(before.left_alone)} files no document uses that voicenotes did not file",
        "clean up 0 files",
    ]
    assert status() == ""

    # A run log naming his note does not make it voicenotes': its front matter must say so.
    kb.ensure()
    record_filed(kb, [TRANSCRIPT])
    assert main(["cleanup", "--kb", str(root), "--delete", "--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "clean up 0 files" and (kb.used / TRANSCRIPT).is_file()
    reason = "its front matter does not say filed_by: voicenotes"
    assert f"left alone: inbox/used/{TRANSCRIPT} ({reason})" in out
    assert status() == ""

    # Once a voicenotes pass filed a note, that note (and only it) is voicenotes' to delete.
    mark(kb.used / TRANSCRIPT)
    subprocess.run([*git, "commit", "-q", "-am", "filed by voicenotes"], check=True)
    assert main(["cleanup", "--kb", str(root), "--delete"]) == 0
    assert f"deleted inbox/used/{TRANSCRIPT}" in capsys.readouterr().out
    assert status() == ""  # committed: the deletion, nothing else
    changed = subprocess.run(
        [*git, "show", "--name-status", "--format="], capture_output=True, text=True
    ).stdout
    assert changed.splitlines() == [f"D\tinbox/used/{TRANSCRIPT}"]


def test_older_than_leaves_what_is_recent(kb: KnowledgeBase) -> None:
    long_ago = time.time() - 3 * 86400
    os.utime(kb.root / PLACED_IMAGE, (long_ago, long_ago))
    found = cleanup.unused(kb, older_than=36500)
    assert found.notes == found.waiting == found.images == []
    found = cleanup.unused(kb, older_than=1)
    assert found.images == [PLACED_IMAGE]  # the other image was changed just now
    assert found.notes == [f"inbox/used/{STALE}"] and found.waiting == [f"inbox/used/{PHOTO}"]


def test_remove_deletes_what_only_the_article_uses_and_keeps_shared_notes(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    subprocess.run(["git", "init", "-q", str(kb.root)], check=True)
    assert main(["remove", "--kb", str(kb.root), "a", "--yes"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"kept (used elsewhere): inbox/used/{SHARED}" in out
    assert f"kept (used elsewhere): {SHARED_FIGURE}" in out
    assert "left alone: 1 file no document uses that voicenotes did not file" in out
    assert not (kb.articles / "a.md").exists() and not (kb.used / ONLY_A).exists()
    assert (kb.root / FIGURE).is_file()  # only a.md showed it, but voicenotes did not file it
    assert (kb.used / SHARED).is_file() and (kb.root / SHARED_FIGURE).is_file()
    assert (kb.used / STALE).is_file() and (kb.root / LOOSE).is_file()
    assert check.check_kb(kb).errors == []
    log = subprocess.run(
        ["git", "-C", str(kb.root), "log", "--format=%s"], capture_output=True, text=True
    )
    assert log.stdout == "Remove articles/a.md\n"
    assert main(["remove", "--kb", str(kb.root), "a", "--yes"]) == 1
    assert "no article articles/a.md" in capsys.readouterr().err


def test_a_document_s_uses_resolve_against_its_folder() -> None:
    text = (
        '<img src="../../assets/images/x/a%20b.jpg">\n\n[n](../../inbox/used/'
        f"{ONLY_A}) [web](https://example.org) ![i](pic.png)\n"
    )
    uses = cleanup.document_uses("articles/sub/x.md", text)
    assert uses.notes == {ONLY_A}
    assert uses.files == {"assets/images/x/a b.jpg", "articles/sub/pic.png"}


def test_remove_retires_an_image_whose_photo_note_another_article_cites(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    shows = f'<img src="../{PLACED_IMAGE}" alt="x">\n\nText'
    (kb.articles / "a.md").write_text(article("A", shows, [ONLY_A, PLACED]), "utf-8")
    (kb.articles / "b.md").write_text(article("B", "Text", [SHARED, PLACED]), "utf-8")
    placed = (kb.used / PLACED).read_text("utf-8")
    assert main(["remove", "--kb", str(kb.root), "a", "--yes"]) == 0
    retired = "assets/images/_unused/certificate-analysis-terminal.jpg"
    assert f"moved {PLACED_IMAGE} -> {retired}" in capsys.readouterr().out
    assert (kb.root / retired).is_file() and not (kb.root / PLACED_IMAGE).exists()
    assert (kb.used / PLACED).read_text("utf-8") == placed.replace(
        f"final_location: ../../{PLACED_IMAGE}", f"final_location: ../../{retired}"
    )
    assert check.check_kb(kb).errors == []


def test_remove_leaves_the_notes_and_images_voicenotes_did_not_file(
    kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]
) -> None:
    """The author's own note and image, used by the removed article alone, stay byte for byte."""
    shows = "![old](../assets/images/old/nobody.jpg)\n\nText"
    (kb.articles / "c.md").write_text(article("C", shows, [OLD, STALE]), "utf-8")
    before = {rel: (kb.root / rel).read_bytes() for rel in (f"inbox/used/{OLD}", LOOSE)}
    assert main(["remove", "--kb", str(kb.root), "c", "--yes"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "unused note: inbox/used/" + STALE,
        "deleted inbox/used/" + STALE,
        "deleted articles/c.md",
        "left alone: 2 files no document uses that voicenotes did not file",
    ]
    assert {rel: (kb.root / rel).read_bytes() for rel in before} == before
