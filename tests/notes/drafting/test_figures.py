"""Figures: photo notes placed in articles as the author's KB has them, end to end."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from notes.cli import main
from notes.drafting import figures, run_pass
from notes.drafting.answers import ROUTE, UPDATE, WRITE, Figure
from notes.drafting.messages import Source
from notes.intake import formats, noteformats
from notes.intake.origin import Origin
from notes.kb import KnowledgeBase
from notes.markdown import citations
from notes.upkeep import check
from tests.conftest import LongNote
from tests.support.openai_server import OpenAIServer, answer, settings_for
from tests.support.paths import TESTS_DIR
from tests.support.routes import decision

pytestmark = pytest.mark.timeout(120)

AUTHOR_KB = TESTS_DIR / "data" / "author_kb"
PHOTO = "20260320_093015_AlexeyDTC_msg3030_photo.md"
IMAGE = "20260320_093015_AlexeyDTC_msg3030.jpg"
VOICE = "20260320_092900_AlexeyDTC_msg3029_transcript.txt"
LINK = "20260320_093100_AlexeyDTC_msg3031_link.md"
LINK_NOTE = formats.link_note(
    Origin("telegram", datetime(2026, 3, 20, 9, 31, tzinfo=UTC), 822266080, "AlexeyDTC"),
    "https://example.org/limits",
    title="Usage limits explained",
    site="example.org",
    fetched=datetime(2026, 3, 20, 9, 31, 2, tzinfo=UTC),
    markdown="Plans reset their session limit every five hours and the weekly limit on Fridays.",
)
"""A link note as the bot files it."""
VOICE_NOTE = """---
source: telegram_voice
date: 2026-03-20T09:29:00+00:00
user_id: 822266080
username: AlexeyDTC
audio_file: 20260320_092900_AlexeyDTC_msg3029.ogg
---

