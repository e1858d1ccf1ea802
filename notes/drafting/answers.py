"""What the model answers, one model per call of the LLM contract (see design: The LLM contract).

Every object is closed and every field required (no defaults), as strict structured output
asks; optional values are `null`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

ROUTE = "route_batch"
WRITE = "write_article"
UPDATE = "update_article"
ASK = "answer_question"

Action = Literal["update", "create", "skip", "revise"]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Decision(_Closed):
    sources: list[str]
    action: Action
    article: str | None
    title: str | None
    tags: list[str]
    folder: str | None
    reason: str


class RouteAnswer(_Closed):
    decisions: list[Decision]


class Figure(_Closed):
    """A photo note's image, placed by our code after paragraph `after` of the body."""

    source: str
    """The photo note's id (`S2`)."""

    after: int
    """The number of the body's block (paragraph, list, heading..) it follows, from 1."""

    name: str
    """A descriptive file name for the image, such as `usage-limits-dashboard`."""

    alt: str
    caption: str


class WriteAnswer(_Closed):
    title: str
    tags: list[str]
    description: str
    body: str
    figures: list[Figure]


class Insertion(_Closed):
    section: str | None
    heading: str | None
    markdown: str


class UpdateAnswer(_Closed):
    tags: list[str]
    description: str
    insertions: list[Insertion]
    figures: list[Figure]
    """Here `after` is the number of the insertion (from 1) the figure ends."""


REVISE = "revise_article"

EditOp = Literal["replace", "delete", "insert_after", "insert_before", "move_after", "move_before"]


class ProposedEdit(_Closed):
    """One edit of a revision, as the model proposes it (notes.markdown.edits applies it)."""

    op: EditOp
    anchor: str
    """One or more whole lines of the article as it was before any edit, copied exactly."""

    text: str
    """New Markdown for replace and inserts; "" otherwise."""

    target: str
    """For moves: whole lines the moved text goes after or before; "" otherwise."""

    article: str
    """For a move to another article: its path (`articles/x.md`, existing or new); "" else."""


class ReviseAnswer(_Closed):
    edits: list[ProposedEdit]
    summary: str
    """One line saying what changed, for the author."""


class AskAnswer(_Closed):
    """An answer to the author's question about his KB (`voicenotes ask`)."""

    found: bool
    """False: nothing shown is about the question (then `answer` is ignored)."""

    answer: str
    """Markdown citing the shown documents with `[^A1]`, `[^S2]`, `[^S2@12:30-13:10]`."""
