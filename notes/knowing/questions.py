"""`voicenotes ask "QUESTION"` and the bot's `/ask`: where the KB speaks of it, and what it says.

The closest articles and notes (notes.knowing.search; fused with embeddings when
VOICENOTES_EMBEDDING_MODEL is set) are shown to the model with the ask prompt; its answer is
checked (notes.knowing.answer) and asked again with the problems shown, as drafting answers
are. When nothing is close, the answer is "nothing found" and no model is called. Only reads
the KB (and keeps the embeddings and term list caches in `.voicenotes/`).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field

from notes.drafting.answers import ASK, AskAnswer
from notes.drafting.asking import Asker, BatchFailed
from notes.drafting.messages import source_block, sources_of
from notes.kb import KnowledgeBase
from notes.knowing import answer, search
from notes.knowing.corpus import Corpus
from notes.knowing.corpus import load as load_corpus
from notes.knowing.search import Hit
from notes.llm import prompts
from notes.llm.client import LLMClient, LLMError, Message
from notes.retrieval import rerank
from notes.settings import Settings

ARTICLE_CHARS = 3_000
"""Characters of an article shown to the model (its start)."""


@dataclass
class Reply:
    """What `ask` says: the answer (or why there is none) and what it was drawn from."""

    text: str
    articles: list[Hit] = field(default_factory=list)
    notes: list[Hit] = field(default_factory=list)
    failed: bool = False

    def lines(self) -> list[str]:
        """The answer, then the closest documents, for people."""
        found = [f"- {hit.path}" for hit in self.articles + self.notes]
        return [self.text] + (["", "Closest:", *found] if found else [])


def ask(
    kb: KnowledgeBase,
    settings: Settings,
    question: str,
    *,
    origin: str = "ANSWER.md",
    client: LLMClient | None = None,
) -> Reply:
    """Answer `question` from the KB; links in the answer are relative to KB path `origin`."""
    question = " ".join(question.split())
    if not question:
        return Reply("ask what? give a question", failed=True)
    corpus = load_corpus(kb)
    own = client is None
    client = client or LLMClient.from_settings(settings)
    try:
        articles, notes = _closest(kb, settings, corpus, question, client)
        if not articles and not notes:
            return Reply(answer.NOTHING_FOUND)
        return _answer(kb, settings, corpus, question, articles, notes, origin, client)
    finally:
        if own:
            client.close()


def _closest(
    kb: KnowledgeBase, settings: Settings, corpus: Corpus, question: str, client: LLMClient
) -> tuple[list[Hit], list[Hit]]:
    orders = rerank.hybrid_orders(kb, settings, corpus, question, client)
    found_articles = search.closest(
        question,
        corpus.articles,
        corpus.lexicon,
        limit=search.ARTICLES,
        order=orders[0],
        sections=corpus.sections,
    )
    found_notes = search.closest(
        question, corpus.notes, corpus.lexicon, limit=search.NOTES, order=orders[1]
    )
    return found_articles, found_notes


def _answer(
    kb: KnowledgeBase,
    settings: Settings,
    corpus: Corpus,
    question: str,
    articles: list[Hit],
    notes: list[Hit],
    origin: str,
    client: LLMClient,
) -> Reply:
    shown_articles = [
        answer.ArticleSource(f"A{n}", hit.path, hit.candidate.title, _start(hit))
        for n, hit in enumerate(articles, start=1)
    ]
    pending = [corpus.pending(kb, hit.path) for hit in notes]
    folders = {p.name: hit.path.rsplit("/", 1)[0] for p, hit in zip(pending, notes, strict=True)}
    shown_notes = [answer.ShownNote(s, folders[s.name]) for s in sources_of(pending)]
    prompt = prompts.load_version(prompts.ASK)
    chat = messages(prompt.render(language=settings.article_language), question, shown_articles)
    chat[-1] = Message(
        "user",
        chat[-1].content + "\n\n".join(source_block(n.source) for n in shown_notes),
    )
    asker = Asker(lambda: client, lambda _problem: None, lambda _line: None)
    try:
        text = asker.ask(
            prompt,
            ASK,
            AskAnswer,
            chat,
            lambda value: answer.build(value, shown_articles, shown_notes, origin),
        )
    except (BatchFailed, LLMError) as error:
        return Reply(f"no answer: {error}", articles, notes, failed=True)
    return Reply(text, articles, notes)


def messages(system: str, question: str, shown: list[answer.ArticleSource]) -> list[Message]:
    """The ask call, without its notes (appended after the articles)."""
    blocks = "\n".join(
        f'<article id="{a.id}" path="{a.path}" title="{a.title}">{a.text}</article>' for a in shown
    )
    user = f"Question: {question}\n\nArticles:\n\n{blocks or '(none close)'}\n\nNotes:\n\n"
    return [Message("system", system), Message("user", user)]


def _start(hit: Hit) -> str:
    text = hit.candidate.text.strip().replace("</article", "&lt;/article")
    return text if len(text) <= ARTICLE_CHARS else text[: ARTICLE_CHARS - 1] + "…"


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes ask QUESTION`: prints the answer; 1 when it could not be had."""
    reply = ask(KnowledgeBase(settings.kb), settings, " ".join(args.question))
    for line in reply.lines():
        print(line, file=sys.stderr if reply.failed else sys.stdout)
    return 1 if reply.failed else 0