Снова могу пользоваться Claude Code, лимиты сбросились."""
PHOTO_SOURCE = Source("S2", PHOTO, kind="photo", details=(("image", "yes"),), image_file=IMAGE)


def fill_inbox(kb: KnowledgeBase) -> None:
    shutil.copy(AUTHOR_KB / "inbox/used" / PHOTO, kb.raw / PHOTO)
    shutil.copy(AUTHOR_KB / "inbox/used" / IMAGE, kb.raw / IMAGE)
    (kb.raw / VOICE).write_text(VOICE_NOTE, encoding="utf-8")
    (kb.raw / LINK).write_text(LINK_NOTE, encoding="utf-8")


def created(sources: list[str], title: str, reason: str, **fields: Any) -> dict[str, Any]:
    """The route decision putting `sources` into a new article `title` (`fields` override)."""
    decision = {
        "sources": sources,
        "action": "create",
        "article": None,
        "title": title,
        "tags": [],
        "folder": "",
        "reason": reason,
    }
    return decision | fields


def article(title: str, description: str, body: str, figures: list[Any]) -> dict[str, Any]:
    """The write answer: a new article with no tags."""
    return {
        "title": title,
        "tags": [],
        "description": description,
        "body": body,
        "figures": figures,
    }


def figure(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "source": "S2",
        "after": 1,
        "name": "Usage Limits: Dashboard!",
        "alt": "A plan usage dashboard at 4% of the session",
        "caption": "My usage limits right after the reset",
    }
    values.update(fields)
    return values


def test_a_pass_over_a_transcript_a_photo_and_a_link_places_the_figure(
    server: OpenAIServer, kb: KnowledgeBase
) -> None:
    fill_inbox(kb)
    route = created(
        ["S1", "S2", "S3"], "Usage limits", "one topic", tags=["claude-code"], folder="tools"
    )
    server.on(ROUTE, answer({"decisions": [route]}))
    body = (
        "My Claude Code limits reset and I am back[^S1]. I felt like a junkie[^S2].\n\n"
        "## Limits that reset\n\nThe session limit resets every five hours[^S3]."
    )
    written = article("Usage limits", "Living with plan limits.", body, [figure()])
    server.on(WRITE, answer(written))

    report = run_pass(settings_for(server, kb.root))

    assert [change.path for change in report.created] == ["articles/tools/usage-limits.md"]
    shown = server.requests_for(ROUTE)[0].user
    assert 'kind="photo" image="yes">' in shown and "Caption: I feel like a junkie" in shown
    assert 'kind="link" url="https://example.org/limits" title="Usage limits explained"' in shown
    asset = kb.root / "assets/images/usage-limits/usage-limits-dashboard.jpg"
    assert asset.read_bytes() == (AUTHOR_KB / "inbox/used" / IMAGE).read_bytes()
    assert not (kb.raw / IMAGE).exists() and not (kb.used / IMAGE).exists()
    text = (kb.articles / "tools/usage-limits.md").read_text(encoding="utf-8")
    assert (
        "I felt like a junkie[^2].\n\n<figure>\n"
        '  <img src="../../assets/images/usage-limits/usage-limits-dashboard.jpg" '
        'alt="A plan usage dashboard at 4% of the session">\n'
        "  <figcaption>My usage limits right after the reset</figcaption>\n"
        "</figure>\n\n## Limits that reset"
    ) in text
    assert "[^" not in render_as_github(text)
    assert f"[^3]: [{LINK}](../../inbox/used/{LINK})" in text
    note = (kb.used / PHOTO).read_text(encoding="utf-8")
    original = (AUTHOR_KB / "inbox/used" / PHOTO).read_text(encoding="utf-8")
    assert note == original.replace(
        f"image_file: {IMAGE}",
        f"original_image: {IMAGE}\n"
        "final_location: ../../assets/images/usage-limits/usage-limits-dashboard.jpg\n"
        "article: tools/usage-limits.md",
    )
    assert noteformats.read(kb.used / PHOTO).kind == "photo"
    found = check.check_kb(kb)
    assert found.errors == [] and found.warnings == []


def test_a_figure_for_a_source_that_is_not_a_photo_is_a_problem() -> None:
    voice = Source("S1", VOICE)
    placed, problems = figures.plan(
        "articles/x.md", [Figure.model_validate(figure(source="S1"))], [voice], set()
    )
    wanted = 'figure S1: not a photo with image="yes" or a video with figure="yes"'
    assert placed == [] and problems == [wanted]


def test_asset_names_are_safe_and_unique() -> None:
    taken = {"assets/images/x/usage.jpg", "assets/images/x/usage-2.jpg"}
    one = Figure.model_validate(figure(name="Usage"))
    two = Figure.model_validate(figure(name="../../etc/passwd"))
    placed, problems = figures.plan("articles/a/x.md", [one], [PHOTO_SOURCE], taken)
    assert problems == [] and placed[0].asset == "assets/images/x/usage-3.jpg"
    placed, _ = figures.plan("articles/x.md", [two], [PHOTO_SOURCE], set())
    assert placed[0].asset == "assets/images/x/etc-passwd.jpg"
    assert figures.safe_name("!!!") == "figure"


def test_a_figure_goes_after_its_block_or_after_the_last() -> None:
    body = "One[^1].\n\n- a\n- b\n\n```\ncode\n\nmore\n```\n\nLast."
    placed, _ = figures.plan(
        "articles/x.md",
        [Figure.model_validate(figure(after=3)), Figure.model_validate(figure(after=99))],
        [PHOTO_SOURCE],
        set(),
    )
    assert len(placed) == 1
    out = figures.place(body, "articles/x.md", placed, {PHOTO: "1"})
    assert out.startswith("One[^1].\n\n<figure>\n")  # not after code: after the citing paragraph
    assert "</figure>\n\n- a\n- b\n\n```\ncode\n\nmore\n```\n\nLast." in out
    after_list = figures.place(
        body, "articles/x.md", [dataclasses.replace(placed[0], after=2)], {PHOTO: "1"}
    )
    assert after_list.startswith("One[^1].\n\n- a\n- b[^1]\n\n<figure>\n")
    last = figures.place(
        "Only.", "articles/x.md", [dataclasses.replace(placed[0], after=9)], {PHOTO: "1"}
    )
    assert re.fullmatch(r"Only\[\^1\]\.\n\n<figure>\n.*\n</figure>\n?", last, re.DOTALL)


def test_a_marker_goes_before_the_closing_full_stop_as_the_author_writes_it() -> None:
    assert figures.cite_at_end("And this is what I saw.", ["30"]) == "And this is what I saw[^30]."
    assert figures.cite_at_end("Seen[^2].  ", ["3", "3"]) == "Seen[^2][^3].  "
    assert figures.cite_at_end("A list item", ["3"]) == "A list item[^3]"
    assert figures.cite_at_end("Wait...", ["3"]) == "Wait...[^3]"


def render_as_github(text: str) -> str:
    """HTML as GitHub renders Markdown: footnotes on, front matter aside, HTML blocks raw."""
    md = MarkdownIt("commonmark", {"html": True}).use(front_matter_plugin).use(footnote_plugin)
    return md.enable("table").render(text)


def test_the_authors_old_caption_marker_still_counts_as_a_citation() -> None:
    text = (
        'Intro.\n\n<figure>\n  <img src="a.jpg" alt="a">\n'
        "  <figcaption>Old[^1]</figcaption>\n</figure>\n\n[^1]: [n](../inbox/used/n.md)\n"
    )
    found = citations.scan(text)
    assert [(r.label, r.in_html) for r in found.references] == [("1", True)]
    assert citations.problems(found) == []


def test_check_names_a_figure_whose_image_is_missing(kb: KnowledgeBase) -> None:
    (kb.articles / "x.md").write_text(
        '---\ntitle: "X"\ncreated: 2026-03-20\nupdated: 2026-03-20\ntags: []\nstatus: draft\n'
        '---\n\n# X\n\n<figure>\n  <img src="../assets/images/x/gone.jpg" alt="a">\n'
        "  <figcaption>Gone</figcaption>\n</figure>\n",
        encoding="utf-8",
    )
    found = check.check_kb(kb)
    assert [(f.path, f.line) for f in found.errors] == [("articles/x.md", 12)]
    assert "assets/images/x/gone.jpg" in found.errors[0].message


def test_an_update_of_the_authors_article_places_the_photo_and_keeps_his_figure(
    server: OpenAIServer, tmp_path: Path
) -> None:
    kb = KnowledgeBase(tmp_path / "kb")
    shutil.copytree(AUTHOR_KB, kb.root)
    kb.raw.mkdir(parents=True)
    for name in (PHOTO, IMAGE):
        (kb.used / name).rename(kb.raw / name)
    article = "articles/research/decode-ai-content-generation.md"
    errors_before = {str(f) for f in check.check_kb(kb).errors}
    server.on(ROUTE, answer({"decisions": [decision("S1", article)]}))
    update = {
        "tags": [],
        "description": "Paul's pipeline, and my limits.",
        "insertions": [
            {"section": None, "heading": "My Limits", "markdown": "I hit my limits[^S1]."}
        ],
        "figures": [figure(source="S1", after=5, name="Limits")],
    }
    server.on(UPDATE, answer(update))

    report = run_pass(settings_for(server, kb.root))

    assert [change.path for change in report.updated] == [article]
    text = (kb.root / article).read_text(encoding="utf-8")
    assert "<figcaption>Paul's inline ad for the Agentic AI Engineering Course" in text
    assert (
        "## My Limits\n\nI hit my limits[^12].\n\n<figure>\n"
        '  <img src="../../assets/images/decode-ai-content-generation/limits.jpg" '
        'alt="A plan usage dashboard at 4% of the session">\n'
        "  <figcaption>My usage limits right after the reset</figcaption>\n</figure>\n"
    ) in text
    assert f"[^12]: [{PHOTO}](../../inbox/used/{PHOTO})" in text
    assert (kb.root / "assets/images/decode-ai-content-generation/limits.jpg").is_file()
    assert "article: research/decode-ai-content-generation.md" in (kb.used / PHOTO).read_text()
    assert {str(f) for f in check.check_kb(kb).errors} == errors_before


def test_a_dry_run_shows_where_the_image_would_go_and_moves_nothing(
    server: OpenAIServer, kb: KnowledgeBase
) -> None:
    fill_inbox(kb)
    route = created(["S1", "S2", "S3"], "Usage limits", "one topic")
    server.on(ROUTE, answer({"decisions": [route]}))
    written = article(
        "Usage limits", "Limits.", "Back[^S1], a junkie[^S2], five hours[^S3].", [figure()]
    )
    server.on(WRITE, answer(written))

    report = run_pass(settings_for(server, kb.root), dry_run=True)

    move = f"move inbox/raw/{IMAGE} -> assets/images/usage-limits/usage-limits-dashboard.jpg\n"
    assert move in report.diffs
    assert (kb.raw / IMAGE).is_file() and not (kb.root / "assets").exists()


def test_one_article_shows_a_figure_and_cites_a_moment_of_a_long_note(
    server: OpenAIServer, kb: KnowledgeBase, long_note: LongNote
) -> None:
    for folder in ("raw", "audio"):
        for path in (long_note.kb.inbox / folder).iterdir():
            shutil.copy(path, kb.inbox / folder / path.name)
    voice = long_note.transcript.name
    stem = voice.removesuffix("_transcript.txt")
    photo = (AUTHOR_KB / "inbox/used" / PHOTO).read_text(encoding="utf-8")
    photo = photo.replace("date: 2026-03-20T09:30:15", "date: 2026-03-01T09:31:00")  # one sitting
    (kb.raw / PHOTO).write_text(photo, encoding="utf-8")
    shutil.copy(AUTHOR_KB / "inbox/used" / IMAGE, kb.raw / IMAGE)
    server.on(
        ROUTE,
        lambda request: answer(
            {"decisions": [route_all(re.findall(r'<source id="(S\d+)"', request.user))]}
        ),
    )
    body = "I said it at length[^S1@0:06-0:40].\n\nThen I looked at my limits[^S2]."
    written = article("Thinking out loud", "A long note and a screenshot.", body, [figure(after=2)])
    server.on(WRITE, answer(written))

    report = run_pass(settings_for(server, kb.root))

    assert [change.path for change in report.created] == ["articles/usage-limits.md"]
    text = (kb.articles / "usage-limits.md").read_text(encoding="utf-8")
    assert (
        f"[^1]: [{voice}](../inbox/used/{voice}) at 0:06\u20130:40, "
        f"[audio](../inbox/audio/{stem}.ogg#t=6,40)"
    ) in text
    assert (
        '<img src="../assets/images/usage-limits/usage-limits-dashboard.jpg"' in text
        and "Then I looked at my limits[^2].\n\n<figure>" in text
        and "<figcaption>My usage limits right after the reset</figcaption>" in text
    )
    links = re.findall(r'src="([^"]+)"', text) + re.findall(r"\]\(([^)#]+)", text)
    assert len(links) == 4  # the image, the transcript, its audio, the photo note
    assert all((kb.articles / link).resolve().is_file() for link in links), links
    assert main(["check", "--kb", str(kb.root)]) == 0


def route_all(sources: list[str]) -> dict[str, Any]:
    return created(sources, "Usage limits", "one sitting", folder=None)


VIDEO = "20260207_070935_AlexeyDTC_msg1080_video.md"
KEYFRAME = "20260207_070935_AlexeyDTC_msg1080.jpg"


def video_source(**fields: Any) -> Source:
    values: dict[str, Any] = {
        "kind": "video",
        "details": (("duration_seconds", "34"), ("width", "2144"), ("height", "1240")),
        "keyframe_file": KEYFRAME,
        "message_link": "https://t.me/c/3688590333/1080",
    }
    values.update(fields)
    return Source("S1", VIDEO, **values)


def video_figure_html(source: Source) -> tuple[figures.PlacedFigure, str]:
    shown = Figure.model_validate(figure(source="S1", name="viewer demo", alt="The viewer"))
    placed, problems = figures.plan("articles/x.md", [shown], [source], set())
    assert problems == []
    return placed[0], figures.figure_html("articles/x.md", placed[0])


def test_a_video_with_a_link_shows_its_keyframe_and_a_view_on_telegram_link() -> None:
    placed, html = video_figure_html(video_source())
    assert (placed.image, placed.asset) == (KEYFRAME, "assets/images/x/viewer-demo.jpg")
    assert html == (
        "<figure>\n"
        '  <img src="../assets/images/x/viewer-demo.jpg" alt="The viewer">\n'
        "  <p>Video: The viewer (0m 34s, 2144x1240) - "
        '<a href="https://t.me/c/3688590333/1080">View on Telegram</a></p>\n'
        "  <figcaption>My usage limits right after the reset</figcaption>\n"
        "</figure>"
    )


def test_a_video_without_a_link_plays_the_kept_file_and_a_link_alone_moves_nothing() -> None:
    kept = video_source(message_link="", video_file="20260207_070935_AlexeyDTC_msg1080.mp4")
    placed, html = video_figure_html(kept)
    assert placed.asset == "assets/images/x/viewer-demo.mp4"
    assert '  <video src="../assets/images/x/viewer-demo.mp4" controls>\n    The viewer\n' in html
    placed, html = video_figure_html(video_source(keyframe_file=""))
    assert (placed.image, placed.asset) == ("", "")
    assert "<img" not in html and "View on Telegram</a></p>" in html
    nothing = video_source(keyframe_file="", message_link="")
    _, problems = figures.plan(
        "articles/x.md", [Figure.model_validate(figure(source="S1"))], [nothing], set()
    )
    assert problems and "figure=" in problems[0]


def test_a_pass_places_a_video_note_as_his_kb_places_videos(
    server: OpenAIServer, kb: KnowledgeBase
) -> None:
    note = (AUTHOR_KB / VIDEO).read_text(encoding="utf-8")
    note = note.replace(
        "file_size_bytes: 21888941\n", f"file_size_bytes: 21888941\nkeyframe_file: {KEYFRAME}\n"
    )
    (kb.raw / VIDEO).write_text(note, encoding="utf-8")
    shutil.copy(AUTHOR_KB / "inbox/used" / IMAGE, kb.raw / KEYFRAME)
    route = created(["S1"], "ChatGPT viewer", "a demo")
    server.on(ROUTE, answer({"decisions": [route]}))
    written = article(
        "ChatGPT viewer",
        "A viewer with search.",
        "I built a viewer for my ChatGPT history with search.\n\nIt works[^S1].",
        [figure(source="S1", after=1, name="viewer", alt="The viewer searching")],
    )
    server.on(WRITE, answer(written))

    report = run_pass(settings_for(server, kb.root))

    assert [change.path for change in report.created] == ["articles/chatgpt-viewer.md"]
    assert 'kind="video" figure="yes"' in server.requests_for(ROUTE)[0].user
    text = (kb.articles / "chatgpt-viewer.md").read_text(encoding="utf-8")
    assert (
        "I built a viewer for my ChatGPT history with search[^1].\n\n<figure>\n"
        '  <img src="../assets/images/chatgpt-viewer/viewer.jpg" alt="The viewer searching">\n'
        "  <p>Video: The viewer searching (0m 34s, 2144x1240) - "
        '<a href="https://t.me/c/3688590333/1080">View on Telegram</a></p>\n'
    ) in text
    assert "[^" not in render_as_github(text)
    assert (kb.root / "assets/images/chatgpt-viewer/viewer.jpg").is_file()
    assert not (kb.raw / KEYFRAME).exists() and not (kb.used / KEYFRAME).exists()
    used = (kb.used / VIDEO).read_text(encoding="utf-8")
    assert (
        f"keyframe_file: {KEYFRAME}\n"
        "final_location: ../../assets/images/chatgpt-viewer/viewer.jpg\n"
        "article: chatgpt-viewer.md\n"
    ) in used
    found = check.check_kb(kb)
    assert found.errors == [] and found.warnings == []
