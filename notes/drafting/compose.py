"""Article files built from the model's answers, checked before anything is written (pure).

A new article gets its front matter, `# Title`, the body with footnotes numbered `[^1]`.. in
order of first use, a Sources section linking each cited note in `inbox/used/`, and
`status: draft`. An update only adds lines (see notes.markdown.merge): the insertions and the
new definitions; of the front matter only the value of `updated` changes (to today), so the
author's keys, their order, `status`, tags and footnote labels stay as he left them. It works
on the article as parsed once for the pass (notes.markdown.document.ArticleDoc). Either way
the result must parse, cite every note routed to it, define every footnote it uses and use
every one it defines (faults the author left are not counted), link to notes that exist, and
carry valid front matter. The front matter holds the example's keys and nothing more of ours:
the model's one-line description goes to tool state (notes.kb.descriptions), not the article.
Every text the model wrote (title, body, insertions, headings) is defused first
(notes.markdown.sanitize: no raw HTML, no unsafe or out-of-KB link, no remote image); the
author's lines are never passed through it.
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date
from urllib.parse import unquote

from notes.drafting import figures, moments
from notes.drafting.answers import Insertion, UpdateAnswer, WriteAnswer
from notes.drafting.messages import Source
from notes.drafting.routing import clean_tags
from notes.errors import Rejected
from notes.markdown import articlemeta, articles, citations, frontmatter, merge, sanitize
from notes.markdown.articles import Article, ArticleFormatError, ArticleMeta
from notes.markdown.document import ArticleDoc

USED = "inbox/used"
AUDIO = "inbox/audio"
RANGE_DASH = "\u2013"
"""Between the times of a cited range, as the author reads it: `12:30–13:10`."""


def _no_file(_path: str) -> bool:
    return False


class DraftError(Rejected):
    """The answer cannot become a valid article; `problems` says why, one line each."""


def definition(
    article_path: str,
    note_name: str,
    at: moments.Moment | None = None,
    audio: str | None = None,
    video: str = "",
) -> str:
    """Definition text `[NAME](../inbox/used/NAME)` for a note, relative to the article.

    A moment adds its range and a link to the recording at that time:
    `[NAME](../inbox/used/NAME) at 12:30–13:10, [audio](../inbox/audio/NAME.ogg#t=750,790)`;
    for a video note without a recording, to `video`, the KB path of the video kept beside it
    (`inbox/used/NAME.mp4`, or where a figure moved it): `[video](../inbox/used/NAME.mp4#t=3,7)`.
    """
    link = articles.relative_link(article_path, f"{USED}/{note_name}")
    text = articles.source_link(note_name, link)
    if at is None:
        return text
    text += f" at {moments.span(at.start, at.end).replace('-', RANGE_DASH)}"
    if audio:
        target = articles.relative_link(article_path, f"{AUDIO}/{audio}")
        text += ", " + articles.source_link("audio", f"{target}#t={at.start},{at.end}")
    elif video:
        target = articles.relative_link(article_path, video)
        text += ", " + articles.source_link("video", f"{target}#t={at.start},{at.end}")
    return text


def cited_definitions(
    article_path: str,
    sources: Sequence[Source],
    labels: Collection[str],
    moved: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], list[str]]:
    """(label -> definition text, problems) for the cited `labels` of `sources`.

    A label is a source id (`S1`) or a moment of one (`S1@12:30-13:10`); a moment must lie
    within the part of the recording its source shows. Unknown ids are left to the caller.
    `moved` maps a video note's name to the KB path its video was moved to as a figure.
    """
    by_id = {source.id: source for source in sources}
    found: dict[str, str] = {}
    problems: list[str] = []
    for label in labels:
        if label in by_id:
            found[label] = definition(article_path, by_id[label].name)
            continue
        at = moments.moment(label)
        if at is None or at.id not in by_id:
            continue
        source = by_id[at.id]
        problem = moment_problem(label, at, source)
        if problem:
            problems.append(problem)
        else:
            video = (moved or {}).get(source.name) or (
                f"{USED}/{source.video_file}" if source.video_file else ""
            )
            found[label] = definition(article_path, source.name, at, source.audio, video)
    return found, problems


def moment_problem(label: str, at: moments.Moment, source: Source) -> str | None:
    """Why `[^label]` cannot cite that moment of `source`, if it cannot."""
    if source.start is None or source.end is None:
        return f"[^{label}]: {source.id} has no times; cite it as [^{source.id}]"
    if at.end < at.start:
        return f"[^{label}]: the time range ends before it starts"
    if at.start < source.start - moments.SLACK or at.end > source.end + moments.SLACK:
        shown = moments.span(source.start, source.end)
        return (
            f"[^{label}] is outside the recording of {source.id} ({shown}): "
            "cite a time range inside it, or the source without a time"
        )
    return None


def known_labels(sources: Sequence[Source], labels: Collection[str]) -> set[str]:
    """The labels among `labels` that name a source (plainly or by a moment of it)."""
    ids = {source.id for source in sources}
    return {label for label in labels if _source_id(label) in ids}


def _source_id(label: str) -> str:
    at = moments.moment(label)
    return label if at is None else at.id


def new_article(
    path: str,
    answer: WriteAnswer,
    sources: Sequence[Source],
    *,
    title: str,
    tags: Sequence[str],
    today: date,
    placed: Sequence[figures.PlacedFigure] = (),
    exists: sanitize.Exists = _no_file,
) -> str:
    """The file text of a new article at KB path `path`. Raises DraftError.

    Each of `placed` becomes a `<figure>` after a paragraph citing its photo note. `exists`
    says which KB paths are files, for the links the model wrote (none, by default).
    """
    body = sanitize.sanitize(_without_title(answer.body.strip("\n")), path, exists)[0]
    title = sanitize.sanitize(title, path, exists)[0]
    labels = {ref.label for ref in citations.scan(body).references}
    found, problems = cited_definitions(path, sources, labels, _videos_moved(placed))
    problems = _body_problems(body, known_labels(sources, labels)) + problems
    problems += _uncited(sources, labels)
    if problems:
        raise DraftError(problems)
    numbers = citations.numbering(body)
    body = citations.relabel(body, numbers)
    body = figures.place(body, path, placed, _note_numbers(sources, numbers))
    footnotes = {
        number: found[label]
        for label, number in sorted(numbers.items(), key=lambda item: int(item[1]))
    }
    meta = ArticleMeta(
        title=" ".join(sanitize.sanitize(answer.title, path, exists)[0].split()) or title,
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
    original: ArticleDoc,
    answer: UpdateAnswer,
    sources: Sequence[Source],
    *,
    today: date,
    placed: Sequence[figures.PlacedFigure] = (),
    exists: sanitize.Exists = _no_file,
) -> str:
    """The file text of `original` with the answer's insertions. Raises DraftError.

    Each of `placed` ends the insertion its `after` numbers (the last one if too big).

    The answer's `E` labels are those of `original.view`, the view the prompt showed. The
    answer's tags are not applied: the tags are the author's. Raises ArticleFormatError when
    `original` is not an article in the format.
    """
    path, old_meta, rest = original.path, original.require().meta, original.rest
    answer = _defused(answer, path, exists)
    cited = {
        ref.label for ins in answer.insertions for ref in citations.scan(ins.markdown).references
    }
    found, problems = cited_definitions(path, sources, cited, _videos_moved(placed))
    problems += _uncited(sources, cited)
    insertions = _with_figures(path, answer.insertions, placed, {s.name: s.id for s in sources})
    try:
        merged = merge.merge(
            rest,
            insertions,
            original.view.labels,
            {s.id: definition(path, s.name) for s in sources} | found,
        )
    except merge.MergeError as error:
        raise DraftError(error.problems + problems) from None
    problems += merge.survival_problems(rest, merged)
    front = original.text[: len(original.text) - len(rest)]
    text = articles.with_updated(front, max(today, old_meta.created)) + merged.body
    problems += file_problems(
        path,
        text,
        {s.name for s in sources},
        today=today,
        created=old_meta.created,
        before=original.citations,
        kept_front_matter=original.text,
    )
    if problems:
        raise DraftError(list(dict.fromkeys(problems)))
    return text


def _defused(answer: UpdateAnswer, path: str, exists: sanitize.Exists) -> UpdateAnswer:
    """The answer with the text of every insertion, and its heading, sanitized."""

    def clean(text: str | None) -> str | None:
        return None if text is None else sanitize.sanitize(text, path, exists)[0]

    insertions = [
        Insertion(section=i.section, heading=clean(i.heading), markdown=clean(i.markdown) or "")
        for i in answer.insertions
    ]
    return answer.model_copy(update={"insertions": insertions})


def _with_figures(
    path: str,
    insertions: Sequence[Insertion],
    placed: Sequence[figures.PlacedFigure],
    ids: Mapping[str, str],
) -> list[Insertion]:
    """The insertions, each followed by the figures that end it, the paragraph before a
    figure citing its photo (`[^S2]`; see notes.drafting.figures)."""
    result = list(insertions)
    ending: dict[int, list[figures.PlacedFigure]] = {}
    for figure in placed if result else ():
        ending.setdefault(min(max(figure.after, 1), len(result)) - 1, []).append(figure)
    for index, shown in ending.items():
        chosen = result[index]
        last = [replace(figure, after=len(chosen.markdown) + 1) for figure in shown]
        markdown = figures.place(chosen.markdown.rstrip("\n"), path, last, ids)
        result[index] = Insertion(section=chosen.section, heading=chosen.heading, markdown=markdown)
    return result


def file_problems(
    path: str,
    text: str,
    new_notes: Collection[str],
    *,
    today: date,
    created: date | None = None,
    before: str | citations.Citations | None = None,
    kept_front_matter: str | None = None,
) -> list[str]:
    """What is wrong with an article file about to be written (empty: nothing).

    A new article has `status: draft`; an update keeps the front matter of
    `kept_front_matter` (the file as the author left it) with only `updated` changed.
    Citation faults already in `before` (that file, or its citations) are not counted again;
    links are checked for the notes this write cites anew (`new_notes`).
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
    kept = kept_front_matter
    if kept is None and meta.status != articles.DRAFT:
        problems.append(f"front matter: status is {meta.status!r}, not {articles.DRAFT!r}")
    if kept is not None and _without_updated(kept) != _without_updated(text):
        problems.append("front matter: changed beyond the updated date")
    problems += _new_citation_problems(text, before)
    problems += _link_problems(path, text, new_notes)
    return problems


