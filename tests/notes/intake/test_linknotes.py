"""Links and YouTube filed end to end: a local web server, YouTube faked at the network edge."""

from __future__ import annotations

import pytest

from notes.intake import linknotes
from notes.intake.filing import Materials
from notes.kb import KnowledgeBase
from tests.support.materials import SENDER, STEM, WHEN, front, private_ok
from tests.support.openai_server import OpenAIServer, settings_for
from tests.support.web_server import Route, WebServer, make_pdf
from tests.support.youtube_fake import FakeVideo, fake_session

pytestmark = pytest.mark.timeout(120)


def test_links_are_filed_one_note_each_and_failures_keep_the_url(
    server: OpenAIServer, kb: KnowledgeBase, web: WebServer
) -> None:
    article = (
        "<html><head><title>Evals in practice</title></head><body><article><h1>Evals in "
        "practice</h1><p>" + "Evals tell you whether the model does the job. " * 8 + "</p>"
        "<pre><code>pytest -q evals/\n</code></pre><p>"
        + "More text on evals here. " * 6
        + "</p></article></body></html>"
    )
    page = web.page("/evals", article)
    pdf = web.route(
        "/paper.pdf", Route(body=make_pdf(["A paper on graphs"]), content_type="application/pdf")
    )
    missing = web.url("/gone")
    session, _ = fake_session(
        {"dQw4w9WgXcQ": FakeVideo("Talk", "Chan", {"ru": [(1, 1, "Привет")]})}
    )
    m = Materials(kb, private_ok(server, kb), youtube_session=lambda: session, now=lambda: WHEN)
    urls = [page, pdf, missing, "https://youtu.be/dQw4w9WgXcQ"]

    filed = linknotes.file_links(m, urls, STEM, SENDER, context="посмотри это")

    assert [f.path.name for f in filed] == [
        f"{STEM}_link.md",
        f"{STEM}_link2.md",
        f"{STEM}_link3.md",
        f"{STEM}_youtube.md",
    ]
    first = filed[0].path.read_text(encoding="utf-8")
    assert "```\npytest -q evals/\n```" in first
    assert front(filed[0].path)["title"] == "Evals in practice"
    assert first.endswith("\n\nSent with: посмотри это\n")
    assert "A paper on graphs" in filed[1].path.read_text(encoding="utf-8")
    assert filed[2].problem == f"{missing}: the server answered HTTP 404"
    assert front(filed[2].path)["problem"] == "the server answered HTTP 404"
    assert front(filed[3].path)["channel"] == "Chan"
    assert "\n0:01 Привет\n" in filed[3].path.read_text(encoding="utf-8")
    # a second delivery of the same message files nothing twice
    assert linknotes.file_links(m, urls, STEM, SENDER) == []


def test_a_private_address_is_refused_but_still_filed(
    server: OpenAIServer, kb: KnowledgeBase, web: WebServer
) -> None:
    url = web.page("/a", "<p>intranet</p>")
    m = Materials(kb, settings_for(server, kb.root))
    (filed,) = linknotes.file_links(m, [url], STEM, SENDER)
    assert filed.problem is not None and "private or local address" in filed.problem
    assert web.hits == []
    assert front(filed.path)["url"] == url


def test_links_filed_again_skip_the_urls_the_message_has_notes_of_in_any_order(
    server: OpenAIServer, kb: KnowledgeBase, web: WebServer
) -> None:
    first, second = web.page("/a", "<p>a</p>"), web.page("/b", "<p>b</p>")
    m = Materials(kb, private_ok(server, kb), now=lambda: WHEN)
    linknotes.file_links(m, [first], STEM, SENDER)
    (kb.raw / f"{STEM}_link.md").rename(kb.used / f"{STEM}_link.md")  # drafted since

    filed = linknotes.file_links(m, [second, first, second], STEM, SENDER)

    assert [f.path.name for f in filed] == [f"{STEM}_link2.md"]
    assert front(filed[0].path)["url"] == second
    assert web.hits == ["/a", "/b"]
    assert linknotes.unfiled(kb, STEM, [first, second, "https://c.org/"]) == ["https://c.org/"]


def test_links_sent_about_an_article_name_it_in_their_front_matter(
    server: OpenAIServer, kb: KnowledgeBase, web: WebServer
) -> None:
    page = web.page("/evals", "<html><body><article><p>Evals, in short.</p></article></body>")
    session, _ = fake_session({"dQw4w9WgXcQ": FakeVideo("Talk", "Chan", {"ru": [(1, 1, "Да")]})})
    m = Materials(kb, private_ok(server, kb), youtube_session=lambda: session, now=lambda: WHEN)
    urls = [page, "https://youtu.be/dQw4w9WgXcQ"]

    filed = linknotes.file_links(m, urls, STEM, SENDER, article="articles/evals.md")

    for note in filed:
        head = note.path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        assert head.endswith("\narticle: articles/evals.md\nfiled_by: voicenotes"), head
    again = linknotes.file_links(
        m, [web.page("/other", "<p>other</p>")], "20260101_000000_x", SENDER
    )
    assert "article" not in front(again[0].path)
