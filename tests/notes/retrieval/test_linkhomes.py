"""A bare-link note goes where his bare links go: the document that collects them."""

from __future__ import annotations

from notes.markdown.summary import ArticleSummary
from notes.retrieval.kbindex import KBIndex
from notes.retrieval.linkhomes import COLLECTS, is_bare_link, link_weight
from notes.retrieval.relevance import Candidate

LINKS = [f"https://github.com/someone/tool-{n} resource" for n in range(12)]
PROSE = [f"Paragraph {n} on how agents plan their work, with care and detail." for n in range(12)]


def _doc(path: str, title: str, blocks: list[str]) -> Candidate:
    return Candidate(ArticleSummary(path, title), "\n\n".join(blocks))


def test_a_link_with_a_few_words_is_bare_and_a_paragraph_with_a_link_is_not() -> None:
    assert is_bare_link("https://github.com/othmanadi/planning-with-files resources")
    assert is_bare_link("Resource https://github.com/a/b\n\nhttps://x.com/c")
    assert not is_bare_link("no link at all")
    long = "https://x.com/a " + " ".join(["word"] * 25)
    assert not is_bare_link(long)


def test_the_list_that_collects_links_outweighs_an_article_that_copied_some() -> None:
    resources = "\n\n".join(LINKS + PROSE[:2])
    copied = "\n\n".join(LINKS[:4] + PROSE * 3)
    assert link_weight(resources) > link_weight(copied) > link_weight("\n\n".join(PROSE)) == 0


def test_a_bare_link_note_brings_the_collecting_list_forward() -> None:
    resources = _doc("articles/interesting-resources.md", "Interesting Resources", LINKS)
    fillers = [
        _doc(f"articles/agents-{n}.md", f"Agents {n}", [*PROSE, "https://github.com/tool"])
        for n in range(30)
    ]
    index = KBIndex([*fillers, resources])
    note = "https://github.com/someone/new-agent-tool"
    assert index.ranking([note])[:2].count(len(fillers)) == 1
    assert index.ranking(["how agents plan their work"])[:5].count(len(fillers)) == 0


def test_an_article_with_a_link_among_many_paragraphs_is_not_where_links_go() -> None:
    article = _doc("articles/agents.md", "Agents", [*PROSE, LINKS[0]])
    resources = _doc("articles/interesting-resources.md", "Interesting Resources", LINKS[:3])
    assert link_weight(article.text) < COLLECTS <= link_weight(resources.text)
    assert KBIndex([article, resources]).link_homes() == [1]
