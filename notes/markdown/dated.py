"""Dated documents: sections headed by dates, such as the author's weekly log (pure).

His weekly log runs newest-first: `## Week of 2026-05-25` comes before `## Week of
2026-05-18`. A document is newest-first when at least two of its top-level headings carry an
ISO date and those dates never grow from one such heading to the next (and fall at least
once). New sections of such a document go at the top, before its first dated heading, so
that its order holds; any other document gets them at the end.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import date

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def heading_date(text: str) -> date | None:
    """The first valid ISO date (`2026-05-25`) in a heading's text, if any."""
    for match in _ISO_DATE.finditer(text):
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
    return None


def newest_first_top(headings: Sequence[tuple[str, int]]) -> int | None:
    """The line of the first dated heading when `headings` ((text, line), in order) run
    newest-first; None when the document is not dated that way."""
    dated = [(found, line) for text, line in headings if (found := heading_date(text))]
    if len(dated) < 2:
        return None
    days = [found for found, _ in dated]
    if any(later > earlier for earlier, later in itertools.pairwise(days)):
        return None
    if days[0] == days[-1]:
        return None
    return dated[0][1]
