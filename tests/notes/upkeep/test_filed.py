"""What voicenotes filed (the run log) and a photo note's record of where its image is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from notes.kb import KnowledgeBase, runlog
from notes.upkeep import filed
from tests.support.paths import TESTS_DIR

USED = TESTS_DIR / "data" / "author_kb" / "inbox/used"
PHOTO = "20260320_093015_AlexeyDTC_msg3030_photo.md"
IMAGE = "20260320_093015_AlexeyDTC_msg3030.jpg"
PLACED = "20260201_080307_AlexeyDTC_msg788_photo.md"
PLACED_IMAGE = (
    "assets/images/certificates-and-ai-design-experiments/certificate-analysis-terminal.jpg"
)
OLD = "20260205_121005_AlexeyDTC_msg933_transcript.txt"


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    kb = KnowledgeBase(tmp_path / "kb").ensure()
    for name in (PHOTO, IMAGE, PLACED, OLD):
        shutil.copy(USED / name, kb.used / name)
    for name in (PHOTO, PLACED):  # as voicenotes files them: `filed_by: voicenotes` last
        text = (kb.used / name).read_text("utf-8")
        end = text.index("\n---", 3)
        (kb.used / name).write_text(text[:end] + "\nfiled_by: voicenotes" + text[end:], "utf-8")
    (kb.root / PLACED_IMAGE).parent.mkdir(parents=True)
    shutil.copy(USED / IMAGE, kb.root / PLACED_IMAGE)
    return kb


def test_without_a_run_log_nothing_is_voicenotes(kb: KnowledgeBase) -> None:
    assert filed.owned(kb) == filed.Owned()


def test_the_notes_a_pass_filed_and_the_images_they_name_are_voicenotes(
    kb: KnowledgeBase,
) -> None:
    runlog.append(kb, runlog.RunRecord(filed=[PHOTO, PLACED, "gone_transcript.txt"]))
    owned = filed.owned(kb)
    assert owned.notes == {f"inbox/used/{PHOTO}", f"inbox/used/{PLACED}"}
    assert owned.images == {
        f"inbox/used/{IMAGE}": f"inbox/used/{PHOTO}",
        PLACED_IMAGE: f"inbox/used/{PLACED}",
    }


def test_relocated_rewrites_only_where_the_image_is() -> None:
    placed = (USED / PLACED).read_text(encoding="utf-8")
    moved = filed.relocated(placed, "x.jpg", "../../assets/images/_unused/x.jpg")
    assert moved == placed.replace(
        f"final_location: ../../{PLACED_IMAGE}",
        "final_location: ../../assets/images/_unused/x.jpg",
    )
    beside = (USED / PHOTO).read_text(encoding="utf-8")
    assert filed.relocated(beside, IMAGE, "../../assets/images/_unused/a.jpg") == beside.replace(
        f"image_file: {IMAGE}",
        f"original_image: {IMAGE}\nfinal_location: ../../assets/images/_unused/a.jpg",
    )
    crlf = "---\r\nsource: telegram_photo\r\nimage_file: a.jpg\r\n---\r\n\r\nText"
    assert filed.relocated(crlf, "a.jpg", "b/a.jpg") == (
        "---\r\nsource: telegram_photo\r\noriginal_image: a.jpg\r\nfinal_location: b/a.jpg\r\n"
        "---\r\n\r\nText"
    )
    with pytest.raises(ValueError, match="names no final_location"):
        filed.relocated("---\nsource: telegram\n---\n\nimage_file: a.jpg", "a.jpg", "x")


def test_a_location_is_read_from_the_note_s_folder(kb: KnowledgeBase) -> None:
    note = kb.used / PLACED
    assert filed.location_target(kb, note, f"../../{PLACED_IMAGE}") == PLACED_IMAGE
    assert filed.location_target(kb, note, f"../{PLACED_IMAGE}") is None  # no such file
    assert filed.location_target(kb, note, "../../../outside.jpg") is None
    assert filed.location_for(f"inbox/used/{PLACED}", PLACED_IMAGE) == f"../../{PLACED_IMAGE}"
