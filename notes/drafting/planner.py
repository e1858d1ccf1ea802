"""The planner: a batch of notes in, the decisions and the article texts out; it never writes.

Routing asks the model where each note goes (a new article, an existing one, or set aside);
each new or updated article is then written by the model and checked (notes.drafting.compose)
against the library's articles as parsed once for the pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from notes import descriptions
from notes.drafting import compose, figures, messages, routeprompt, routing
from notes.drafting.answers import ROUTE, UPDATE, WRITE, RouteAnswer, UpdateAnswer, WriteAnswer
from notes.drafting.asking import Asker, BatchFailed
from notes.drafting.batching import Batch
from notes.drafting.library import Library
from notes.drafting.messages import Source
from notes.drafting.prompts import Prompt
from notes.drafting.report import Decision
from notes.markdown import articles, citations, frontmatter
from notes.markdown.document import ArticleDoc


@dataclass(frozen=True)
class Change:
    """One article file the batch creates (`before` None) or updates."""

    path: str
    before: ArticleDoc | None
    after: str
    title: str
    notes: tuple[str, ...]
    description: str
    """The model's one line about the article (empty: it gave none)."""

    figures: tuple[figures.PlacedFigure, ...] = ()
    """Images the article shows, to move into `assets/images/` with it."""


@dataclass
class BatchPlan:
    """Everything a batch would change, for a writer to carry out."""

    changes: list[Change] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    @property
    def cited(self) -> list[str]:
        return [name for change in self.changes for name in change.notes]

    @property
    def filed(self) -> list[str]:
        """The notes that go to `inbox/used/` once the changes are written (each once)."""
        return list(dict.fromkeys(self.cited + self.set_aside))


ROUTE_CHARS = 24_000
"""Most note text one routing prompt shows (each note or part clipped, see routeprompt)."""


class Planner:
    def __init__(
        self,
        asker: Asker,
        prompts: dict[str, Prompt],
        language: str,
        library: Library,
        today: date,
    ) -> None:
        self.asker = asker
        self.prompts = prompts
        self.language = language
        self.library = library
        self.today = today

    def plan(self, batch: Batch) -> BatchPlan:
        """What the batch would change. Raises BatchFailed, StopRequested, LLMError."""
        sources = messages.sources_of(batch.notes)
        by_id = {source.id: source for source in sources}
        route = self._route(sources)
        result = BatchPlan()
        taken = self.library.paths()
        for create in route.creates:
            path = routing.new_article_path(create.folder, create.title, taken)
            taken.add(path)
            chosen = [by_id[i] for i in create.sources]
            text, description, placed = self._write(path, create, chosen)
            change = Change(
                path, None, text, _title(text), _names(chosen), description, tuple(placed)
            )
            result.changes.append(change)
            result.decisions.append(self._decision("create", change, create.reason, WRITE))
        for update in route.updates:
            chosen = [by_id[i] for i in update.sources]
            doc = self.library[update.article]
            text, description, placed = self._update(doc, chosen)
            change = Change(
                doc.path, doc, text, _title(text), _names(chosen), description, tuple(placed)
            )
            result.changes.append(change)
            result.decisions.append(self._decision("update", change, update.reason, UPDATE))
        for skip in route.skips:
            chosen = [by_id[i] for i in skip.sources]
            result.set_aside += _names(chosen)
            versions = (self.prompts["route"].version,)
            result.decisions.append(
                Decision("skip", _names(chosen), None, None, skip.reason, versions)
            )
        return result

    def _route(self, sources: list[Source]) -> routing.Plan:
        """Where each source goes; sources too long for one prompt are routed in runs."""
        runs = _runs(sources, ROUTE_CHARS)
        return routing.combine([self._route_run(run) for run in runs])

    def _route_run(self, sources: list[Source]) -> routing.Plan:
        candidates = [self.library.routing_candidate(s) for s in self.library.candidates()]
        known = self.library.updatable()
        prompt = self.prompts["route"]
        index = self.library.index(candidates)
        chat, _ = routeprompt.build(prompt, self.language, sources, candidates, index=index)
        ids = [source.id for source in sources]
        return self.asker.ask(
            prompt, ROUTE, RouteAnswer, chat, lambda answer: routing.plan(answer, ids, known)
        )

    def _write(
        self, path: str, create: routing.Create, chosen: list[Source]
    ) -> tuple[str, str, list[figures.PlacedFigure]]:
        """The new article's file text, the model's description of it, its figures."""
        prompt = self.prompts["write"]
        chat = messages.write_messages(prompt, self.language, create.title, create.tags, chosen)

        def build(answer: WriteAnswer) -> tuple[str, str, list[figures.PlacedFigure]]:
            placed, problems = figures.plan(path, answer.figures, chosen, self.library.assets)
            if problems:
                raise compose.DraftError(problems)
            text = compose.new_article(
                path,
                answer,
                chosen,
                title=create.title,
                tags=create.tags,
                today=self.today,
                placed=placed,
            )
            self.library.assets.update(figure.asset for figure in placed)
            return text, descriptions.one_line(answer.description), placed

        return self.asker.ask(prompt, WRITE, WriteAnswer, chat, build)

    def _update(
        self, doc: ArticleDoc, chosen: list[Source]
    ) -> tuple[str, str, list[figures.PlacedFigure]]:
        """The updated article's file text, the model's description of it, its figures."""
        try:
            shown = doc.view
        except (frontmatter.FrontMatterError, citations.CitationError) as error:
            raise BatchFailed(f"cannot update {doc.path}: {error}") from None
        prompt = self.prompts["update"]
        chat = messages.update_messages(
            prompt, self.language, doc.path, doc.title, shown.text, shown.sections, chosen
        )

        def build(answer: UpdateAnswer) -> tuple[str, str, list[figures.PlacedFigure]]:
            placed, problems = figures.plan(doc.path, answer.figures, chosen, self.library.assets)
            if problems:
                raise compose.DraftError(problems)
            text = compose.updated_article(doc, answer, chosen, today=self.today, placed=placed)
            self.library.assets.update(figure.asset for figure in placed)
            return text, descriptions.one_line(answer.description), placed

        return self.asker.ask(prompt, UPDATE, UpdateAnswer, chat, build)

    def _decision(self, action: str, change: Change, reason: str, schema: str) -> Decision:
        kind = {WRITE: "write", UPDATE: "update"}[schema]
        versions = (self.prompts["route"].version, self.prompts[kind].version)
        return Decision(action, change.notes, change.path, change.title, reason, versions)


def _title(text: str) -> str:
    return articles.parse_article(text).meta.title


def _names(sources: list[Source]) -> tuple[str, ...]:
    """The notes of `sources`, each once (a long note's parts are several sources)."""
    return tuple(dict.fromkeys(source.name for source in sources))


def _runs(sources: list[Source], limit: int) -> list[list[Source]]:
    """`sources` in order, in runs of at most `limit` characters of text (at least one each)."""
    runs: list[list[Source]] = [[]]
    size = 0
    for source in sources:
        shown = len(routeprompt.clip(source).text)
        if runs[-1] and size + shown > limit:
            runs.append([])
            size = 0
        runs[-1].append(source)
        size += shown
    return runs
