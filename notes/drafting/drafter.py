"""The model's two writing calls of a pass: a new article, and new material in an existing one.

Each answer is built into the article's file text and checked (figures placed, the author's
style gate) before it is returned; a problem is shown to the model on a retry (asking).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from notes.drafting import compose, figures, messages, routing, voiceexamples
from notes.drafting.answers import UPDATE, WRITE, UpdateAnswer, WriteAnswer
from notes.drafting.asking import Asker, BatchFailed
from notes.drafting.library import Library
from notes.drafting.messages import Source
from notes.drafting.style import StyleCheck, check_body, check_insertions, enforce
from notes.kb import descriptions
from notes.llm.prompts import Prompt
from notes.markdown import citations, frontmatter
from notes.markdown.document import ArticleDoc

Drafted = tuple[str, str, list[figures.PlacedFigure], StyleCheck]
"""An article's file text, the model's description of it, its figures, the style check."""


@dataclass(frozen=True)
class StyleSetup:
    """The author's style for a pass: the rules the prompts carry, the gate, his posts."""

    rules: str = ""
    gate: frozenset[str] = frozenset()
    examples: voiceexamples.Examples | None = None


@dataclass
class Drafter:
    """Asks for an article's text, new or updated; never writes."""

    asker: Asker
    prompts: dict[str, Prompt]
    language: str
    library: Library
    today: date
    style: StyleSetup = field(default_factory=StyleSetup)

    def write(self, path: str, create: routing.Create, chosen: list[Source]) -> Drafted:
        """The new article's file text, the model's description, its figures, its style."""
        prompt = self.prompts["write"]
        chat = messages.write_messages(
            prompt, self.language, create.title, create.tags, chosen, style=self.style.rules
        )
        if self.style.examples is not None:
            chat = voiceexamples.with_examples(
                chat, self.style.examples.passages(create.title, chosen)
            )

        def build(answer: WriteAnswer) -> Drafted:
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
                exists=self.library.exists,
            )
            style = check_body(answer.body, self.style.gate)
            return enforce(style, (text, descriptions.one_line(answer.description), placed, style))

        drafted = self.asker.ask(prompt, WRITE, WriteAnswer, chat, build)
        self.library.assets.update(f.asset for f in drafted[2] if f.asset)
        return drafted

    def update(self, doc: ArticleDoc, chosen: list[Source]) -> Drafted:
        """The updated article's file text, the model's description, its figures, its style."""
        try:
            shown = doc.view
        except (frontmatter.FrontMatterError, citations.CitationError) as error:
            raise BatchFailed(f"cannot update {doc.path}: {error}") from None
        prompt = self.prompts["update"]
        chat = messages.update_messages(
            prompt,
            self.language,
            doc.path,
            doc.title,
            shown.text,
            shown.sections,
            chosen,
            style=self.style.rules,
        )

        def build(answer: UpdateAnswer) -> Drafted:
            placed, problems = figures.plan(doc.path, answer.figures, chosen, self.library.assets)
            if problems:
                raise compose.DraftError(problems)
            text = compose.updated_article(
                doc, answer, chosen, today=self.today, placed=placed, exists=self.library.exists
            )
            style = check_insertions(answer.insertions, self.style.gate)
            return enforce(style, (text, descriptions.one_line(answer.description), placed, style))

        drafted = self.asker.ask(prompt, UPDATE, UpdateAnswer, chat, build)
        self.library.assets.update(f.asset for f in drafted[2] if f.asset)
        return drafted
