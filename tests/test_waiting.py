from datetime import UTC, datetime

from notes.kb import KnowledgeBase
from notes.materials import formats
from notes.materials.formats import Sender
from notes.materials.waiting import waiting

SENDER = Sender("telegram", datetime(2026, 2, 4, tzinfo=UTC), 1, "a")


def test_material_notes_and_undescribed_photos_are_counted(kb: KnowledgeBase) -> None:
    assert waiting(kb) == (0, 0)
    (kb.raw / "a_photo.md").write_text(formats.photo_note(SENDER, "a.jpg", None, None))
    (kb.raw / "b_link.md").write_text("---\nsource: telegram_link\n---\n\nx")
    (kb.raw / "c_transcript.txt").write_text("---\n---\n\nx")
    (kb.raw / "a.jpg").write_bytes(b"jpeg")
    assert waiting(kb) == (2, 1)
