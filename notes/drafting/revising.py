"""The revise_article call: the messages that ask for edits, and what is made of the answer.

The model sees the article exactly as its file reads and the author's requests as sources;
it answers with anchored edits (notes.drafting.answers.ReviseAnswer) which our code applies
(notes.markdown.edits). An answer whose edits cannot all be applied is `Rejected` with
every problem named, so the asking loop (notes.drafting.asking) asks again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from notes.drafting.answers import ReviseAnswer
from notes.drafting.messages import Source, attr, chat, source_blocks, source_ids
from notes.errors import Rejected
from notes.llm.client import Message
from notes.llm.prompts import Prompt
from notes.markdown.edits import Edit, EditRejected, apply_edits

STYLE_RULES = ""
"""The author's style rules shown to the model when revising; none yet."""


@dataclass(frozen=True)
class Revision:
    """An answer applied: the article after it, the edits and the model's one-line summary."""

    text: str
    edits: tuple[Edit, ...]
    summary: str


def revise_messages(
    prompt: Prompt,
    language: str,
    path: str,
    title: str,
    article: str,
    requests: Sequence[Source],
    style_rules: str = STYLE_RULES,
) -> list[Message]:
    """The system prompt and the user message asking for the edits `requests` call for."""
    lines = article.count("\n") + (0 if article.endswith("\n") or not article else 1)
    user = (
        f'<article path="{attr(path)}" title="{attr(title)}" lines="{lines}">\n'
        f"{article.replace('</article', '&lt;/article')}"
        f"{'' if article.endswith(chr(10)) else chr(10)}</article>\n\n"
        f"The author's requests ({source_ids(requests)}):\n\n" + source_blocks(requests)
    )
    rules = f"\n{style_rules.strip()}\n" if style_rules.strip() else ""
    return chat(prompt, user, language=language, style_rules=rules)


def edits_of(answer: ReviseAnswer) -> list[Edit]:
    """The answer's edits as the applier takes them."""
    return [
        Edit(edit.op, edit.anchor, edit.text, edit.target, edit.article) for edit in answer.edits
    ]


def build(article: str, answer: ReviseAnswer, definitions: Mapping[str, str]) -> Revision:
    """The article revised by `answer`; Rejected (every problem named) when it cannot be.

    `definitions` maps each source id new text may cite to its definition text. Edits that
    move text to another article are left to the caller (notes.markdown.moves).
    """
    edits = edits_of(answer)
    problems = []
    if not answer.summary.strip():
        problems.append("the summary is empty: say in one line what changed")
    if not edits:
        problems.append("there are no edits: make the changes the requests ask for")
    try:
        text = apply_edits(article, edits, definitions)
    except EditRejected as rejected:
        problems += rejected.problems
    if problems:
        raise Rejected(problems)
    return Revision(text, tuple(edits), " ".join(answer.summary.split()))
