"""`voicenotes revise ARTICLE NOTE...`: ask for changes to an article from the command line.

Each NOTE (the words of a request, as the author would send them to the bot; `-` reads them
from standard input) is filed as a text note naming the article (`article:` in its front
matter), exactly as a reply to the bot's message about the article is; then one drafting
pass runs, which revises the article (and drafts whatever else waits in `inbox/raw/`).
With `--dry-run` the pass changes nothing and shows the diff; the requests are taken out of
`inbox/raw/` again after it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from notes.drafting import routing
from notes.drafting import run as drafting_run
from notes.errors import explain
from notes.intake import inbox
from notes.intake.transcripts import TEXT_SOURCE, Note, NoteHeader, request_extra
from notes.kb import KnowledgeBase, names
from notes.settings import Settings
from notes.upkeep.removal import article_path

LOCAL_USER_ID = 0
"""The `user_id` of notes filed from the command line (no Telegram user)."""


class RequestError(Exception):
    """The request cannot be filed; the message says why in one line."""


def file_requests(
    kb: KnowledgeBase, article: str, texts: Sequence[str], when: datetime, user: str
) -> list[str]:
    """File each of `texts` as `inbox/raw/{time}_{user}_revise[-N].md` asking to revise
    `article` (a KB path of an existing article). Returns the names. Raises RequestError."""
    if not routing.inside_articles(article) or not (kb.root / article).is_file():
        raise RequestError(f"no article {article} in {kb.root}")
    if not texts or not all(text.strip() for text in texts):
        raise RequestError("say what to change: a request cannot be empty")
    stem = names.file_stem(when, user, "revise")
    filed = []
    for number, text in enumerate(texts, start=1):
        name = names.text_note_name(stem if number == 1 else f"{stem}-{number}")
        header = NoteHeader(TEXT_SOURCE, when, LOCAL_USER_ID, user, extra=request_extra(article))
        try:
            inbox.file_note(kb, name, Note(header, text))
        except inbox.AlreadyFiled as error:
            raise RequestError(f"{name}: {error}") from None
        filed.append(name)
    return filed


def run_revise(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes revise [--kb DIR] [--dry-run] ARTICLE NOTE...`."""
    kb = KnowledgeBase(settings.kb)
    texts = [sys.stdin.read() if note == "-" else note for note in args.notes]
    article = article_path(kb, args.article)
    try:
        kb.ensure()
        filed = file_requests(kb, article, texts, datetime.now(UTC), _user())
    except RequestError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: cannot file the request in {kb.root}: {explain(error)}", file=sys.stderr)
        return 1
    print(f"filed {', '.join(filed)} asking to revise {article}", file=sys.stderr)
    code = drafting_run.run_command(args, settings)
    if args.dry_run:
        for name in filed:  # a dry run changes nothing: the requests go again
            (kb.raw / name).unlink(missing_ok=True)
    return code


def _user() -> str:
    try:
        return names.safe_component(getpass.getuser()) or "local"
    except (KeyError, OSError):
        return "local"
