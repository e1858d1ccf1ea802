"""Which documents drafting reads and may route to; a fed `_` document updated by a real pass."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from notes.drafting import run_pass, targets
from notes.drafting.answers import ROUTE, UPDATE
from notes.intake import transcripts
from notes.intake.transcripts import Note, NoteHeader
from notes.kb import KnowledgeBase
from tests.conftest import EXAMPLES
from tests.support.openai_server import OpenAIServer, answer, settings_for
from tests.support.routes import decision

WEEKLY = "articles/_weekly-log.md"
META = "articles/_meta/style.md"
FOLDER_INDEX = "articles/research/_index.md"


pytestmark = pytest.mark.usefixtures("no_user_git_config")


def populated(kb: KnowledgeBase) -> None:
    """The example article as a fed `_` document and as a meta one, with its cited notes."""
    article = EXAMPLES / "articles/ai-engineer-my-vision.md"
    for rel in (WEEKLY, META, FOLDER_INDEX, "articles/ml/rag.md"):
        (kb.root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(article, kb.root / rel)
    for note in (EXAMPLES / "inbox/used").iterdir():
        shutil.copyfile(note, kb.used / note.name)


def test_paths_leave_out_index_files_and_underscore_folders(kb: KnowledgeBase) -> None:
    populated(kb)
    (kb.articles / ".hidden").mkdir()
    (kb.articles / ".hidden/x.md").write_text("# x\n")
    (kb.articles / "_index.md").write_text("# My index\n")
    found = [p.relative_to(kb.root).as_posix() for p in targets.paths(kb)]
    assert found == [WEEKLY, "articles/ml/rag.md"]


def test_a_pass_shows_and_updates_a_fed_underscore_document_and_never_a_meta_one(
    server: OpenAIServer, kb: KnowledgeBase
) -> None:
    populated(kb)
    meta_before = (kb.root / META).read_bytes()
    when = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    name = f"{when:%Y%m%d_%H%M%S}_AlexeyDTC_msg5_text.txt"
    header = NoteHeader("telegram_text", when, 822266080, "AlexeyDTC")
    note = Note(header, "На этой неделе: доделал eval для роутинга.")
    (kb.raw / name).write_text(transcripts.render(note), encoding="utf-8")
    server.on(ROUTE, answer({"decisions": [decision("S1", WEEKLY)]}))
    insertion = {
        "section": None,
        "heading": "Week of 2026-03-02",
        "markdown": "Finished the routing eval[^S1].",
    }
    server.on(
        UPDATE, answer({"tags": [], "description": "x", "insertions": [insertion], "figures": []})
    )

    report = run_pass(settings_for(server, kb.root))

    [route_request] = server.requests_for(ROUTE)
    assert f'<article path="{WEEKLY}"' in route_request.user
    assert "_meta" not in route_request.user and "_index.md" not in route_request.user
    assert [change.path for change in report.updated] == [WEEKLY]
    assert "Finished the routing eval[^" in (kb.root / WEEKLY).read_text(encoding="utf-8")
    assert (kb.root / META).read_bytes() == meta_before
    assert (kb.used / name).is_file()
