"""Article files built from the model's answers, checked before anything is written (pure).

A new article gets its front matter, `# Title`, the body with footnotes numbered `[^1]`.. in
order of first use, and a Sources section linking each cited note in `inbox/used/`. An update
keeps every byte of the old text but footnote labels (see notes.markdown.merge); it works on
the article as parsed once for the pass (notes.markdown.document.ArticleDoc). Either way the result
must parse, cite every note routed to it, define every footnote it uses and use every one it
defines, link to notes that exist, and carry valid front matter: `created` kept, `updated`
today, `status: draft`. The front matter holds the example's keys and nothing more of ours:
the model's one-line description goes to tool state (notes.descriptions), not the article.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date
from urllib.parse import unquote

from notes.drafting.answers import UpdateAnswer, WriteAnswer
from notes.drafting.messages import Source
from notes.drafting.routing import clean_tags
from notes.errors import Rejected
from notes.markdown import articles, citations, merge
from notes.markdown.articles import Article, ArticleFormatError, ArticleMeta
from notes.markdown.document import ArticleDoc

USED = "inbox/used"
_LABEL = re.compile(r"\[\^[^\]\s]+\]")


class DraftError(Rejected):
    """The answer cannot become a valid article; `problems` says why, one line each."""


def definition(article_path: str, note_name: str) -> str:
    """Definition text `[NAME](../inbox/used/NAME)` for a note, relative to the article."""
    link = articles.relative_link(article_path, f"{USED}/{note_name}")
    return articles.source_link(note_name, link)


def new_article(
    path: str,
    answer: WriteAnswer,
    sources: Sequence[Source],
    *,
    title: str,
    tags: Sequence[str],
    today: date,
) -> str:
    """The file text of a new article at KB path `path`. Raises DraftError."""
    body = _without_title(answer.body.strip("\n"))
    problems = _body_problems(body, {s.id for s in sources})
    problems += _uncited(sources, {ref.label for ref in citations.scan(body).references})
    if problems:
        raise DraftError(problems)
    numbers = citations.numbering(body)
    body = citations.relabel(body, numbers)
    names = {s.id: s.name for s in sources}
    footnotes = {
        number: definition(path, names[label])
        for label, number in sorted(numbers.items(), key=lambda item: int(item[1]))
    }
    meta = ArticleMeta(
        title=" ".join((answer.title or title).split()) or title,
        created=today,
        updated=today,
        tags=list(clean_tags([*tags, *answer.tags])),
        status=articles.DRAFT,
    )
    text = articles.render_article(Article(meta, body + "\n", footnotes))
    problems = file_problems(path, text, {s.name for s in sources}, today=today)
    if problems:
        raise DraftError(problems)
    return text


def updated_article(
    original: ArticleDoc, answer: UpdateAnswer, sources: Sequence[Source], *, today: date
) -> str:
    """The file text of `original` with the answer's insertions. Raises DraftError.

    The answer's `E` labels are those of `original.view`, the view the prompt showed.
    Raises ArticleFormatError when `original` is not an article in the format.
    """
    path, old_meta, rest = original.path, original.require().meta, original.rest
    cited = {
        ref.label for ins in answer.insertions for ref in citations.scan(ins.markdown).references
    }
    problems = _uncited(sources, cited)
    try:
        merged = merge.merge(
            rest,
            answer.insertions,
            original.view.labels,
            {s.id: definition(path, s.name) for s in sources},
        )
    except merge.MergeError as error:
        raise DraftError(error.problems + problems) from None
    problems += merge.survival_problems(rest, merged)
    meta = replace(
        old_meta,
        updated=max(today, old_meta.created),
        tags=list(dict.fromkeys([*old_meta.tags, *clean_tags(answer.tags)])),
        status=articles.DRAFT,
    )
    text = f"---\n{articles.render_front_matter(meta)}---\n{merged.body}"
    new_names = {s.name for s in sources}
    problems += file_problems(
        path, text, new_names, today=today, created=old_meta.created, before=original.citations
    )
    if problems:
        raise DraftError(list(dict.fromkeys(problems)))
    return text


def file_problems(
    path: str,
    text: str,
    new_notes: Collection[str],
    *,
    today: date,
    created: date | None = None,
    before: str | citations.Citations | None = None,
) -> list[str]:
    """What is wrong with an article file about to be written (empty: nothing).

    Citation faults already in `before` (the file as the author left it, or its citations)
    are not counted
    again; links are checked for the notes this write cites anew (`new_notes`).
    """
    try:
        article = articles.parse_article(text)
    except ArticleFormatError as error:
        return [f"the article does not parse: {error}"]
    problems = [f"front matter: {p.message}" for p in _meta_problems(text)]
    meta = article.meta
    if created is not None and meta.created != created:
        problems.append(f"front matter: created changed from {created} to {meta.created}")
    if meta.updated != max(today, meta.created):
        problems.append(f"front matter: updated is {meta.updated}, not today ({today})")
    if meta.status != articles.DRAFT:
        problems.append(f"front matter: status is {meta.status!r}, not {articles.DRAFT!r}")
    problems += _new_citation_problems(text, before)
    problems += _link_problems(path, text, new_notes)
    return problems


def _meta_problems(text: str) -> list[articles.FieldProblem]:
    data, _ = articles.read_front_matter(text)
    return articles.meta_problems(data)


def _new_citation_problems(text: str, before: str | citations.Citations | None) -> list[str]:
    def normal(document: str | citations.Citations) -> Counter[str]:
        return Counter(_LABEL.sub("[^]", p.message) for p in citations.problems(document))

    old = normal(before) if before is not None else Counter()
    return [f"footnotes: {message}" for message in (normal(text) - old)]


def _link_problems(path: str, text: str, new_notes: Collection[str]) -> list[str]:
    """Each definition that links to a note in `new_notes` must resolve to inbox/used/NAME."""
    folder = posixpath.dirname(path)
    problems = []
    found = set()
    for item in citations.scan(text).definitions:
        for link in item.links:
            target = posixpath.normpath(posixpath.join(folder, unquote(link)))
            name = posixpath.basename(target)
            if name in new_notes:
                found.add(name)
                if target != f"{USED}/{name}":
                    problems.append(f"the link to {name} does not resolve ({link})")
    problems += [f"no link to {name}" for name in sorted(set(new_notes) - found)]
    return problems


def _body_problems(body: str, ids: Collection[str]) -> list[str]:
    problems = []
    if not body.strip():
        problems.append("the body is empty")
    found = citations.scan(body)
    if found.definitions:
        problems.append("the body defines footnotes: cite sources as [^S1] only, no definitions")
    if any(h.text.casefold() == merge.SOURCES.casefold() for h in merge.headings(body)):
        problems.append("the body has a Sources section: leave it out, it is written for you")
    for label in dict.fromkeys(ref.label for ref in found.references):
        if label not in ids:
            problems.append(f"the body cites unknown source [^{label}]")
    return problems


def _uncited(sources: Sequence[Source], cited: Collection[str]) -> list[str]:
    return [f"source {s.id} ({s.name}) is not cited" for s in sources if s.id not in cited]


def _without_title(body: str) -> str:
    """Drop a leading `# Title` line the model wrote despite being asked not to."""
    first, _, rest = body.partition("\n")
    return rest.lstrip("\n") if first.startswith("# ") else body
