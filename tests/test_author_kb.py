"""The author's real KB, as a slice copied into tests/data/author_kb/: check it, draft into it.

The slice holds his hand-written `articles/_index.md`, an article whose `<figure>` caption
cites a note, an interview with extra front matter keys, the plan template `_plan.md` (a `_`
document citing notes) and a note of every format. Its articles link to articles the slice
leaves out: those links are the only errors `check` may find.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from notes.drafting import run_command, run_pass
from notes.drafting.answers import ROUTE, UPDATE
from notes.intake import inbox
from notes.kb import KnowledgeBase
from notes.upkeep import check
from tests.conftest import DATA
from tests.support.openai_server import OpenAIServer, answer, settings_for

pytestmark = pytest.mark.timeout(120)

SLICE = DATA / "author_kb"
FIGURE_ARTICLE = "articles/research/decode-ai-content-generation.md"
IMAGE = "assets/images/decode-ai-content-generation/nova-brown-course-diagram.jpg"
PHOTO = "20260320_093015_AlexeyDTC_msg3030_photo.md"
PHOTO_IMAGE = "20260320_093015_AlexeyDTC_msg3030.jpg"
FILE_NOTE = "20260225_225841_AlexeyDTC_msg2471.md"
VIDEO = "20260207_070935_AlexeyDTC_msg1080_video.md"
LEFT_OUT = [  # links of the slice's articles to articles the slice leaves out
    "articles/ai-shipping-labs/interviews/brad-smith.md:17: markdown link ../personas.md: "
    "no such file",
    "articles/ai-shipping-labs/plans/_plan.md:92: markdown link ../personas.md: no such file",
    f"{FIGURE_ARTICLE}:206: markdown link agentic-ai-engineering-course.md: no such file",
    f"{FIGURE_ARTICLE}:342: markdown link agentic-ai-engineering-course.md: no such file",
]
UNUSED = [  # the template's example footnotes, kept on purpose
    "articles/ai-shipping-labs/plans/_plan.md:128: warning: footnote [^1] is defined but "
    "never used",
    "articles/ai-shipping-labs/plans/_plan.md:129: warning: footnote [^2] is defined but "
    "never used",
]


@pytest.fixture
def author_kb(tmp_path: Path) -> KnowledgeBase:
    root = tmp_path / "kb"
    shutil.copytree(SLICE, root)
    return KnowledgeBase(root)


def index_links_left_out(kb: KnowledgeBase) -> list[str]:
    """What check must say about `_index.md`: every `[..](x.md)` whose file is not in the
    slice, found here with a plain regular expression rather than the Markdown parser."""
    found = []
    lines = (kb.articles / "_index.md").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        for target in dict.fromkeys(re.findall(r"\]\(([^)\s]+\.md)\)", line)):
            if not (kb.articles / target).exists():
                found.append(f"articles/_index.md:{number}: markdown link {target}: no such file")
    return found


def findings(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    report = check.check_kb(kb)
    return [str(f) for f in report.errors], [str(f) for f in report.warnings]


def test_check_finds_exactly_the_links_the_slice_leaves_out(author_kb: KnowledgeBase) -> None:
    errors, warnings = findings(author_kb)
    expected = index_links_left_out(author_kb)
    assert len(expected) > 60
    assert sorted(errors) == sorted(expected + LEFT_OUT)
    assert warnings == UNUSED


def test_a_deleted_image_is_found(author_kb: KnowledgeBase) -> None:
    (author_kb.root / IMAGE).unlink()
    errors, _ = findings(author_kb)
    assert f"{FIGURE_ARTICLE}:193: HTML ../../{IMAGE}: no such file" in errors
    assert len(errors) == len(index_links_left_out(author_kb)) + len(LEFT_OUT) + 1


def test_a_footnote_cited_only_in_a_figure_caption_is_used(author_kb: KnowledgeBase) -> None:
    path = author_kb.root / FIGURE_ARTICLE
    text = path.read_text(encoding="utf-8")
    assert "course diagram" not in text  # the caption cites [^9], and so does line 17:
    path.write_text(text.replace("Paul's article[^9]", "Paul's article"), encoding="utf-8")
    _, warnings = findings(author_kb)
    assert warnings == UNUSED


def test_a_deleted_note_a_template_cites_is_found(author_kb: KnowledgeBase) -> None:
    (author_kb.used / "20260423_130125_AlexeyDTC_msg3538_transcript.txt").unlink()
    errors, _ = findings(author_kb)
    assert [e for e in errors if "msg3538" in e] == [
        "articles/ai-shipping-labs/plans/_plan.md:133: source link ../../../inbox/used/"
        "20260423_130125_AlexeyDTC_msg3538_transcript.txt: no such file"
    ]


# --- drafting into the real KB ----------------------------------------------------------


def git(kb: KnowledgeBase, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=kb.root, check=True, capture_output=True, text=True)
    return done.stdout


def move_to_raw(kb: KnowledgeBase, *note_names: str) -> None:
    kb.raw.mkdir(parents=True, exist_ok=True)
    for name in note_names:
        (kb.used / name).rename(kb.raw / name)


def test_an_update_pass_leaves_the_authors_index_and_notes_in_place(
    author_kb: KnowledgeBase,
    server: OpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    kb = author_kb
    move_to_raw(kb, PHOTO, PHOTO_IMAGE, FILE_NOTE, VIDEO)
    git(kb, "init", "-q")
    git(kb, "config", "user.name", "Author")
    git(kb, "config", "user.email", "author@example.org")
    git(kb, "add", ".")
    git(kb, "commit", "-q", "-m", "my KB")
    index_before = (kb.articles / "_index.md").read_bytes()
    server.always(
        ROUTE,
        answer(
            {
                "decisions": [
                    {
                        "sources": ["S1"],
                        "action": "update",
                        "article": FIGURE_ARTICLE,
                        "title": None,
                        "tags": [],
                        "folder": None,
                        "reason": "same pipeline",
                    }
                ]
            }
        ),
    )
    server.always(
        UPDATE,
        answer(
            {
                "tags": [],
                "description": "Paul Iusztin's writing workflow and branded images.",
                "insertions": [
                    {
                        "section": None,
                        "heading": "Demos",
                        "markdown": "Also seen in my notes[^S1].",
                    }
                ],
                "figures": [],
            }
        ),
    )

    report = run_pass(settings_for(server, kb.root))

    assert report.ok and [c.path for c in report.updated] == [FIGURE_ARTICLE] * 3
    shown = " ".join(request.user for request in server.requests_for(ROUTE))
    assert all(name in shown for name in (PHOTO, FILE_NOTE, VIDEO))  # one batch each
    assert (kb.articles / "_index.md").read_bytes() == index_before
    assert (kb.articles / "_voicenotes-index.md").is_file()
    assert sorted(p.name for p in kb.raw.iterdir()) == []
    assert (kb.used / PHOTO_IMAGE).is_file()  # the photo moved with its note
    article = (kb.root / FIGURE_ARTICLE).read_text(encoding="utf-8")
    assert all(f"../../inbox/used/{name})" in article for name in (PHOTO, FILE_NOTE, VIDEO))
    assert git(kb, "status", "--porcelain") == ""
    changed = set(git(kb, "show", "--name-only", "--no-renames", "--format=", "HEAD").split())
    assert changed == {
        FIGURE_ARTICLE,
        "articles/_voicenotes-index.md",
        ".voicenotes/descriptions.json",
        *(
            f"inbox/{folder}/{name}"
            for folder in ("raw", "used")
            for name in (PHOTO, PHOTO_IMAGE, FILE_NOTE, VIDEO)
        ),
    }
    errors, _ = findings(kb)
    assert sorted(errors) == sorted(index_links_left_out(kb) + LEFT_OUT)


def test_a_pass_with_nothing_to_draft_changes_nothing(
    author_kb: KnowledgeBase, server: OpenAIServer
) -> None:
    before = {p: p.read_bytes() for p in author_kb.root.rglob("*") if p.is_file()}
    report = run_pass(settings_for(server, author_kb.root))
    assert report.summary() == "Drafting pass: 0 created, 0 updated, 0 set aside."
    after = {p: p.read_bytes() for p in author_kb.root.rglob("*") if p.is_file()}
    assert after == before
    assert not author_kb.raw.exists() and not author_kb.state.exists()


def test_unreadable_files_in_raw_are_named_and_left_alone(
    author_kb: KnowledgeBase, server: OpenAIServer, capsys: pytest.CaptureFixture[str]
) -> None:
    author_kb.raw.mkdir(parents=True)
    (author_kb.raw / "20260601_080000_AlexeyDTC_msg5000.md").write_text("forgot the header")
    (author_kb.raw / "draft.docx").write_bytes(b"PK")
    status = run_command(argparse.Namespace(dry_run=False), settings_for(server, author_kb.root))
    printed = capsys.readouterr().out.splitlines()
    assert status == 0
    assert printed == [
        "Drafting pass: 0 created, 0 updated, 0 set aside.",
        "warning: inbox/raw/20260601_080000_AlexeyDTC_msg5000.md not read: "
        "no front matter: the file does not start with '---'",
        "warning: inbox/raw/draft.docx not read: not a note, and no note in inbox/raw names it "
        "as its attachment",
    ]
    report = run_pass(settings_for(server, author_kb.root))
    assert report.warnings == [
        "inbox/raw/20260601_080000_AlexeyDTC_msg5000.md not read: "
        "no front matter: the file does not start with '---'",
        "inbox/raw/draft.docx not read: not a note, and no note in inbox/raw names it as its "
        "attachment",
    ]
    assert inbox.unreadable(author_kb) == report.warnings
    assert sorted(p.name for p in author_kb.raw.iterdir()) == [
        "20260601_080000_AlexeyDTC_msg5000.md",
        "draft.docx",
    ]
