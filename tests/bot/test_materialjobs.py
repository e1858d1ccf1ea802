from datetime import UTC, datetime

from bot import materialjobs
from bot.materialjobs import MaterialJob
from notes.intake.origin import Forward
from notes.kb import KnowledgeBase

WHEN = datetime(2026, 2, 4, 10, 23, 39, tzinfo=UTC)


def job(**changes: object) -> MaterialJob:
    forward = materialjobs.forward_dict(Forward("channel", "Data", WHEN, "data", -100123, 5))
    base = MaterialJob("STEM", "photo", WHEN, 1, "alexey", 1, 900, file_id="f", forward=forward)
    return MaterialJob(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def test_a_record_round_trips_with_its_forward(kb: KnowledgeBase) -> None:
    saved = job(urls=["https://x.org"], group="album1")
    materialjobs.save(kb, saved)
    (loaded,) = materialjobs.pending(kb)
    assert loaded == saved
    origin = loaded.origin()
    assert origin.forward is not None and origin.forward.date == WHEN
    assert (origin.group, origin.message_id) == ("album1", 900)


def test_a_photo_and_the_links_of_one_message_are_two_records(kb: KnowledgeBase) -> None:
    materialjobs.save(kb, job())
    materialjobs.save(kb, job(kind="links"))
    assert len(materialjobs.pending(kb)) == 2
    materialjobs.remove(kb, job())
    assert [j.kind for j in materialjobs.pending(kb)] == ["links"]


def test_an_unreadable_record_is_skipped_and_kept(kb: KnowledgeBase) -> None:
    broken = materialjobs.folder(kb) / "broken.json"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("{not json", encoding="utf-8")
    assert materialjobs.pending(kb) == []
    assert broken.exists()


def test_tries_are_counted() -> None:
    assert job().tried().tried().attempts == 2
