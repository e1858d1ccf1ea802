from datetime import UTC, datetime

from notes.intake import formats
from notes.intake.origin import Origin
from notes.intake.waiting import waiting
from notes.kb import KnowledgeBase

SENDER = Origin("telegram", datetime(2026, 2, 4, tzinfo=UTC), 1, "a")


def test_material_notes_and_undescribed_photos_are_counted(kb: KnowledgeBase) -> None:
    assert waiting(kb) == (0, 0)
    (kb.raw / "a_photo.md").write_text(formats.photo_note(SENDER, "a.jpg", None, None))
    (kb.raw / "b_link.md").write_text("---\nsource: telegram_link\n---\n\nx")
    (kb.raw / "c_transcript.txt").write_text("---\n---\n\nx")
    (kb.raw / "a.jpg").write_bytes(b"jpeg")
    assert waiting(kb) == (2, 1)


def test_a_video_s_keyframe_waiting_for_a_description_is_counted(kb: KnowledgeBase) -> None:
    head = "---\nsource: telegram_video\n---\n\nA video.\n\n"
    (kb.raw / "v_video.md").write_text(head + formats.KEYFRAME_WAITING + "no vision model.\n")
    assert waiting(kb) == (1, 0)  # its keyframe is not beside it: nothing to describe
    (kb.raw / "v.jpg").write_bytes(b"jpeg")
    assert waiting(kb) == (1, 1)
    described = head + formats.KEYFRAME_HEADING + "A whiteboard.\n"
    (kb.raw / "v_video.md").write_text(described)
    assert waiting(kb) == (1, 0)
