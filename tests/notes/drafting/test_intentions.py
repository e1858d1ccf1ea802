"""The journal of a pass in progress: what a killed pass touched, for the next to commit."""

from __future__ import annotations

import json
import shutil

from notes.drafting import intentions
from notes.drafting.plan import BatchPlan, Change
from notes.kb import KnowledgeBase
from notes.markdown.document import ArticleDoc
from tests.support.paths import TESTS_DIR
from tests.support.revising import ARTICLE, TITLE, rag_article, request_note

USED = TESTS_DIR / "data" / "author_kb" / "inbox" / "used"
PHOTO = "20260320_093015_AlexeyDTC_msg3030_photo.md"
IMAGE = "20260320_093015_AlexeyDTC_msg3030.jpg"
ASSET = "assets/images/limits/dashboard.jpg"
MOVE = intentions.FigureMove(PHOTO, IMAGE, ASSET, "articles/limits.md")


def test_a_saved_journal_reads_back_and_clears(kb: KnowledgeBase) -> None:
    entry = intentions.Journal("2026-03-01T09:00:00+00:00", {"route": "route_v1"}, "m")
    entry.created.append("articles/a.md")
    entry.add(kb.root, [kb.articles / "a.md", kb.raw / "n.txt", kb.used / "n.txt"])
    entry.add(kb.root, [kb.articles / "a.md"])
    intentions.save(kb, entry)

    assert intentions.load(kb) == entry
    assert entry.paths == ["articles/a.md", "inbox/raw/n.txt", "inbox/used/n.txt"]
    intentions.clear(kb)
    assert intentions.load(kb) is None
    intentions.clear(kb)


def test_paths_outside_the_kb_are_never_taken_from_a_journal(kb: KnowledgeBase) -> None:
    data = {"time": "t", "paths": ["articles/a.md", "../outside.md", "/etc/passwd", ""]}
    intentions.journal_path(kb).write_text(json.dumps(data), encoding="utf-8")
    loaded = intentions.load(kb)
    assert loaded is not None and loaded.paths == ["articles/a.md"]


def test_a_damaged_journal_is_no_journal(kb: KnowledgeBase) -> None:
    intentions.journal_path(kb).write_text('{"time": "t", "paths": [', encoding="utf-8")
    assert intentions.load(kb) is None
    intentions.journal_path(kb).write_text('{"unknown": 1}', encoding="utf-8")
    assert intentions.load(kb) is None


def test_figure_moves_read_back_and_never_lead_outside_the_kb(kb: KnowledgeBase) -> None:
    entry = intentions.Journal("t", figures=[MOVE])
    intentions.save(kb, entry)
    assert intentions.load(kb) == entry
    bad = [
        {**vars(MOVE), "asset": "../../outside.jpg"},
        {**vars(MOVE), "image": "../x.jpg"},
        vars(MOVE),
    ]
    intentions.journal_path(kb).write_text(json.dumps({"time": "t", "figures": bad}), "utf-8")
    loaded = intentions.load(kb)
    assert loaded is not None and loaded.figures == [MOVE]


def placed_photo(kb: KnowledgeBase, *, shown: bool, moved: bool) -> None:
    shutil.copy(USED / PHOTO, kb.raw / PHOTO)
    shutil.copy(USED / IMAGE, (kb.root / ASSET) if moved else (kb.raw / IMAGE))
    img = '<img src="../assets/images/limits/dashboard.jpg" alt="x">' if shown else "No figure."
    (kb.articles / "limits.md").write_text(f"# Limits\n\n{img}\n", encoding="utf-8")


