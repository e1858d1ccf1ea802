"""Building knowledge bases on disk for tests: example files, notes and articles."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

from notes.kb import KnowledgeBase, names
from tests.conftest import EXAMPLES

EXAMPLE_ARTICLE = EXAMPLES / "articles" / "ai-engineer-my-vision.md"
EXAMPLE_NOTES = sorted((EXAMPLES / "inbox" / "used").iterdir())


def copy_examples(kb: KnowledgeBase) -> Path:
    """The example article and transcripts copied into `kb`; returns the article's path."""
    for note in EXAMPLE_NOTES:
        shutil.copy(note, kb.used / note.name)
    return Path(shutil.copy(EXAMPLE_ARTICLE, kb.articles / EXAMPLE_ARTICLE.name))


def note_name(number: int) -> str:
    """The transcript name of message `number`, sent `number` seconds after 2026-03-01."""
    when = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(seconds=number)
    return names.transcript_name(names.message_stem(when, "tester", 1, number))


def add_note(kb: KnowledgeBase, number: int, *, folder: str = "used") -> str:
    """A transcript file in `inbox/<folder>/`; returns its name."""
    name = note_name(number)
    (kb.inbox / folder / name).write_text(
        "---\nsource: telegram_voice\ndate: 2026-03-01T10:00:00+00:00\nuser_id: 1\n"
        f"username: tester\naudio_file: {name[:-15]}.ogg\n---\n\nНемного текста {number}.",
        encoding="utf-8",
    )
    return name


def article_text(
    title: str,
    body: str,
    sources: dict[str, str],
    *,
    depth: int = 0,
    folder: str = "used",
    extra: str = "",
) -> str:
    """An article in the tool's format citing `sources` (label -> note name)."""
    up = "../" * (depth + 1)
    definitions = "".join(
        f"[^{label}]: [{name}]({up}inbox/{folder}/{name})\n" for label, name in sources.items()
    )
    return (
        f'---\ntitle: "{title}"\ncreated: 2026-03-01\nupdated: 2026-03-02\n'
        f"tags: [testing]\nstatus: draft\n{extra}---\n\n# {title}\n\n{body}\n\n"
        f"## Sources\n\n{definitions}"
    )


def write_article(kb: KnowledgeBase, rel: str, text: str | bytes) -> Path:
    """Write an article file at `articles/<rel>`."""
    path = kb.articles / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def generated_kb(kb: KnowledgeBase, count: int) -> list[Path]:
    """`count` valid articles, a third of them in subfolders, each citing two notes and
    showing an image."""
    paths = []
    for number in range(count):
        first, second = add_note(kb, 2 * number), add_note(kb, 2 * number + 1)
        depth = 1 if number % 3 == 0 else 0
        rel = f"topic{number % 7}/article-{number}.md" if depth else f"article-{number}.md"
        body = (
            f"Article {number} opens with a claim[^1]. It continues here.\n\n"
            f"## Details\n\n- a point from the second note[^2]\n- `[^9]` in code is not a "
            f"citation\n\n| a | b |\n| --- | --- |\n| cell[^1] | <b>html</b> |\n\n"
            f"![diagram](img/{number}.png)"
        )
        paths.append(
            write_article(
                kb,
                rel,
                article_text(f"Article {number}", body, {"1": first, "2": second}, depth=depth),
            )
        )
        write_article(kb, str(PurePosixPath(rel).parent / f"img/{number}.png"), b"\x89PNG")
    return paths
