"""Checking the model's routing decisions and turning them into a plan for the batch.

Pure rules: every source gets exactly one decision, only known ids, update and revise
targets exist, new articles land inside `articles/` under a safe folder name.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from notes.drafting.answers import Decision, RouteAnswer
from notes.errors import Rejected

ARTICLES = "articles"
MAX_FOLDER_DEPTH = 3
MAX_SLUG = 60
_FOLDER_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_NOT_SLUG = re.compile(r"[^\w]+")


class RouteError(Rejected):
    """The decisions do not fit the batch; `problems` says why, one line each."""


@dataclass(frozen=True)
class Create:
    sources: tuple[str, ...]
    title: str
    tags: tuple[str, ...]
    folder: str
    reason: str


@dataclass(frozen=True)
class ToArticle:
    """Sources bound for one existing article, and why."""

    article: str
    sources: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Update(ToArticle):
    """Sources to add to an existing article."""


@dataclass(frozen=True)
class Revise(ToArticle):
    """Sources that ask for changes to an existing article (a revision request)."""


_ToOne = TypeVar("_ToOne", bound=ToArticle)


@dataclass(frozen=True)
class Skip:
    sources: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Plan:
    creates: list[Create] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    revises: list[Revise] = field(default_factory=list)


def plan(answer: RouteAnswer, sources: Sequence[str], articles: Collection[str]) -> Plan:
    """The plan for a batch whose source ids are `sources`, given the KB's article paths.

    Raises RouteError listing every problem, for the model to fix on a retry.
    """
    problems = problems_of(answer, sources, articles)
    if problems:
        raise RouteError(problems)
    result = Plan()
    for decision in answer.decisions:
        ids = tuple(decision.sources)
        if decision.action == "create":
            title = (decision.title or "").strip()
            folder = normal_folder(decision.folder)
            result.creates.append(
                Create(ids, title, clean_tags(decision.tags), folder, decision.reason)
            )
        elif decision.action == "update":
            result.updates.append(Update(decision.article or "", ids, decision.reason))
        elif decision.action == "revise":
            result.revises.append(Revise(decision.article or "", ids, decision.reason))
        else:
            result.skips.append(Skip(ids, decision.reason))
    result.creates[:] = joined_creates(result.creates)
    result.updates[:] = joined_by_article(result.updates)
    result.revises[:] = joined_by_article(result.revises)
    return result


def combine(plans: Sequence[Plan]) -> Plan:
    """One plan from the plans of parts of a batch routed apart: updates of one article join,
    and so do new articles of one title (joined_creates)."""
    result = Plan()
    result.creates.extend(joined_creates(create for part in plans for create in part.creates))
    result.updates.extend(joined_by_article(u for part in plans for u in part.updates))
    result.skips.extend(skip for part in plans for skip in part.skips)
    result.revises.extend(joined_by_article(r for part in plans for r in part.revises))
    return result


def joined_by_article(entries: Iterable[_ToOne]) -> list[_ToOne]:
    """Entries for one article joined into the first (its reason, the sources of all), in the
    order each article first comes."""
    joined: dict[str, _ToOne] = {}
    for entry in entries:
        first = joined.get(entry.article)
        joined[entry.article] = (
            entry if first is None else replace(first, sources=first.sources + entry.sources)
        )
    return list(joined.values())


def joined_creates(creates: Iterable[Create]) -> list[Create]:
    """New articles of one title joined into the first: its folder and reason, the sources and
    tags of all, in order. Titles are one when their file names are (`slugify`), so two parts
    of one long note routed apart to the same new title make one article, never two."""
    joined: dict[str, Create] = {}
    for create in creates:
        key = slugify(create.title)
        first = joined.get(key)
        if first is None:
            joined[key] = create
            continue
        sources = first.sources + tuple(s for s in create.sources if s not in first.sources)
        tags = tuple(dict.fromkeys(first.tags + create.tags))
        joined[key] = replace(first, sources=sources, tags=tags)
    return list(joined.values())


def problems_of(
    answer: RouteAnswer, sources: Sequence[str], articles: Collection[str]
) -> list[str]:
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, decision in enumerate(answer.decisions, start=1):
        if not decision.sources:
            problems.append(f"decision {number} names no source")
        for source in decision.sources:
            if source not in sources:
                problems.append(f"decision {number} names unknown source {source!r}")
            elif source in seen:
                problems.append(f"source {source} has two decisions ({seen[source]} and {number})")
            else:
                seen[source] = number
        problems += _action_problems(number, decision, articles)
    missing = [source for source in sources if source not in seen]
    if missing:
        problems.append(f"no decision for {', '.join(missing)}: every source needs exactly one")
    return problems


def _action_problems(number: int, decision: Decision, articles: Collection[str]) -> list[str]:
    where = f"decision {number} ({decision.action})"
    if decision.action in ("update", "revise"):
        path = decision.article or ""
        if not path:
            return [f"{where} names no article"]
        if not inside_articles(path):
            return [f"{where}: {path!r} is not a path inside articles/"]
        if path not in articles:
            return [f"{where}: there is no article {path!r}"]
    if decision.action == "create":
        problems = []
        if not (decision.title or "").strip():
            problems.append(f"{where} has no title")
        folder_error = folder_problem(decision.folder)
        if folder_error:
            problems.append(f"{where}: {folder_error}")
        return problems
    return []


def inside_articles(path: str) -> bool:
    """True for a relative `articles/...md` path that cannot climb out of `articles/`.

    A `_` file name is allowed (a `_` document the author feeds, such as a weekly log); a `_`
    or hidden folder is not (the author's meta documents live there).
    """
    parts = path.split("/")
    return (
        len(parts) >= 2
        and parts[0] == ARTICLES
        and path.endswith(".md")
        and "\\" not in path
        and all(part and not part.startswith(("_", ".")) for part in parts[1:-1])
        and bool(parts[-1])
        and not parts[-1].startswith(".")
    )


def normal_folder(folder: str | None) -> str:
    return (folder or "").strip().strip("/")


def folder_problem(folder: str | None) -> str | None:
    """Why `folder` is not a safe folder under `articles/`, or None when it is."""
    text = normal_folder(folder)
    if not text:
        return None
    parts = text.split("/")
    if text.startswith(ARTICLES + "/") or text == ARTICLES:
        return f"folder {folder!r} must be relative to articles/ (leave out 'articles/')"
    if len(parts) > MAX_FOLDER_DEPTH:
        return f"folder {folder!r} is more than {MAX_FOLDER_DEPTH} levels deep"
    if not all(_FOLDER_PART.fullmatch(part) for part in parts):
        return (
            f"folder {folder!r} is not a safe folder name under articles/ "
            "(letters, digits, '-', '_' and '/' only)"
        )
    return None


def clean_tags(tags: Sequence[str]) -> tuple[str, ...]:
    """Lowercase, hyphenated, unique tags in their first order."""
    cleaned = ("-".join(tag.strip().lower().split()) for tag in tags)
    return tuple(dict.fromkeys(tag for tag in cleaned if tag))


def slugify(title: str) -> str:
    """`AI Engineer: My Vision` -> `ai-engineer-my-vision`."""
    slug = _NOT_SLUG.sub("-", title.lower()).replace("_", "-").strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug or "note"


def new_article_path(folder: str, title: str, taken: Collection[str]) -> str:
    """`articles/{folder}/{slug}.md`, with `-2`, `-3`... when the name is taken."""
    base = "/".join(part for part in (ARTICLES, normal_folder(folder), slugify(title)) if part)
    path, number = f"{base}.md", 1
    taken_folded = {item.casefold() for item in taken}
    while path.casefold() in taken_folded:
        number += 1
        path = f"{base}-{number}.md"
    return path