def _without_updated(text: str) -> list[str]:
    yaml_text, _ = frontmatter.split(text)
    return [line for line in yaml_text.splitlines() if not line.startswith("updated:")]


def _meta_problems(text: str) -> list[articlemeta.FieldProblem]:
    data, _ = articles.read_front_matter(text)
    return articlemeta.meta_problems(data)


def _new_citation_problems(text: str, before: str | citations.Citations | None) -> list[str]:
    def normal(document: str | citations.Citations) -> Counter[str]:
        return Counter(citations.MARKER.sub("[^]", p.message) for p in citations.problems(document))

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
    if any(articles.is_sources_heading(h.text, h.level) for h in merge.headings(body)):
        problems.append("the body has a Sources section: leave it out, it is written for you")
    for label in dict.fromkeys(ref.label for ref in found.references):
        if label not in ids:
            problems.append(f"the body cites unknown source [^{label}]")
    return problems


def _uncited(sources: Sequence[Source], cited: Collection[str]) -> list[str]:
    ids = {_source_id(label) for label in cited}
    return [f"source {s.id} ({s.name}) is not cited" for s in sources if s.id not in ids]


def _without_title(body: str) -> str:
    """Drop a leading `# Title` line the model wrote despite being asked not to."""
    first, _, rest = body.partition("\n")
    return rest.lstrip("\n") if first.startswith("# ") else body


def _videos_moved(placed: Sequence[figures.PlacedFigure]) -> dict[str, str]:
    """Video note name -> the KB path its kept video plays from as a figure."""
    return {figure.note: figure.asset for figure in placed if figure.plays and figure.asset}


def _note_numbers(sources: Sequence[Source], numbers: Mapping[str, str]) -> dict[str, str]:
    """Note name -> the footnote number citing it: its plain label's, else its first moment's
    (a timed video shown as a figure may be cited at moments only)."""
    names = {s.id: s.name for s in sources}
    found = {names[label]: number for label, number in numbers.items() if label in names}
    for label, number in sorted(numbers.items(), key=lambda item: int(item[1])):
        at = moments.moment(label)
        if at is not None and at.id in names:
            found.setdefault(names[at.id], number)
    return found
