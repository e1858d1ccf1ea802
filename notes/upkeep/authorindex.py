"""A new article in the author's own `articles/_index.md`: one row, nothing else changed (pure).

His index is sections (`## Ready for Newsletter`, `## Other`..) of tables such as

    | Title | Status | Last Updated | Description |
    |-------|--------|--------------|-------------|
    | [Minsearch](ready-for-newsletter/minsearch-library.md) | draft | 2026-05-28 | Search... |

A new article goes into the section whose links most often share its folder (`ideas/x.md`
with the `ideas/..` links; a top-level article with the top-level links), as one row in the
form of that section's rows: its columns filled by their header (a title, status, date,
description or tags column; any other left empty), first when the table runs newest-first by
date, else last. When no section shares its folder, a new section named for the folder goes
at the top, before the first section listing articles, its table headed as his first table.
A section that shares the folder but has no table (it points to a folder's own index) gets
nothing. An article his index already links to is not added again.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from dataclasses import dataclass

from notes.markdown.summary import ArticleSummary

DEFAULT_HEADER = (
    "| Title | Status | Last Updated | Description |\n"
    "|-------|--------|--------------|-------------|"
)
_LINK = re.compile(r"\]\(<?([^)<>\s]+)>?\)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class _Section:
    start: int
    """Line of its `## ` heading (0 for the text before the first one)."""

    end: int
    links: tuple[str, ...]
    header: int | None
    """Line of its table's header row, if it has a table."""

    rows: tuple[int, ...]
    """Lines of its table's rows, after the separator."""


def with_article(index_text: str, article: ArticleSummary) -> str | None:
    """`index_text` with a row for `article` added; None when it needs none (listed already,
    or its folder's section has no table)."""
    link = article.path.removeprefix("articles/")
    crlf = "\r\n" in index_text
    added = _added(index_text.replace("\r\n", "\n"), article, link)
    if added is None or not crlf:
        return added
    return added.replace("\n", "\r\n")


def _added(index_text: str, article: ArticleSummary, link: str) -> str | None:
    lines = index_text.split("\n")
    sections = _sections(lines)
    if any(posixpath.normpath(target) == link for s in sections for target in s.links):
        return None
    folder = posixpath.dirname(link)
    counts = [sum(posixpath.dirname(t) == folder for t in s.links) for s in sections]
    best = max(range(len(sections)), key=lambda n: (counts[n], -n))
    if counts[best]:
        section = sections[best]
        if section.header is None:
            return None
        header = _cells(lines[section.header])
        row = _row(header, article, link)
        at = section.rows[0] if _newest_first(lines, section, header) else _after_rows(section)
        lines[at:at] = [row]
        return "\n".join(lines)
    return _new_section(lines, sections, article, link, folder)


def _new_section(
    lines: list[str], sections: list[_Section], article: ArticleSummary, link: str, folder: str
) -> str:
    tables = [s for s in sections if s.header is not None]
    head = (
        lines[tables[0].header : tables[0].header + 2]  # type: ignore[operator]
        if tables
        else DEFAULT_HEADER.split("\n")
    )
    listing = [s for s in sections if s.start > 0 and s.links]
    at = listing[0].start if listing else len(lines)
    block = [f"## {folder_title(folder)}", "", *head, _row(_cells(head[0]), article, link), ""]
    if at == len(lines) and lines and lines[-1].strip():
        block = ["", *block]
    lines[at:at] = block
    return "\n".join(lines)


def folder_title(folder: str) -> str:
    """`career/interviews` -> `Career / Interviews`; the top level is `Articles`."""
    if not folder:
        return "Articles"
    return " / ".join(
        part.replace("-", " ").replace("_", " ").title() for part in folder.split("/")
    )


def _sections(lines: list[str]) -> list[_Section]:
    starts = [0] + [n for n, line in enumerate(lines) if line.startswith("## ")]
    fenced = _fenced_lines(lines)
    found = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        body = [n for n in range(start, end) if n not in fenced]
        links = tuple(m[1] for n in body for m in _LINK.finditer(lines[n]))
        table = [n for n in body if lines[n].lstrip().startswith("|")]
        header = table[0] if len(table) >= 2 and table[1] == table[0] + 1 else None
        rows: list[int] = []
        if header is not None:
            n = header + 2
            while n < end and lines[n].lstrip().startswith("|"):
                rows.append(n)
                n += 1
        found.append(_Section(start, end, links, header, tuple(rows)))
    return found


def _fenced_lines(lines: list[str]) -> set[int]:
    inside, fenced = False, set()
    for number, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            inside = not inside
            fenced.add(number)
        elif inside:
            fenced.add(number)
    return fenced


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _row(header: list[str], article: ArticleSummary, link: str) -> str:
    destination = f"<{link}>" if any(c.isspace() or c in "()" for c in link) else link
    cells = []
    for name in (h.casefold() for h in header):
        if any(word in name for word in ("title", "article", "name")):
            cells.append(f"[{_escape(article.title)}]({destination})")
        elif "status" in name:
            cells.append(_escape(article.status))
        elif "updated" in name or "date" in name:
            cells.append(_escape(article.updated))
        elif "description" in name or "summary" in name:
            cells.append(_escape(article.description))
        elif "tag" in name:
            cells.append(_escape(", ".join(article.tags)))
        else:
            cells.append("")
    return "| " + " | ".join(cells) + " |"


def _escape(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _date_column(header: list[str]) -> int | None:
    names = [h.casefold() for h in header]
    return next((n for n, h in enumerate(names) if "updated" in h or "date" in h), None)


def _newest_first(lines: list[str], section: _Section, header: list[str]) -> bool:
    column = _date_column(header)
    if column is None or not section.rows:
        return False
    days = []
    for n in section.rows:
        cells = _cells(lines[n])
        if column < len(cells) and _DATE.fullmatch(cells[column]):
            days.append(cells[column])
    return len(days) >= 1 and all(a >= b for a, b in itertools.pairwise(days))


def _after_rows(section: _Section) -> int:
    assert section.header is not None
    return (section.rows[-1] if section.rows else section.header + 1) + 1
