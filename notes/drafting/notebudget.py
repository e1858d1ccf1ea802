"""The most of one note a model is sent: a note longer than NOTE_CHARS is cut.

A fetched page or PDF can be far larger than a prompt should be (a note of 13 MB once went
whole into one request). The writer gets the note's start, cut where a paragraph ends (never
inside a code block left open), and a last line naming the rest: how much it is and the
sections it holds, so the article can say that the source goes on. Pure text.
"""

from __future__ import annotations

import re

NOTE_CHARS = 30_000
"""Characters of one note's text in a prompt (a long transcript is split into parts of
12,000 instead, see notes.drafting.moments)."""

NAMED_SECTIONS = 6
_RESERVE = 800
"""Room kept for the closing fence and the `[Not shown: …]` line, so the whole fits."""
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)


def within_budget(text: str, budget: int = NOTE_CHARS) -> str:
    """`text` whole when it fits `budget`; else its start, cut at a paragraph break (outside
    code blocks when one is in reach), ending with a line naming what was left out. The
    result is never longer than `budget` (for a budget over 1,600 characters)."""
    if len(text) <= budget:
        return text
    kept = _cut(text, max(budget - _RESERVE, budget // 2))
    rest = text[len(kept) :]
    if len(_FENCE.findall(kept)) % 2:
        kept += "\n```"  # the cut fell inside a code block: close it
    return kept.rstrip() + "\n\n" + rest_line(rest)


def rest_line(rest: str) -> str:
    """`[Not shown: …]`: the size of what was left out, and its sections or first words."""
    words = len(rest.split())
    line = f"[Not shown: the rest of this note, {len(rest):,} characters ({words:,} words)"
    headings = [_short(heading.strip()) for heading in _HEADING.findall(rest)]
    if headings:
        named = ", ".join(f'"{heading}"' for heading in headings[:NAMED_SECTIONS])
        more = len(headings) - NAMED_SECTIONS
        line += f", with the sections {named}" + (f" and {more:,} more" if more > 0 else "")
    else:
        start = " ".join(rest.split()[:8])
        line += f', from "{start}…"' if start else ""
    return line + ".]"


def _short(heading: str, limit: int = 60) -> str:
    return heading if len(heading) <= limit else heading[: limit - 1] + "…"


def _cut(text: str, budget: int) -> str:
    """The longest start within `budget` ending at a paragraph break outside a code block;
    else at any paragraph break, a line break or a space in the second half of the budget."""
    head = text[:budget]
    breaks = [m.start() for m in re.finditer(r"\n[ \t]*\n", head)]
    for at in reversed(breaks):
        if at < budget // 2:
            break
        if len(_FENCE.findall(head[:at])) % 2 == 0:
            return head[:at]
    for boundary in ("\n\n", "\n", " "):
        at = head.rfind(boundary)
        if at >= budget // 2:
            return head[:at]
    return head
