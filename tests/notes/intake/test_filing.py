import pytest

from notes.intake import filing, inbox
from notes.intake.filing import Materials
from notes.intake.inbox import AlreadyFiled
from notes.kb import KnowledgeBase, atomic
from notes.settings import load_settings
from tests.support.materials import SENDER, STEM, front


def test_a_note_is_never_filed_twice_raw_or_used(kb: KnowledgeBase) -> None:
    inbox.file_note(kb, f"{STEM}.md", "first")
    with pytest.raises(AlreadyFiled):
        inbox.file_note(kb, f"{STEM}.md", "second")
    atomic.write_text(kb.used / f"{STEM}_link.md", "drafted")
    with pytest.raises(AlreadyFiled):
        inbox.file_note(kb, f"{STEM}_link.md", "again")
    assert (kb.raw / f"{STEM}.md").read_text() == "first"


def test_a_file_that_could_not_be_downloaded_keeps_its_details(kb: KnowledgeBase) -> None:
    m = Materials(kb, load_settings(kb.root))
    filed = filing.file_missing(m, "talk.mp4", STEM, SENDER, "запись", 60_000_000)
    meta = front(filed.path)
    assert (meta["original_filename"], meta["file_size_bytes"]) == ("talk.mp4", 60_000_000)
    assert meta["problem"] == "not downloaded"
    assert filed.path.read_text().endswith("Caption: запись")


def test_a_kept_file_gets_a_safe_suffix(kb: KnowledgeBase) -> None:
    m = Materials(kb, load_settings(kb.root))
    filed = filing.file_binary(m, b"data", "weird name.TaR.GZ!", STEM, SENDER, None)
    assert front(filed.path)["saved_as"] == f"{STEM}.gz"
    assert (kb.raw / f"{STEM}.gz").read_bytes() == b"data"
