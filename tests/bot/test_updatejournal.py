"""The update journal: kept before confirmed, handled once, forgotten when handled."""

from __future__ import annotations

import json

import pytest

from bot import updatejournal
from bot.polling import parse_update
from bot.updatejournal import UpdateJournal
from notes.kb import KnowledgeBase


def update(update_id: int, text: str = "a note") -> dict[str, object]:
    return {"update_id": update_id, "message": {"message_id": update_id, "text": text}}


def test_updates_are_kept_as_sent_until_handled_and_found_again_after_a_restart(
    kb: KnowledgeBase,
) -> None:
    kept = UpdateJournal(kb).admit([update(7, "первая\r\n\tмысль"), update(8)])

    assert [u["update_id"] for u in kept] == [7, 8]
    after_restart = UpdateJournal(kb)
    assert after_restart.unhandled() == [update(7, "первая\r\n\tмысль"), update(8)]
    after_restart.finish(7)
    assert UpdateJournal(kb).unhandled() == [update(8)]
    assert UpdateJournal(kb).pending() == 1


def test_an_update_delivered_again_is_admitted_once(kb: KnowledgeBase) -> None:
    first = UpdateJournal(kb)
    first.admit([update(7), update(8)])
    first.finish(7)

    again = UpdateJournal(kb).admit([update(7), update(8), update(9)])

    assert [u["update_id"] for u in again] == [9]  # 7 handled, 8 waiting: neither twice


def test_handled_ids_are_remembered_within_a_bound(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(updatejournal, "REMEMBERED", 3)
    kept = UpdateJournal(kb)
    for update_id in range(1, 6):
        kept.admit([update(update_id)])
        kept.finish(update_id)

    assert json.loads((kb.state / "updates" / "handled.json").read_text()) == [3, 4, 5]


def test_an_update_handled_but_not_forgotten_before_a_crash_is_not_replayed(
    kb: KnowledgeBase,
) -> None:
    kept = UpdateJournal(kb)
    kept.admit([update(7)])
    kept.finish(7)
    (kb.state / "updates" / "7.json").write_text(json.dumps(update(7)))  # unlink never ran

    assert UpdateJournal(kb).unhandled() == []
    assert not (kb.state / "updates" / "7.json").exists()


def test_a_journal_that_cannot_be_written_admits_nothing(kb: KnowledgeBase) -> None:
    (kb.state / "updates").write_text("in the way")

    with pytest.raises(OSError):
        UpdateJournal(kb).admit([update(7)])


def message_update(update_id: int, **message: object) -> dict[str, object]:
    chat = {"id": 5, "type": "private", "first_name": "A"}
    base = {"message_id": update_id, "date": 1770200619, "chat": chat, "text": "a note"}
    return {"update_id": update_id, "message": base | message}


def without(data: dict[str, object], *path: str) -> dict[str, object]:
    copy = json.loads(json.dumps(data))
    inner = copy
    for key in path[:-1]:
        inner = inner[key]
    del inner[path[-1]]
    return dict(copy)


@pytest.mark.parametrize(
    "damaged",
    [
        without(message_update(7), "message", "date"),
        without(message_update(7), "message", "chat", "type"),
        message_update(7, date="2026-02-04T10:23:39Z"),
        {"update_id": "7", "message": {}},
    ],
    ids=["no-date", "chat-without-type", "date-as-text", "id-as-text"],
)
def test_a_kept_update_the_library_cannot_read_is_set_aside_once_and_the_rest_handled(
    kb: KnowledgeBase, damaged: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    folder = kb.state / "updates"
    folder.mkdir(parents=True)
    (folder / "7.json").write_text(json.dumps(damaged))
    (folder / "8.json").write_text(json.dumps(message_update(8)))

    assert UpdateJournal(kb, parse_update).unhandled() == [message_update(8)]
    assert UpdateJournal(kb, parse_update).unhandled() == [message_update(8)]

    assert json.loads((folder / "unreadable" / "7.json").read_text()) == damaged
    assert not (folder / "7.json").exists()
    logged = [r.getMessage() for r in caplog.records if "update 7 " in r.getMessage()]
    assert len(logged) == 1 and "unreadable" in logged[0], logged


def test_a_damaged_record_does_not_hide_a_redelivery_of_its_update(kb: KnowledgeBase) -> None:
    folder = kb.state / "updates"
    folder.mkdir(parents=True)
    (folder / "7.json").write_text('{"update_id": 7, "mess')  # cut short
    (folder / "unreadable").mkdir()
    (folder / "unreadable" / "7.json").write_text("an earlier one")

    admitted = UpdateJournal(kb, parse_update).admit([message_update(7)])

    assert admitted == [message_update(7)]
    assert (folder / "unreadable" / "7-2.json").read_text() == '{"update_id": 7, "mess'
    assert UpdateJournal(kb).unhandled() == [message_update(7)]
