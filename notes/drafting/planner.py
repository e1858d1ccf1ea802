"""The planner: a batch of notes in, the decisions and the article texts out; it never writes.

Routing asks the model where each note goes (a new article, an existing one, or set aside);
each new or updated article is then written by the model and checked (notes.drafting.compose)
against the library's articles as parsed once for the pass.
"""

from __future__ import annotations

from dataclasses import replace

from notes.drafting import (
    messages,
    revisionpass,
    routeprompt,
    routing,
)
from notes.drafting.answers import ROUTE, UPDATE, WRITE, RouteAnswer
from notes.drafting.batching import Batch
from notes.drafting.drafter import Drafter
from notes.drafting.messages import Source
from notes.drafting.plan import BatchPlan, Change
from notes.drafting.report import PassDecision
from notes.markdown import articles
from notes.markdown.document import ArticleDoc

ROUTE_CHARS = 24_000
"""Most note text one routing prompt shows (each note or part clipped, see routeprompt)."""


class Planner:
    """Plans a batch with the drafter's model calls, prompts, library and style."""

    def __init__(self, drafter: Drafter) -> None:
        self.drafter = drafter

    def plan(self, batch: Batch) -> BatchPlan:
        """What the batch would change. Raises BatchFailed, StopRequested, LLMError."""
        sources = messages.sources_of(batch.notes)
        by_id = {source.id: source for source in sources}
        asked = revisionpass.requested(batch.notes, self.drafter.library.updatable())
        routed = [source for source in sources if source.name not in asked]
        route = self._route(routed) if routed else routing.Plan()
        result = BatchPlan()
        asking = revisionpass.with_old_words(sources, batch.notes, self.drafter.library.note_text)
        revises = routing.joined_by_article([*_certain(sources, asked), *route.revises])
        self._revise_all(revises, {source.id: source for source in asking}, result)
        taken = self.drafter.library.paths() | {change.path for change in result.changes}
        for create in route.creates:
            path = routing.new_article_path(create.folder, create.title, taken)
            taken.add(path)
            chosen = [by_id[i] for i in create.sources]
            text, description, placed, style = self.drafter.write(path, create, chosen)
            change = Change(
                path, None, text, _title(text), _names(chosen), description, tuple(placed), style
            )
            result.changes.append(change)
            result.decisions.append(self._decision("create", change, create.reason, WRITE))
        revised = {change.path: change for change in result.changes}
        for update in route.updates:
            chosen = [by_id[i] for i in update.sources]
            earlier = revised.get(update.article)
            doc = self.drafter.library[update.article]
            shown = doc if earlier is None else ArticleDoc(doc.path, earlier.after)
            text, description, placed, style = self.drafter.update(shown, chosen)
            change = Change(
                doc.path, doc, text, _title(text), _names(chosen), description, tuple(placed), style
            )
            if earlier is not None:  # one change of the file: the revision, then the update
                result.changes.remove(earlier)
                notes = earlier.notes + change.notes
                change = replace(change, notes=notes, requests=earlier.requests)
            result.changes.append(change)
            result.decisions.append(self._decision("update", change, update.reason, UPDATE))
        for skip in route.skips:
            chosen = [by_id[i] for i in skip.sources]
            result.set_aside += _names(chosen)
            versions = (self.drafter.prompts["route"].version,)
            result.decisions.append(
                PassDecision("skip", _names(chosen), None, None, skip.reason, versions)
            )
        return result

    def _revise_all(
        self, revises: list[routing.Revise], by_id: dict[str, Source], result: BatchPlan
    ) -> None:
        """Each article revised as its requests ask (before any other change of the batch)."""
        reviser = revisionpass.Reviser(self.drafter)
        for revise in revises:
            chosen = [by_id[i] for i in revise.sources]
            doc = self.drafter.library[revise.article]
            done = reviser.revise(doc, chosen)
            title = _title(done.text)
            requests = _names(chosen)
            change = Change(
                doc.path, doc, done.text, title, done.cited, "", style=done.style, requests=requests
            )
            result.changes.append(change)
            for path, text in done.moved.items():  # the articles passages moved into
                notes = tuple(name for name in done.cited if name in text)
                into = self.drafter.library.docs.get(path)
                moved = Change(path, into, text, _title(text), notes, "", requests=requests)
                result.changes.append(moved)
            result.feedback += done.feedback
            result.corrected += done.corrected
            versions = (
                self.drafter.prompts["route"].version,
                self.drafter.prompts["revise"].version,
            )
            reason = done.summary or revise.reason
            result.decisions.append(
                PassDecision("revise", requests, doc.path, title, reason, versions)
            )

    def _route(self, sources: list[Source]) -> routing.Plan:
        """Where each source goes; sources too long for one prompt are routed in runs."""
        runs = _runs(sources, ROUTE_CHARS)
        return routing.combine([self._route_run(run) for run in runs])

    def _route_run(self, sources: list[Source]) -> routing.Plan:
        library = self.drafter.library
        candidates = [library.routing_candidate(s) for s in library.candidates()]
        known = library.updatable()
        prompt = self.drafter.prompts["route"]
        index = library.index(candidates)
        chat, _ = routeprompt.build(prompt, self.drafter.language, sources, candidates, index=index)
        ids = [source.id for source in sources]
        return self.drafter.asker.ask(
            prompt, ROUTE, RouteAnswer, chat, lambda answer: routing.plan(answer, ids, known)
        )

    def _decision(self, action: str, change: Change, reason: str, schema: str) -> PassDecision:
        kind = {WRITE: "write", UPDATE: "update"}[schema]
        versions = (self.drafter.prompts["route"].version, self.drafter.prompts[kind].version)
        return PassDecision(action, change.notes, change.path, change.title, reason, versions)


def _certain(sources: list[Source], asked: dict[str, str]) -> list[routing.Revise]:
    """The requests whose notes name their article: routed without asking the model."""
    return [
        routing.Revise(asked[source.name], (source.id,), "a reply about this article")
        for source in sources
        if source.name in asked
    ]


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
