"""How much of a material its note keeps: a bounded number of PDF pages and characters.

A small file can hold a huge text (a 327 KB PDF of 2,000 repeated pages is 13 MB of text), so
what is read is bounded, and the note says what was left out: the author sees it, and so
does a later pass.
"""

from __future__ import annotations

MAX_PDF_PAGES = 300
"""Pages of a PDF read for its note (a PDF sent as a file is kept whole beside it)."""

MAX_TEXT_CHARS = 400_000
"""Characters of text one note keeps (a 200-page paper is about 600,000)."""


def limit_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """`text` whole when it fits `limit`; else cut at the last paragraph break (or line
    break) before it, with a last line saying how much was left out."""
    if len(text) <= limit:
        return text
    kept = cut_at_boundary(text, limit)
    left = text[len(kept) :]
    return kept + "\n\n" + left_out(f"the last {len(left):,} characters of the text", limit)


def cut_at_boundary(text: str, limit: int) -> str:
    """The longest start of `text` within `limit` characters that ends at a paragraph break,
    else at a line break, else at a space (a word is never cut unless it is all there is)."""
    head = text[:limit]
    for boundary in ("\n\n", "\n", " "):
        at = head.rfind(boundary)
        if at > limit // 2:
            return head[:at].rstrip()
    return head


def left_out(what: str, limit: int) -> str:
    """The line a note ends with when part of its material is not in it."""
    return f"*[Left out: {what} (a note keeps at most {limit:,} characters).]*"


def pages_left_out(read: int, total: int) -> str:
    """The line a PDF's note ends with when not all its pages were read."""
    return (
        f"*[Left out: pages {read + 1:,}–{total:,} of {total:,} (a note keeps at most"
        f" {MAX_PDF_PAGES:,} pages or {MAX_TEXT_CHARS:,} characters of a PDF).]*"
    )