def test_a_figure_the_article_shows_is_moved_and_recorded(kb: KnowledgeBase) -> None:
    (kb.root / ASSET).parent.mkdir(parents=True)
    placed_photo(kb, shown=True, moved=False)
    touched = intentions.finish_figures(kb, intentions.Journal("t", figures=[MOVE]))
    assert (kb.root / ASSET).read_bytes() == (USED / IMAGE).read_bytes()
    assert not (kb.raw / IMAGE).exists()
    assert (kb.raw / PHOTO).read_text("utf-8") == (USED / PHOTO).read_text("utf-8").replace(
        f"image_file: {IMAGE}",
        f"original_image: {IMAGE}\nfinal_location: ../../{ASSET}\narticle: limits.md",
    )
    assert set(touched) == {kb.raw / IMAGE, kb.root / ASSET, kb.raw / PHOTO}
    before = (kb.raw / PHOTO).read_bytes()
    intentions.finish_figures(kb, intentions.Journal("t", figures=[MOVE]))  # settled: no change
    assert (kb.raw / PHOTO).read_bytes() == before


def test_a_figure_the_article_does_not_show_goes_back_to_the_inbox(kb: KnowledgeBase) -> None:
    (kb.root / ASSET).parent.mkdir(parents=True)
    placed_photo(kb, shown=False, moved=True)
    intentions.finish_figures(kb, intentions.Journal("t", figures=[MOVE]))
    assert (kb.raw / IMAGE).read_bytes() == (USED / IMAGE).read_bytes()
    assert not (kb.root / ASSET).exists()
    assert (kb.raw / PHOTO).read_bytes() == (USED / PHOTO).read_bytes()


def revised_kb(kb: KnowledgeBase, *, written: bool) -> intentions.RequestFiling:
    """An article a killed pass was revising as `request_note` asked (written or not yet)."""
    before = rag_article(kb)
    name = request_note(kb, 1, "это Mladen, не Ladden, исправь")
    after = before.replace("Ladden", "Mladen")
    plan = BatchPlan(feedback=[name])
    doc = ArticleDoc(ARTICLE, before)
    plan.changes.append(Change(ARTICLE, doc, after, TITLE, (), "", requests=(name,)))
    [filing] = intentions.request_filings(plan)
    if written:
        (kb.root / ARTICLE).write_text(after, encoding="utf-8")
    return filing


def test_a_request_whose_article_was_written_is_filed_as_feedback(kb: KnowledgeBase) -> None:
    filing = revised_kb(kb, written=True)
    intentions.save(kb, intentions.Journal("t", requests=[filing]))
    old = intentions.load(kb)
    assert old is not None and old.requests == [filing]

    filed, touched = intentions.finish_requests(kb, old)

    feedback = kb.used / "feedback" / filing.note
    assert filed == [(filing, True)] and feedback.is_file() and not (kb.raw / filing.note).exists()
    assert touched == [kb.raw / filing.note, feedback]
    assert intentions.finish_requests(kb, old) == ([], [])  # filed already: nothing again


def test_a_request_whose_article_is_as_it_was_stays_to_be_applied(kb: KnowledgeBase) -> None:
    filing = revised_kb(kb, written=False)
    assert intentions.finish_requests(kb, intentions.Journal("t", requests=[filing])) == ([], [])
    assert (kb.raw / filing.note).is_file()
    (kb.root / ARTICLE).unlink()  # gone: nothing says the revision was written
    assert intentions.finish_requests(kb, intentions.Journal("t", requests=[filing])) == ([], [])


def test_a_request_whose_article_was_edited_since_is_filed_and_said(kb: KnowledgeBase) -> None:
    filing = revised_kb(kb, written=True)
    with (kb.root / ARTICLE).open("a", encoding="utf-8") as article:
        article.write("A line he added by hand.\n")
    filed, _ = intentions.finish_requests(kb, intentions.Journal("t", requests=[filing]))
    assert filed == [(filing, False)]


def test_requests_never_name_a_note_or_article_outside_the_kb(kb: KnowledgeBase) -> None:
    good = intentions.RequestFiling("n.md", "articles/a.md", "0" * 64)
    bad = [
        vars(good) | {"note": "../../outside.md"},
        vars(good) | {"article": "/etc/passwd"},
        vars(good),
    ]
    intentions.journal_path(kb).write_text(json.dumps({"time": "t", "requests": bad}), "utf-8")
    loaded = intentions.load(kb)
    assert loaded is not None and loaded.requests == [good]
