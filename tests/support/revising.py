"""A small KB with one article citing two notes, and the model's revise answers, for the
revision-request tests (the pass, the command line and the bot)."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from typing import Any

from notes.intake import inbox
from notes.intake.transcripts import Note, NoteHeader
from notes.kb import KnowledgeBase
from tests.support.kbfiles import add_note
from tests.support.openai_server import Reply, answer
from tests.support.telegram_server import BOT, SentMessage

MINSEARCH_HEAD = """\
---
title: "Minsearch"
created: 2026-05-01
updated: 2026-05-20
tags: [search]
status: draft
---

# Minsearch

"""
"""The front matter and title of the Minsearch article the revision tests edit."""

ARTICLE = "articles/rag-notes.md"
TITLE = "RAG Notes"
WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def rag_article(kb: KnowledgeBase) -> str:
    """Write the article (and the two notes it cites) and return its text."""
    first, second = add_note(kb, 1), add_note(kb, 2)
    text = (
        f'---\ntitle: "{TITLE}"\ncreated: 2026-03-01\nupdated: 2026-03-01\ntags: [rag]\n'
        f"status: draft\n---\n\n# {TITLE}\n\n"
        "Ladden Petrov built the first retriever[^1].\n\n"
        "## Evaluation\n\nEvaluate retrieval with hit rate[^2].\n\n"
        "## Sources\n\n"
        f"[^1]: [{first}](../inbox/used/{first})\n"
        f"[^2]: [{second}](../inbox/used/{second})\n"
    )
    (kb.root / ARTICLE).write_text(text, encoding="utf-8")
    return text


def git_init(kb: KnowledgeBase) -> None:
    """Make the KB a repository with everything committed."""
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "Start"]):
        subprocess.run(
            ["git", *args],
            cwd=kb.root,
            check=True,
            env={
                "GIT_AUTHOR_NAME": "t",
                "GIT_AUTHOR_EMAIL": "t@example.org",
                "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@example.org",
                "PATH": "/usr/bin:/bin",
            },
        )


def request_note(kb: KnowledgeBase, number: int, text: str, article: str | None = ARTICLE) -> str:
    """A text note asking for a change, naming `article` in its front matter when given."""
    extra = {"article": article} if article else {}
    name = f"20260302_0900{number:02d}_AlexeyDTC_msg{900 + number}.md"
    header = NoteHeader("telegram", WHEN, 822266080, "AlexeyDTC", extra=extra)
    inbox.file_note(kb, name, Note(header, text))
    return name


def edit(
    op: str, anchor: str, text: str = "", target: str = "", article: str = ""
) -> dict[str, Any]:
    return {"op": op, "anchor": anchor, "text": text, "target": target, "article": article}


def revised(*edits: dict[str, Any], summary: str = "Fixed the name.") -> Reply:
    return answer({"edits": list(edits), "summary": summary})


CORRECTION = edit(
    "replace",
    "Ladden Petrov built the first retriever[^1].",
    "Mladen Petrov built the first retriever[^1].",
)


def reply_to(
    message: dict[str, Any], sent: SentMessage, quote: str | None = None
) -> dict[str, Any]:
    """`message` as a reply to `sent`, the bot's message (quoting part of it if asked)."""
    replied = {
        "message_id": sent.message_id,
        "date": message["date"],
        "chat": message["chat"],
        "from": BOT,
        "text": sent.text,
    }
    message = message | {"reply_to_message": replied}
    if quote is not None:
        message["quote"] = {"text": quote, "position": sent.text.find(quote)}
    return message
