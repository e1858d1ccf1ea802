"""Bounds on what a material can become: PDF pages and characters, cut where text breaks."""

from __future__ import annotations

import time

import pytest

from notes.intake import bounds, pages
from notes.intake.fetch import FetchPolicy
from notes.intake.pages import read_link
from tests.support.web_server import Route, WebServer, pdf_of

pytestmark = pytest.mark.timeout(120)


def repeated_pdf(page_count: int, lines: list[str]) -> bytes:
    """A real PDF whose `page_count` pages all show the same content stream: small on disk,
    large as text (how a 327 KB PDF held 13 MB of text)."""
    content = "".join(
        f"BT /F1 9 Tf 40 {780 - 11 * i} Td ({line}) Tj ET\n" for i, line in enumerate(lines)
    ).encode("latin-1")
    kids = " ".join(f"{5 + n} 0 R" for n in range(page_count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {page_count} >>".encode(),
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>"
    )
    objects += [page] * page_count
    return pdf_of(objects)


LINE = "Prompt graphs route each step to the model best placed for it, say the authors. " * 2


def test_a_pdf_of_2000_long_pages_is_read_to_the_character_bound() -> None:
    pdf = repeated_pdf(2000, [LINE[:150]] * 60)
    assert len(pdf) < 400_000

    started = time.monotonic()
    _, text = pages.pdf_text(pdf)
    took = time.monotonic() - started

    assert len(text) < bounds.MAX_TEXT_CHARS + 1_000
    last = text.rsplit("\n\n", 1)[1]
    assert last.startswith("*[Left out: pages ") and "–2,000 of 2,000" in last
    assert took < 30.0


def test_a_pdf_of_many_short_pages_is_read_to_the_page_bound() -> None:
    _, text = pages.pdf_text(repeated_pdf(bounds.MAX_PDF_PAGES + 100, ["One short line."]))
    assert text.count("One short line.") == bounds.MAX_PDF_PAGES
    assert text.endswith(
        "*[Left out: pages 301–400 of 400 (a note keeps at most 300 pages"
        " or 400,000 characters of a PDF).]*"
    )


def test_a_pdf_within_the_bounds_is_read_whole() -> None:
    _, text = pages.pdf_text(repeated_pdf(3, ["Short paper."]))
    assert text == "Short paper.\n\nShort paper.\n\nShort paper."


def test_a_huge_page_is_cut_at_a_paragraph_with_what_was_left_out() -> None:
    paragraphs = [f"Paragraph {n}. " + "word " * 200 for n in range(3000)]
    text = bounds.limit_text("\n\n".join(paragraphs))
    kept, note = text.rsplit("\n\n", 1)
    assert len(kept) <= bounds.MAX_TEXT_CHARS
    assert kept.endswith("word")  # a whole paragraph, cut where it ends
    assert note.startswith("*[Left out: the last ") and "characters of the text" in note


def test_a_fetched_text_page_is_bounded_too() -> None:
    with WebServer() as web:
        body = ("line of a log file\n" * 60_000).encode()
        url = web.route("/log.txt", Route(body=body, content_type="text/plain"))
        page = read_link(url, FetchPolicy(allow_private=True, timeout=5.0))
    assert page.problem is None
    assert len(page.markdown) < bounds.MAX_TEXT_CHARS + 200
    assert page.markdown.endswith("(a note keeps at most 400,000 characters).]*")
