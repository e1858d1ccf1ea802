"""What a fetched link holds, as Markdown: articles (trafilatura), PDFs (pypdf), plain text.

`read_link` never raises for the page's own faults: a page that cannot be fetched or read
comes back as a `Page` with `problem` set, so the link is still filed with its reason.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, replace

import lxml_html_clean  # noqa: F401  (trafilatura needs lxml.html.clean, split out of lxml)
import trafilatura
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from notes.intake import bounds, urls
from notes.intake.fetch import Fetched, FetchError, FetchPolicy, fetch
from notes.intake.preblocks import fence_pre_blocks

GITHUB_API = "https://api.github.com"
_TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")
_HTML_TYPES = ("text/html", "application/xhtml+xml")

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Page:
    """One link's content, or the reason there is none (`problem`)."""

    url: str
    final_url: str
    title: str
    site: str
    kind: str
    """`article`, `pdf`, `text`, `github_readme`, or `none` when nothing was extracted."""

    markdown: str
    content_type: str = ""
    author: str = ""
    published: str = ""
    problem: str | None = None


class ExtractError(ValueError):
    """The content was fetched but holds no text we can read. One line for the user."""


def read_link(url: str, policy: FetchPolicy, *, github_api: str = GITHUB_API) -> Page:
    """Fetch `url` and extract its text; failures become a Page with `problem` set."""
    repo = urls.github_repo(url)
    try:
        if repo is not None:
            readme = _github_readme(url, repo, policy, github_api)
            return replace(readme, markdown=bounds.limit_text(readme.markdown))
        fetched = fetch(url, policy, accept="text/html,application/pdf,text/plain;q=0.9,*/*;q=0.5")
        page = extract(fetched)
        return replace(page, markdown=bounds.limit_text(page.markdown))
    except (FetchError, ExtractError) as error:
        return Page(url, url, "", urls.site_of(url), "none", "", problem=str(error))


def extract(fetched: Fetched) -> Page:
    """Markdown from fetched bytes by content type; raises ExtractError when there is none."""
    body, media = fetched.body, fetched.content_type
    if media == "application/pdf" or body.startswith(b"%PDF-"):
        title, text = pdf_text(body)
        return _page(fetched, title, "pdf", text)
    if media in _HTML_TYPES or (not media and body.lstrip()[:1] == b"<"):
        return _article(fetched)
    if media in _TEXT_TYPES:
        text = body.decode("utf-8", errors="replace").strip()
        if not text:
            raise ExtractError("the page is empty")
        return _page(fetched, "", "text", text)
    raise ExtractError(f"not a web page or PDF (content type {media or 'unknown'})")


def pdf_text(data: bytes) -> tuple[str, str]:
    """(title, text) of a PDF, pages separated by blank lines. Raises ExtractError.

    At most bounds.MAX_PDF_PAGES pages are read, and no page once bounds.MAX_TEXT_CHARS
    characters are: the text then ends with a line naming the pages left out."""
    try:
        reader = PdfReader(io.BytesIO(data))
        title = str(reader.metadata.get("/Title") or "").strip() if reader.metadata else ""
        total = len(reader.pages)
        pages: list[str] = []
        size = 0
        while len(pages) < min(total, bounds.MAX_PDF_PAGES) and size <= bounds.MAX_TEXT_CHARS:
            pages.append((reader.pages[len(pages)].extract_text() or "").strip())
            size += len(pages[-1]) + 2
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise ExtractError(f"the PDF is damaged or unreadable ({type(error).__name__})") from None
    text = bounds.limit_text("\n\n".join(page for page in pages if page))
    if not text:
        raise ExtractError("the PDF has no text layer (a scan?)")
    if len(pages) < total:
        text += "\n\n" + bounds.pages_left_out(len(pages), total)
    return title, text


def _article(fetched: Fetched) -> Page:
    tree = trafilatura.load_html(fetched.body)
    markdown = trafilatura.extract(
        fence_pre_blocks(tree) if tree is not None else fetched.body,
        url=fetched.final_url,
        output_format="markdown",
        include_formatting=True,
        include_links=True,
        include_images=True,
        include_tables=True,
    )
    if not markdown or not markdown.strip():
        raise ExtractError("no article text found (a page built by JavaScript, or a paywall?)")
    meta = trafilatura.extract_metadata(fetched.body, default_url=fetched.final_url)
    page = _page(fetched, (meta.title or "") if meta else "", "article", markdown.strip())
    if meta is None:
        return page
    site = meta.sitename or page.site
    return Page(
        page.url,
        page.final_url,
        page.title,
        site,
        page.kind,
        page.markdown,
        page.content_type,
        meta.author or "",
        meta.date or "",
    )


def _github_readme(url: str, repo: tuple[str, str], policy: FetchPolicy, api: str) -> Page:
    owner, name = repo
    fetched = fetch(
        f"{api.rstrip('/')}/repos/{owner}/{name}/readme",
        policy,
        accept="application/vnd.github.raw",
    )
    text = fetched.body.decode("utf-8", errors="replace").strip()
    if not text:
        raise ExtractError("the repository has an empty README")
    return Page(url, url, f"{owner}/{name}", "github.com", "github_readme", text, "text/markdown")


def _page(fetched: Fetched, title: str, kind: str, markdown: str) -> Page:
    return Page(
        fetched.url,
        fetched.final_url,
        title,
        urls.site_of(fetched.final_url),
        kind,
        markdown,
        fetched.content_type,
    )
