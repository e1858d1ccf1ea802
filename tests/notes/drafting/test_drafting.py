"""Drafting passes end to end: the real `openai` client against a local scripted server."""

from __future__ import annotations

import argparse
import itertools
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from markdown_it.token import Token

from notes.drafting import (
    MAX_ATTEMPTS,
    ArticleChange,
    PassStopped,
    compose,
    intentions,
    moments,
    planner,
    run_command,
    run_pass,
)
from notes.drafting.answers import ROUTE, UPDATE, WRITE
from notes.intake import transcripts
from notes.intake.transcripts import Note, NoteHeader
from notes.kb import KnowledgeBase, atomic, descriptions, lock, runlog
from notes.llm.client import LLMClient, LLMError
from notes.markdown import articles, citations, frontmatter, merge, parser
from notes.settings import Settings
from notes.upkeep import check
from tests.conftest import EXAMPLES, LongNote, lock_is_free
from tests.support.kbfiles import add_note
from tests.support.openai_server import (
    OpenAIServer,
    Reply,
    Request,
    answer,
    error,
    refused_url,
    settings_for,
    slow,
)
from tests.support.updates import next_free_number, real_articles, unexpected_changes

pytestmark = [pytest.mark.timeout(120), pytest.mark.usefixtures("no_user_git_config")]

USED_EXAMPLES = EXAMPLES / "inbox/used"
NAMES = sorted(path.name for path in USED_EXAMPLES.iterdir())
MSG900, MSG1188, MSG1859, MSG2376 = NAMES
EXAMPLE_ARTICLE = EXAMPLES / "articles/ai-engineer-my-vision.md"
ARTICLE = "articles/ai-engineer-my-vision.md"
TITLE = "AI Engineer: My Vision"


# --- fixtures and helpers -------------------------------------------------------------------


def file_examples(kb: KnowledgeBase, names: list[str] = NAMES, *, one_sitting: bool = True) -> None:
    """Put example transcripts in inbox/raw/, by default re-dated as if sent minutes apart."""
    for number, name in enumerate(names):
        text = (USED_EXAMPLES / name).read_text(encoding="utf-8")
        if one_sitting:
            text = re.sub(
                r"^date: .*$",
                f"date: 2026-02-04T10:2{number}:00+00:00",
                text,
                count=1,
                flags=re.MULTILINE,
            )
        (kb.raw / name).write_text(text, encoding="utf-8")


def text_note(kb: KnowledgeBase, when: datetime, text: str) -> str:
    name = f"{when:%Y%m%d_%H%M%S}_AlexeyDTC_msg77_text.txt"
    header = NoteHeader("telegram_text", when, 822266080, "AlexeyDTC")
    (kb.raw / name).write_text(transcripts.render(Note(header, text)), encoding="utf-8")
    return name


def snapshot(root: Path, *, state: bool = False) -> dict[str, bytes]:
    """Every file under `root` (the tool's `.voicenotes/` state too when `state`)."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and (state or ".voicenotes" not in path.relative_to(root).parts)
    }


def decision(sources: list[str], action: str, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "sources": sources,
        "action": action,
        "article": None,
        "title": None,
        "tags": [],
        "folder": None,
        "reason": f"{action} because",
    }
    values.update(fields)
    return values


def route(*decisions: dict[str, Any]) -> Reply:
    return answer({"decisions": list(decisions)})


def written(body: str, *, title: str = TITLE, tags: tuple[str, ...] = ()) -> Reply:
    return answer(
        {
            "title": title,
            "tags": list(tags),
            "description": "How I see the role.",
            "body": body,
            "figures": [],
        }
    )


def inserted(*insertions: dict[str, Any], tags: tuple[str, ...] = ()) -> Reply:
    return answer(
        {
            "tags": list(tags),
            "description": "The role, and who moves into it.",
            "insertions": list(insertions),
            "figures": [],
        }
    )


def resolves(article: Path, text: str) -> bool:
    """Every link of the Sources leads to a file (a media fragment `#t=6,18` aside)."""
    links = [link.split("#")[0] for d in citations.scan(text).definitions for link in d.links]
    return bool(links) and all((article.parent / link).resolve().is_file() for link in links)


def hand_edited_example(kb: KnowledgeBase) -> str:
    """The example article as its author left it after editing it by hand, on disk."""
    text = EXAMPLE_ARTICLE.read_text(encoding="utf-8")
    text = text.replace("status: draft", "status: reviewed\nsource_talk: Day of AI Engineer")
    text = text.replace(
        "This vision guides both my teaching",
        "I rewrote this line myself[^2], keep it.\n\nThis vision guides both my teaching",
    )
    (kb.articles / "ai-engineer-my-vision.md").write_text(text, encoding="utf-8")
    for name in (MSG900, MSG1188):
        shutil.copy(USED_EXAMPLES / name, kb.used / name)
    return text


def blank_labels(text: str) -> str:
    return re.sub(r"\[\^[^\]\s]+\]", "[^]", text)


# --- creating, updating, setting aside ------------------------------------------------------


def test_a_new_article_from_the_four_example_transcripts(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    file_examples(kb)
    server.on(
        ROUTE,
        route(
            decision(
                ["S1", "S2", "S3", "S4"],
                "create",
                title=TITLE,
                tags=["AI Engineering", "roles"],
                folder="",
            )
        ),
    )
    server.on(
        WRITE,
        written(
            "This article describes my vision of the role[^S1].\n\n"
            "## From Data Science\n\nData scientists make good AI engineers[^S2].\n\n"
            "## Neighbouring Roles\n\nData engineers are close[^S3]; LLMOps is about platforms[^S4]"
            " and integration stays central[^S1].\n",
            tags=("career",),
        ),
    )

    report = run_pass(settings, client=client)

    path = kb.articles / "ai-engineer-my-vision.md"
    text = path.read_text(encoding="utf-8")
    today = date.today().isoformat()
    assert report.created == [ArticleChange(ARTICLE, TITLE, tuple(NAMES))]
    assert report.ok and report.updated == [] and report.set_aside == []
    assert text.split("\n# ")[0] == (
        "---\n"
        f'title: "{TITLE}"\n'
        f"created: {today}\n"
        f"updated: {today}\n"
        "tags: [ai-engineering, roles, career]\n"
        "status: draft\n"
        "---\n"
    )
    example = EXAMPLE_ARTICLE.read_text(encoding="utf-8")
    example_keys = list(frontmatter.load(frontmatter.split(example)[0]))
    assert list(frontmatter.load(frontmatter.split(text)[0])) == example_keys
    assert f"\n# {TITLE}\n\nThis article describes my vision of the role[^1].\n" in text
    assert text.endswith(
        "## Sources\n\n"
        + "".join(f"[^{n}]: [{name}](../inbox/used/{name})\n" for n, name in enumerate(NAMES, 1))
    )
    assert articles.render_article(articles.parse_article(text)) == text
    assert citations.problems(text) == []
    assert resolves(path, text)
    assert sorted(p.name for p in kb.used.iterdir()) == NAMES
    assert list(kb.raw.iterdir()) == []
    index = (kb.articles / "_index.md").read_text(encoding="utf-8")
    assert f"| [{TITLE}](ai-engineer-my-vision.md) | {today} | How I see the role. |\n" in index
    assert descriptions.load(kb) == {ARTICLE: "How I see the role."}

    [route_request] = server.requests_for(ROUTE)
    assert "in English" in route_request.system
    for number, name in enumerate(NAMES, 1):
        opening = (
            f'<source id="S{number}" name="{name}" date="2026-02-04T10:2{number - 1}:00+00:00">'
        )
        assert opening in route_request.user
    assert "(no articles yet)" in route_request.user
    [write_request] = server.requests_for(WRITE)
    assert "Cite: S1, S2, S3, S4" in write_request.user
    assert "Про позицию AI-инженера" in write_request.user

    record = runlog.last_run(kb)
    assert record is not None
    assert record.prompts == {
        "route": "route_v7",
        "write": "write_v6",
        "update": "update_v6",
        "revise": "revise_v1",
        "style": "style_v1",
    }
    assert record.model == settings.llm_model
    assert record.tokens_in == sum(call["tokens_in"] for call in record.calls) > 1000
    assert record.tokens_out > 0 and record.latency > 0
    assert [call["schema"] for call in record.calls] == [ROUTE, WRITE]
    assert record.created == [ARTICLE]
    assert record.decisions[0]["prompts"] == ["route_v7", "write_v6"]
    assert record.decisions[0]["notes"] == NAMES
    assert sorted(record.filed) == NAMES
    assert record.errors == []


def test_an_update_keeps_the_author_s_text_and_citations_and_adds_new_ones(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    before = hand_edited_example(kb)
    file_examples(kb, [MSG1859])
    server.on(ROUTE, route(decision(["S1"], "update", article=ARTICLE)))
    first = "- Data engineers already have most of the skills[^S1], as I said[^E1]."
    second = "Where data engineering ends, AI engineering begins[^S1]."
    server.on(
        UPDATE,
        inserted(
            {"section": "Key Differentiators", "heading": None, "markdown": first},
            {"section": None, "heading": "From Data Engineering", "markdown": second},
            tags=("data-engineering", "roles"),
        ),
    )

    report = run_pass(settings, client=client)

    path = kb.articles / "ai-engineer-my-vision.md"
    after = path.read_text(encoding="utf-8")
    assert report.updated == [ArticleChange(ARTICLE, "AI Engineer My Vision", (MSG1859,))]
    old_body = blank_labels(before.split("---\n", 2)[2].split("## Sources")[0])
    new_body = blank_labels(after.split("---\n", 2)[2].split("## Sources")[0])
    inserted_first = "\n" + blank_labels(first) + "\n"
    inserted_second = "## From Data Engineering\n\n" + blank_labels(second) + "\n\n"
    assert inserted_first in new_body and inserted_second in new_body
    assert new_body.replace(inserted_first, "", 1).replace(inserted_second, "", 1) == old_body
    assert "I rewrote this line myself[^2], keep it." in after

    old_links = {d.links for d in citations.scan(before).definitions}
    new_links = {d.links for d in citations.scan(after).definitions}
    assert old_links < new_links
    assert new_links - old_links == {(f"../inbox/used/{MSG1859}",)}
    assert "- Data engineers already have most of the skills[^4], as I said[^2]." in after
    assert f"_msg902_transcript.txt)\n[^4]: [{MSG1859}](../inbox/used/{MSG1859})\n" in after
    expected = expected_lines(first, second)
    assert unexpected_changes(before, after, expected, today=date.today()) == []

    meta = articles.parse_article(after).meta
    assert meta.created == date(2026, 2, 8)
    assert meta.updated == date.today()
    assert meta.status == "reviewed"
    assert meta.tags == ["ai-engineering", "roles", "career"]
    assert meta.extra["source_talk"] == "Day of AI Engineer"
    assert (kb.used / MSG1859).is_file() and not (kb.raw / MSG1859).exists()

    [request] = server.requests_for(UPDATE)
    assert "I rewrote this line myself[^E1], keep it." in request.user
    assert f"[^E1]: {MSG900}" in request.user
    assert "- Key Differentiators" in request.user
    assert "../inbox" not in request.user
    [route_request] = server.requests_for(ROUTE)
    assert f'<article path="{ARTICLE}" title="AI Engineer My Vision" updated="2026-02-08">' in (
        route_request.user
    )
    assert list(frontmatter.load(frontmatter.split(after)[0])) == [
        *frontmatter.load(frontmatter.split(EXAMPLE_ARTICLE.read_text(encoding="utf-8"))[0]),
        "source_talk",
    ]
    assert descriptions.load(kb) == {ARTICLE: "The role, and who moves into it."}


def expected_lines(first: str, second: str) -> set[str]:
    lines = {
        first.replace("[^S1]", "[^4]").replace("[^E1]", "[^2]"),
        "## From Data Engineering",
        second.replace("[^S1]", "[^4]"),
        f"[^4]: [{MSG1859}](../inbox/used/{MSG1859})",
    }
    return lines


REAL_UPDATES = {
    "articles/research/decode-ai-content-generation.md": "a footnote in a <figure> caption",
    "articles/ai-shipping-labs/interviews/anonymous-participant-april.md": "extra keys, complete",
    "articles/research/career-ops.md": "definitions without a Sources heading",
    "articles/substack-archive-index.md": "a comment above the title",
    "articles/ai-shipping-labs/plans/20260430_koray-can-canut.md": "`## sources`, named labels",
}


def copy_real_articles(kb: KnowledgeBase) -> dict[str, str]:
    """The author's real articles from tests/data on disk, two made harder by hand (a
    non-draft status, a lowercase Sources heading); returns their texts by KB path."""
    for path, file in real_articles().items():
        (kb.root / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(file, kb.root / path)
    harder = {
        "articles/ai-shipping-labs/interviews/anonymous-participant-april.md": (
            "\nstatus: draft\n",
            "\nstatus: complete\n",
        ),
        "articles/ai-shipping-labs/plans/20260430_koray-can-canut.md": ("## Sources", "## sources"),
    }
    for path, (old, new) in harder.items():
        file = kb.root / path
        file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return {path: (kb.root / path).read_text(encoding="utf-8") for path in REAL_UPDATES}


def update_citing_what_it_is_shown(request: Request) -> Reply:
    """One new section citing the note the request shows and the first old citation."""
    [source] = re.findall(r'<source id="(S\d+)"', request.user)
    old = re.findall(r"\[\^(E\d+)\]", request.user)
    also = f" As before[^{old[0]}]." if old else ""
    markdown = f"A new point[^{source}].{also}"
    return inserted({"section": None, "heading": f"Update {source}", "markdown": markdown})


def test_real_articles_updated_in_one_pass_only_gain_lines(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    before = copy_real_articles(kb)
    notes = [add_note(kb, number, folder="raw") for number in range(1, len(REAL_UPDATES) + 1)]
    ids = [f"S{number}" for number in range(1, len(notes) + 1)]
    server.on(
        ROUTE,
        route(
            *(decision([i], "update", article=p) for i, p in zip(ids, REAL_UPDATES, strict=True))
        ),
    )
    server.always(UPDATE, update_citing_what_it_is_shown)

    report = run_pass(settings, client=client)

    assert [change.path for change in report.updated] == list(REAL_UPDATES)
    requests = server.requests_for(UPDATE)
    for (path, old), source, note, request in zip(
        before.items(), ids, notes, requests, strict=True
    ):
        after = (kb.root / path).read_text(encoding="utf-8")
        shown = re.findall(r"\[\^(E\d+)\]", request.user)
        _, rest = frontmatter.split(old)
        labels = {e: label for label, e in merge.view(rest).labels.items()}
        number = str(next_free_number(old))
        expected = {
            f"## Update {source}",
            f"A new point[^{number}]." + (f" As before[^{labels[shown[0]]}]." if shown else ""),
            f"[^{number}]: {compose.definition(path, note)}",
        }
        assert unexpected_changes(old, after, expected, today=date.today()) == [], path
    figure = (kb.root / "articles/research/decode-ai-content-generation.md").read_text("utf-8")
    assert "wiring them together[^9]</figcaption>" in figure
    assert "wiring them together[^E" in requests[0].user
    career = (kb.root / "articles/research/career-ops.md").read_text("utf-8")
    assert "## Sources" not in career and career.count("\n[^") == 2
    koray = (kb.root / "articles/ai-shipping-labs/plans/20260430_koray-can-canut.md").read_text(
        "utf-8"
    )
    assert "\n## sources\n" in koray and "\n## Sources\n" not in koray


@pytest.mark.parametrize(
    ("own", "shown"), [("", "Stored before."), ("Mine, by hand.", "Mine, by hand.")]
)
def test_an_update_keeps_the_stored_description_and_the_author_s_own_comes_first(
    server: OpenAIServer,
    kb: KnowledgeBase,
    settings: Settings,
    client: LLMClient,
    own: str,
    shown: str,
) -> None:
    text = hand_edited_example(kb)
    if own:
        text = text.replace("status: reviewed", f"status: reviewed\ndescription: {own}")
        (kb.articles / "ai-engineer-my-vision.md").write_text(text, encoding="utf-8")
    descriptions.save(kb, {ARTICLE: "Stored before."})
    file_examples(kb, [MSG1859])
    server.on(ROUTE, route(decision(["S1"], "update", article=ARTICLE)))
    server.on(UPDATE, inserted({"section": None, "heading": "More", "markdown": "More[^S1]."}))

    report = run_pass(settings, client=client)

    assert [c.path for c in report.updated] == [ARTICLE]
    [route_request] = server.requests_for(ROUTE)
    assert f'updated="2026-02-08">{shown}</article>' in route_request.user
    assert descriptions.load(kb) == {ARTICLE: "Stored before."}
    after = (kb.articles / "ai-engineer-my-vision.md").read_text(encoding="utf-8")
    assert articles.parse_article(after).meta.extra.get("description", "") == own
    assert "The role, and who moves into it." not in after
    index = (kb.articles / "_index.md").read_text(encoding="utf-8")
    assert f"| {shown} |\n" in index


def test_a_set_aside_text_note_is_filed_and_recorded(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    name = text_note(kb, datetime(2026, 2, 5, 9, 0, tzinfo=UTC), "Купить молоко.")
    server.on(ROUTE, route(decision(["S1"], "skip", reason="a shopping reminder")))

    report = run_pass(settings, client=client)

    assert report.set_aside == [name] and report.filed == [name]
    assert report.created == [] and report.updated == []
    assert (kb.used / name).is_file() and not (kb.raw / name).exists()
    assert list(kb.articles.iterdir()) == []
    assert server.requests_for(WRITE) == []
    assert '<source id="S1" name="' + name in server.requests[0].user
    record = runlog.last_run(kb)
    assert record is not None and record.set_aside == [name]
    assert record.decisions[0]["reason"] == "a shopping reminder"
    assert [record.set_aside for record in runlog.runs(kb)] == [[name]]


def test_an_article_in_a_subfolder_links_one_level_deeper(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    file_examples(kb, [MSG1859])
    server.on(
        ROUTE, route(decision(["S1"], "create", title="Data Engineers into AI", folder="career"))
    )
    server.on(WRITE, written("The overlap is large[^S1].", title="Data Engineers into AI"))

    report = run_pass(settings, client=client)

    path = kb.articles / "career/data-engineers-into-ai.md"
    text = path.read_text(encoding="utf-8")
    assert report.created[0].path == "articles/career/data-engineers-into-ai.md"
    assert f"[^1]: [{MSG1859}](../../inbox/used/{MSG1859})" in text
    assert resolves(path, text)
    index = (kb.articles / "_index.md").read_text(encoding="utf-8")
    assert "[Data Engineers into AI](career/data-engineers-into-ai.md)" in index


def test_a_later_batch_can_update_the_article_an_earlier_batch_created(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    file_examples(kb, [MSG900, MSG1188], one_sitting=False)
    server.on(
        ROUTE,
        route(decision(["S1"], "create", title=TITLE)),
        route(decision(["S1"], "update", article=ARTICLE)),
    )
    server.on(WRITE, written("My vision[^S1]."))
    server.on(
        UPDATE, inserted({"section": None, "heading": "Teams", "markdown": "Roles in a team[^S1]."})
    )

    report = run_pass(settings, client=client)

    assert [c.path for c in report.created] == [ARTICLE]
    assert [c.path for c in report.updated] == [ARTICLE]
    text = (kb.articles / "ai-engineer-my-vision.md").read_text(encoding="utf-8")
    assert "My vision[^1].\n\n## Teams\n\nRoles in a team[^2].\n\n## Sources" in text
    second_route = server.requests_for(ROUTE)[1]
    assert f'<article path="{ARTICLE}" title="{TITLE}"' in second_route.user
    assert ">How I see the role.</article>" in second_route.user
    assert descriptions.load(kb) == {ARTICLE: "How I see the role."}


# --- answers that cannot be used --------------------------------------------------------------


def bad_route_not_json(kb: KnowledgeBase, server: OpenAIServer) -> None:
    file_examples(kb, [MSG1859])
    server.always(ROUTE, answer("S1 should go into a new article about data engineers."))


def bad_write_unknown_source(kb: KnowledgeBase, server: OpenAIServer) -> None:
    file_examples(kb, [MSG1859])
    server.on(ROUTE, route(decision(["S1"], "create", title="Data Engineers")))
    server.always(WRITE, written("Overlap[^S1], as the other note says[^S7]."))


def bad_update_drops_an_old_citation(kb: KnowledgeBase, server: OpenAIServer) -> None:
    hand_edited_example(kb)
    file_examples(kb, [MSG1859])
    server.on(ROUTE, route(decision(["S1"], "update", article=ARTICLE)))
    server.always(
        UPDATE,
        inserted(
            {
                "section": "Context",
                "heading": None,
                "markdown": "New point[^S1].\n\n```text\nan open fence",
            }
        ),
    )


def bad_route_outside_articles(kb: KnowledgeBase, server: OpenAIServer) -> None:
    file_examples(kb, [MSG1859])
    server.always(ROUTE, route(decision(["S1"], "create", title="Escape", folder="../../etc")))


@pytest.mark.parametrize(
    ("setup", "schema", "reason"),
    [
        (bad_route_not_json, ROUTE, "the answer is not JSON"),
        (bad_write_unknown_source, WRITE, "the body cites unknown source [^S7]"),
        (bad_update_drops_an_old_citation, UPDATE, "the existing citation [^1] was lost"),
        (bad_route_outside_articles, ROUTE, "folder '../../etc' is not a safe folder name"),
    ],
)
def test_an_unusable_answer_is_retried_then_the_kb_is_left_unchanged(
    server: OpenAIServer,
    kb: KnowledgeBase,
    settings: Settings,
    client: LLMClient,
    setup: Callable[[KnowledgeBase, OpenAIServer], None],
    schema: str,
    reason: str,
) -> None:
    setup(kb, server)
    before = snapshot(kb.root)

    report = run_pass(settings, client=client)

    assert snapshot(kb.root) == before
    [failed] = report.failed
    assert failed.notes == (MSG1859,)
    assert f"{schema} failed after {MAX_ATTEMPTS} attempts" in failed.reason
    assert reason in failed.reason
    assert not report.ok and not report.changed
    requests = server.requests_for(schema)
    assert len(requests) == MAX_ATTEMPTS
    retry = requests[1].messages
    assert retry[-2]["role"] == "assistant"
    assert retry[-2]["content"] == server.content_sent_for(requests[0])
    assert retry[-1]["role"] == "user" and reason in retry[-1]["content"]
    assert len(requests[2].messages) == len(requests[0].messages) + 4
    assert server.unexpected == []
    record = runlog.last_run(kb)
    assert record is not None and any(reason in e for e in record.errors)
    assert "left in inbox/raw" in report.summary()


def test_descriptions_that_cannot_be_saved_only_warn(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    (kb.state / "descriptions.json").mkdir()
    new_article_of_one_note(kb, server)

    report = run_pass(settings, client=client)

    assert report.ok and [c.path for c in report.created] == ["articles/data-engineers.md"]
    assert report.filed == [MSG1859] and (kb.used / MSG1859).is_file()
    [warning] = report.warnings
    assert warning.startswith("descriptions not saved: ")
    assert "\n" not in warning
    index = (kb.articles / "_index.md").read_text(encoding="utf-8")
    assert "| Overlap. |" in index


def test_a_folder_that_links_outside_articles_is_not_written_through(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (kb.articles / "career").symlink_to(outside)
    file_examples(kb, [MSG1859])
    server.on(ROUTE, route(decision(["S1"], "create", title="Escape", folder="career")))
    server.on(WRITE, written("Overlap[^S1].", title="Escape"))

    report = run_pass(settings, client=client)

    assert list(outside.iterdir()) == []
    assert "articles/career/escape.md leads outside articles/" in report.failed[0].reason
    assert (kb.raw / MSG1859).is_file()


def test_an_unusable_answer_fixed_on_retry_is_accepted(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    file_examples(kb, [MSG1859])
    server.on(ROUTE, route(decision(["S1"], "create", title="Data Engineers")))
    server.on(WRITE, written("Overlap[^S2]."), written("Overlap[^S1].", title="Data Engineers"))

    report = run_pass(settings, client=client)

    assert [c.path for c in report.created] == ["articles/data-engineers.md"]
    retry = server.requests_for(WRITE)[1].messages
    assert "the body cites unknown source [^S2]" in retry[-1]["content"]
    assert '"body": "Overlap[^S2]."' in retry[-2]["content"]


# --- crashes, failures, locks -----------------------------------------------------------------


class Crash(BaseException):
    """The process dying between two steps."""


def test_a_crash_between_writing_the_article_and_moving_the_notes_files_nothing_twice(
    server: OpenAIServer,
    kb: KnowledgeBase,
    settings: Settings,
    client: LLMClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file_examples(kb, [MSG900, MSG1188])
    server.on(ROUTE, route(decision(["S1", "S2"], "create", title=TITLE)))
    server.on(WRITE, written("Vision[^S1] and roles[^S2]."))

    def crash(source: Path, target: Path, *, overwrite: bool = False) -> Path:
        raise Crash

    monkeypatch.setattr(atomic, "move_file", crash)
    with pytest.raises(Crash):
        run_pass(settings, client=client)
    monkeypatch.undo()
    written_text = (kb.articles / "ai-engineer-my-vision.md").read_text(encoding="utf-8")
    assert sorted(p.name for p in kb.raw.iterdir()) == [MSG900, MSG1188]
    assert lock_is_free(kb)
    asked = len(server.requests)

    report = run_pass(settings, client=client)

    assert len(server.requests) == asked
    assert sorted(report.filed) == [MSG900, MSG1188]
    assert report.calls == []  # the client's calls in the crashed pass are not this pass's
    assert report.created == [] and report.ok
    assert sorted(p.name for p in kb.used.iterdir()) == [MSG900, MSG1188]
    assert list(kb.raw.iterdir()) == []
    assert [p.name for p in kb.articles.glob("*.md") if not p.name.startswith("_")] == [
        "ai-engineer-my-vision.md"
    ]
    assert (kb.articles / "ai-engineer-my-vision.md").read_text(encoding="utf-8") == written_text
    assert resolves(kb.articles / "ai-engineer-my-vision.md", written_text)


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (error(429, "Rate limit reached for requests"), "is rate limiting requests (HTTP 429)"),
        (error(500, "The server had an error"), "failed (HTTP 500): The server had an error"),
        (slow(5), "did not answer within 0.3 s"),
    ],
)
def test_llm_server_failures_stop_the_pass_with_one_line_and_change_nothing(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, failure: Reply, message: str
) -> None:
    file_examples(kb)
    server.always(ROUTE, failure)
    before = snapshot(kb.root)

    with (
        LLMClient.from_settings(settings, timeout=0.3, max_retries=0) as client,
        pytest.raises(PassStopped) as caught,
    ):
        run_pass(settings, client=client)

    assert isinstance(caught.value, LLMError)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert snapshot(kb.root) == before
    record = runlog.last_run(kb)
    assert record is not None and record.errors == [str(caught.value)]
    assert caught.value.report.created == []


def test_a_refused_connection_stops_the_pass(kb: KnowledgeBase) -> None:
    file_examples(kb)
    url = refused_url()
    settings = settings_for(url, kb.root)
    before = snapshot(kb.root)
    with (
        LLMClient.from_settings(settings, max_retries=0) as client,
        pytest.raises(PassStopped, match=re.escape(f"cannot reach the LLM server ({url})")),
    ):
        run_pass(settings, client=client)
    assert snapshot(kb.root) == before


def test_no_api_key_stops_the_pass(
    server: OpenAIServer, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    file_examples(kb)
    settings = settings_for(server, kb.root, OPENAI_API_KEY=None)
    before = snapshot(kb.root)
    with pytest.raises(PassStopped, match="no API key: set OPENAI_API_KEY"):
        run_pass(settings)
    assert server.requests == []
    assert snapshot(kb.root) == before


def test_an_empty_inbox_needs_no_model_and_no_key(kb: KnowledgeBase) -> None:
    settings = settings_for(refused_url(), kb.root, OPENAI_API_KEY=None)
    report = run_pass(settings)
    assert report.ok and not report.changed
    assert report.summary() == "Drafting pass: 0 created, 0 updated, 0 set aside."


def test_a_pass_while_another_holds_the_lock_is_busy(
    kb: KnowledgeBase, settings: Settings, server: OpenAIServer
) -> None:
    file_examples(kb)
    before = snapshot(kb.root)
    with lock.hold(kb), pytest.raises(lock.Busy):
        run_pass(settings)
    assert server.requests == []
    assert snapshot(kb.root) == before


# --- dry run, git, command line ---------------------------------------------------------------


def script_create_and_update(server: OpenAIServer) -> None:
    server.on(
        ROUTE,
        route(
            decision(["S1"], "update", article=ARTICLE),
            decision(["S2"], "create", title="LLMOps", folder="roles"),
        ),
    )
    server.on(
        UPDATE,
        inserted(
            {"section": None, "heading": "Data Engineers", "markdown": "They are close[^S1]."}
        ),
    )
    server.on(WRITE, written("Platforms[^S2].", title="LLMOps"))


def test_a_dry_run_shows_decisions_and_diffs_and_changes_nothing(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    hand_edited_example(kb)
    file_examples(kb, [MSG1859, MSG2376])
    script_create_and_update(server)
    before = snapshot(kb.root, state=True)

    report = run_pass(settings, client=client, dry_run=True)

    assert snapshot(kb.root, state=True) == before
    assert report.dry_run
    assert [c.path for c in report.created] == ["articles/roles/llmops.md"]
    assert [c.path for c in report.updated] == [ARTICLE]
    diffs = "".join(report.diffs)
    assert f"--- a/{ARTICLE}\n+++ b/{ARTICLE}\n" in diffs
    assert "+## Data Engineers\n+\n+They are close[^4].\n" in diffs
    assert "--- /dev/null\n+++ b/articles/roles/llmops.md\n" in diffs
    assert f"move inbox/raw/{MSG1859} -> inbox/used/{MSG1859}\n" in diffs
    assert any(line.startswith(f"update: {MSG1859} -> {ARTICLE}") for line in report.decisions)
    assert report.summary().startswith("Dry run, nothing changed: 1 created, 1 updated")


def test_a_pass_in_a_git_repository_is_one_commit(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=kb.root, check=True, capture_output=True, text=True
        ).stdout

    git("init", "-q", "-b", "main")
    git("config", "user.name", "Author")
    git("config", "user.email", "author@example.org")
    hand_edited_example(kb)
    file_examples(kb, [MSG1859, MSG2376])
    git("add", "articles", "inbox")
    git("commit", "-q", "-m", "my notes")
    script_create_and_update(server)

    report = run_pass(settings, client=client)

    assert report.commit == git("rev-parse", "HEAD").strip()
    assert git("rev-list", "--count", "HEAD").strip() == "2"
    assert git("log", "-1", "--format=%B").strip() == (
        "Draft articles: 1 created, 1 updated\n\n"
        'Create articles/roles/llmops.md "LLMOps" from 1 note\n'
        f'Update {ARTICLE} "AI Engineer My Vision" with 1 note'
    )
    assert git("status", "--porcelain", "--ignored=no") == ""  # .voicenotes/ included
    changed = set(git("show", "--name-only", "--no-renames", "--format=", "HEAD").split())
    assert changed == {
        ARTICLE,
        "articles/roles/llmops.md",
        "articles/_index.md",
        ".voicenotes/descriptions.json",
        f"inbox/raw/{MSG1859}",
        f"inbox/used/{MSG1859}",
        f"inbox/raw/{MSG2376}",
        f"inbox/used/{MSG2376}",
    }
    record = runlog.last_run(kb)
    assert record is not None and record.commit == report.commit
    assert report.commit_link == f"Committed locally ({report.commit[:7]})."
    assert report.summary().endswith(f"\nCommitted locally ({report.commit[:7]}).")


def test_a_pass_pushes_when_asked_and_links_the_commit_on_the_forge(
    server: OpenAIServer, kb: KnowledgeBase, client: LLMClient, tmp_path: Path
) -> None:
    def git(*args: str, cwd: Path = kb.root) -> str:
        return subprocess.run(
            ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
        ).stdout

    bare = tmp_path / "forge.git"
    git("init", "-q", "--bare", str(bare), cwd=tmp_path)
    git("init", "-q", "-b", "main")
    git("remote", "add", "origin", "git@github.com:alexey/kb.git")
    git("config", f"url.{bare}.pushInsteadOf", "git@github.com:alexey/kb.git")
    git("config", f"url.{bare}.insteadOf", "git@github.com:alexey/kb.git")  # the pull first
    new_article_of_one_note(kb, server)

    report = run_pass(settings_for(server, kb.root, git_push=True), client=client)

    assert report.commit is not None and report.warnings == []
    assert git("rev-parse", "main", cwd=bare).strip() == report.commit
    assert report.commit_link == f"Commit: https://github.com/alexey/kb/commit/{report.commit}"

    git("config", f"url.{tmp_path / 'gone.git'}.pushInsteadOf", "git@github.com:alexey/kb.git")
    git("config", "--unset", f"url.{bare}.pushInsteadOf")
    file_examples(kb, [MSG2376])
    server.on(ROUTE, route(decision(["S1"], "create", title="LLMOps")))
    server.on(WRITE, written("Platforms[^S1].", title="LLMOps"))
    report = run_pass(settings_for(server, kb.root, git_push=True), client=client)
    assert report.commit is not None
    assert report.warnings[0].startswith("not pushed: git push failed")
    assert report.commit_link == f"Committed locally ({report.commit[:7]})."


def new_article_of_one_note(
    kb: KnowledgeBase, server: OpenAIServer, body: str = "Overlap[^S1]."
) -> None:
    """One example note waiting; the model routes it to a new article, written as `body`."""
    file_examples(kb, [MSG1859])
    server.on(ROUTE, route(decision(["S1"], "create", title="Data Engineers")))
    server.on(WRITE, written(body, title="Data Engineers"))


@pytest.fixture
def one_new_article(kb: KnowledgeBase, server: OpenAIServer) -> None:
    """`new_article_of_one_note` before the test."""
    new_article_of_one_note(kb, server)


def command(kb: KnowledgeBase, *, dry_run: bool = False) -> argparse.Namespace:
    return argparse.Namespace(kb=kb.root, dry_run=dry_run)


def test_the_draft_command_prints_progress_and_a_summary(
    kb: KnowledgeBase,
    one_new_article: None,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:

    assert run_command(command(kb), settings) == 0

    out, err = capsys.readouterr()
    assert "batch 1/1: 1 note from 2026-02-04 10:20" in err
    assert "wrote articles/data-engineers.md" in err
    assert out == (
        "Drafting pass: 1 created, 0 updated, 0 set aside.\n"
        "+ articles/data-engineers.md (Data Engineers) from 1 note\n"
        "Style: 0.0 findings per 1,000 words (0 in 1 words written).\n"
    )


def test_the_dry_run_command_prints_the_diffs(
    kb: KnowledgeBase,
    one_new_article: None,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = snapshot(kb.root, state=True)

    assert run_command(command(kb, dry_run=True), settings) == 0

    out, _ = capsys.readouterr()
    assert "+++ b/articles/data-engineers.md\n" in out
    assert "+Overlap[^1].\n" in out
    assert out.endswith(
        "Dry run, nothing changed: 1 created, 0 updated, 0 set aside.\n"
        "+ articles/data-engineers.md (Data Engineers) from 1 note\n"
        "Style: 0.0 findings per 1,000 words (0 in 1 words written).\n"
    )
    assert snapshot(kb.root, state=True) == before


def test_the_draft_command_reports_an_llm_failure_in_one_line(
    server: OpenAIServer,
    kb: KnowledgeBase,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file_examples(kb, [MSG1859])
    server.always(ROUTE, error(503, "overloaded"))
    before = snapshot(kb.root)

    assert run_command(command(kb), settings) == 1

    out, err = capsys.readouterr()
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert errors == [f"error: the LLM server ({server.base_url}) failed (HTTP 503): overloaded"]
    assert out == ""
    assert snapshot(kb.root) == before


def test_the_draft_command_when_busy(
    kb: KnowledgeBase, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    file_examples(kb, [MSG1859])
    with lock.hold(kb):
        assert run_command(command(kb), settings) == 1
    assert capsys.readouterr().err == (
        "error: another drafting pass is running on this knowledge base\n"
    )


# --- the run log keeps every exchange, and never a secret -----------------------------------


def test_the_run_log_keeps_every_exchange_in_full(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    file_examples(kb, [MSG1859])
    server.on(ROUTE, answer({"decisions": "not a list"}))
    server.on(ROUTE, route(decision(["S1"], "create", title="Data Engineers")))
    server.on(WRITE, written("Overlap[^S1].", title="Data Engineers"))

    run_pass(settings, client=client)

    [path] = (kb.state / "runs").iterdir()
    [line] = path.read_text(encoding="utf-8").splitlines()
    calls = json.loads(line)["calls"]
    assert [(c["schema"], c["prompt"]) for c in calls] == [
        (ROUTE, "route_v7"),
        (ROUTE, "route_v7"),
        (WRITE, "write_v6"),
    ]
    requests = server.requests_for(ROUTE) + server.requests_for(WRITE)
    for call, request in zip(calls, requests, strict=True):
        assert call["messages"] == [
            {"role": m["role"], "content": m["content"]} for m in request.messages
        ]
        assert call["model"] == settings.llm_model and call["latency"] > 0
    assert calls[0]["answer"] == '{"decisions": "not a list"}'
    assert calls[0]["error"].startswith("the model's answer does not match route_batch")
    assert json.loads(calls[2]["answer"])["body"] == "Overlap[^S1]."
    assert calls[2]["tokens_in"] > 0 and calls[2]["error"] is None


def test_no_secret_reaches_the_run_log(server: OpenAIServer, kb: KnowledgeBase) -> None:
    key, password = "sk-live-do-not-log-1234", "pa55-do-not-log"
    base_url = server.base_url.replace("http://", f"http://someone:{password}@")
    settings = settings_for(base_url, kb.root, OPENAI_API_KEY=key)
    file_examples(kb, [MSG1859])
    server.on(ROUTE, error(500, f"upstream rejected key {key}"))
    with pytest.raises(PassStopped) as stopped:
        run_pass(settings)
    assert password not in str(stopped.value) and "someone" not in str(stopped.value)
    server.on(ROUTE, route(decision(["S1"], "skip", reason=f"my key is {key}")))
    run_pass(settings)

    logged = "".join(p.read_text(encoding="utf-8") for p in (kb.state / "runs").iterdir())
    assert len(logged.splitlines()) == 2 and f"({server.base_url})" in logged
    assert key not in logged and password not in logged


# --- one parse per article per pass ---------------------------------------------------------


def test_a_pass_that_updates_one_article_parses_it_once(
    server: OpenAIServer,
    kb: KnowledgeBase,
    settings: Settings,
    client: LLMClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = hand_edited_example(kb)
    body = frontmatter.split(before)[1]
    file_examples(kb, [MSG1859])
    server.on(ROUTE, route(decision(["S1"], "update", article=ARTICLE)))
    server.on(
        UPDATE,
        inserted({"section": None, "heading": "From Data Engineering", "markdown": "Yes[^S1]."}),
    )
    parsed: list[str] = []
    tokenized: list[str] = []
    parse_article, tokens = articles.parse_article, parser.parse

    def counted_parse(text: str, tokens: list[Token] | None = None) -> articles.Article:
        parsed.append(text)
        return parse_article(text, tokens)

    def counted_tokens(text: str) -> list[Token]:
        tokenized.append(text)
        return tokens(text)

    monkeypatch.setattr(articles, "parse_article", counted_parse)
    monkeypatch.setattr(parser, "parse", counted_tokens)

    report = run_pass(settings, client=client)

    assert [change.path for change in report.updated] == [ARTICLE]
    assert parsed.count(before) == 1
    assert tokenized.count(before) == 1
    # The merge rules (notes.markdown.merge) still read the text after the front matter
    # on their own; five times was the count when the file was first parsed once.
    assert tokenized.count(body) <= 5


def test_a_stop_request_ends_the_pass_between_two_llm_calls(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    file_examples(kb, [MSG900, MSG1859], one_sitting=False)
    stop = threading.Event()

    def set_aside_then_stop(request: Request) -> Reply:
        stop.set()
        return route(decision(["S1"], "skip"))

    server.on(ROUTE, set_aside_then_stop)

    report = run_pass(settings, client=client, stop=stop)

    assert len(server.requests) == 1
    assert report.interrupted and report.ok
    assert report.set_aside == [MSG900] and report.filed == [MSG900]
    assert [p.name for p in kb.raw.iterdir()] == [MSG1859]
    assert "stopped on request" in report.summary()
    record = runlog.last_run(kb)
    assert record is not None and record.set_aside == [MSG900]


def test_a_note_s_timestamps_move_with_it_to_used(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    file_examples(kb, [MSG900])
    sidecar = MSG900.removesuffix("_transcript.txt") + ".vtt"
    (kb.raw / sidecar).write_text("WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nПро\n")
    server.on(ROUTE, route(decision(["S1"], "skip")))

    run_pass(settings, client=client)

    assert sorted(p.name for p in kb.used.iterdir()) == sorted([MSG900, sidecar])
    assert list(kb.raw.iterdir()) == []


# --- long notes: parts and moments -------------------------------------------------------------


def file_long_note(kb: KnowledgeBase, long_note: LongNote) -> str:
    """The real long note's transcript, sidecar and audio, copied into `kb`."""
    for folder in ("raw", "audio"):
        for path in (long_note.kb.inbox / folder).iterdir():
            shutil.copy(path, kb.inbox / folder / path.name)
    return long_note.transcript.name


@pytest.fixture
def long_note_in_parts(
    kb: KnowledgeBase, long_note: LongNote, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The real long note filed into `kb` (its name), shown in parts of 600 characters."""
    monkeypatch.setattr(moments, "PART_CHARS", 600)
    return file_long_note(kb, long_note)


def cited_moments(text: str) -> list[tuple[str, str]]:
    """Each timed footnote of an article: its range (`0:06–0:18`) and its audio link."""
    return re.findall(r"\) at ([\d:]+\u2013[\d:]+), \[audio\]\(([^)]+)\)", text)


def cite_first_moment(request: Request) -> Reply:
    """A write answer citing, for each timed source shown, the range from its first mark on."""
    claims = []
    for source, _, end, marks in re.findall(
        r'<source id="(S\d+)"[^>]* time="([\d:]+)-([\d:]+)">((?:\[[\d:]+\][^\[<]*)+)', request.user
    ):
        found = re.findall(r"\[([\d:]+)\]", marks)
        until = found[1] if len(found) > 1 else end
        claims.append(f"What I said then[^{source}@{found[0]}-{until}].")
    return written("\n\n".join(claims), title="Part")


@pytest.mark.timeout(300)
def test_a_long_note_is_routed_in_parts_to_two_articles_citing_moments_that_resolve(
    server: OpenAIServer,
    kb: KnowledgeBase,
    settings: Settings,
    client: LLMClient,
    long_note_in_parts: str,
) -> None:
    name = long_note_in_parts
    server.on(
        ROUTE,
        lambda request: route(
            decision(["S1"], "create", title="Opening", folder=""),
            decision(re.findall(r'<source id="(S[2-9])"', request.user), "create", title="Closing"),
        ),
    )
    server.on(WRITE, cite_first_moment, cite_first_moment)

    report = run_pass(settings, client=client)

    assert report.ok and [c.path for c in report.created] == [
        "articles/opening.md",
        "articles/closing.md",
    ]
    [routed] = server.requests_for(ROUTE)
    parts = re.findall(r'<source id="S\d+"[^>]* time="([\d:]+)-([\d:]+)">', routed.user)
    assert len(parts) >= 2 and parts[0][0] == "0:00" and parts[-1][1] == "3:01"
    assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))  # ranges meet
    assert "[0:06]" in routed.user
    ranges = set()
    for article in ("opening.md", "closing.md"):
        text = (kb.articles / article).read_text(encoding="utf-8")
        found = cited_moments(text)
        assert found and resolves(kb.articles / article, text)
        assert all(link.startswith(f"../inbox/audio/{name[:-15]}.ogg#t=") for _, link in found)
        ranges |= {moment for moment, _ in found}
    assert len(ranges) >= 2  # different moments of one recording, across two articles
    assert sorted(p.name for p in kb.used.iterdir()) == sorted([name, f"{name[:-15]}.vtt"])
    assert check.check_kb(kb).errors == []


@pytest.mark.timeout(300)
def test_parts_of_a_long_note_routed_apart_to_one_new_title_make_one_article(
    server: OpenAIServer,
    kb: KnowledgeBase,
    settings: Settings,
    client: LLMClient,
    long_note_in_parts: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(planner, "ROUTE_CHARS", 1)  # each part routed in a call of its own
    name = long_note_in_parts

    def same_title(request: Request) -> Reply:
        ids = re.findall(r'<source id="(S\d+)"', request.user)
        title = "Thinking out loud" if "S1" in ids else "Thinking Out Loud!"
        return route(decision(ids, "create", title=title, tags=[f"t{len(ids)}"]))

    server.always(ROUTE, same_title)
    server.on(WRITE, cite_first_moment)

    report = run_pass(settings, client=client)

    routed = server.requests_for(ROUTE)
    assert len(routed) >= 2 and report.ok
    assert [c.path for c in report.created] == ["articles/thinking-out-loud.md"]
    assert sorted(p.name for p in kb.articles.glob("*.md")) == ["_index.md", "thinking-out-loud.md"]
    [written_request] = server.requests_for(WRITE)
    assert len(re.findall(r'<source id="S\d+"', written_request.user)) == len(routed)
    text = (kb.articles / "thinking-out-loud.md").read_text(encoding="utf-8")
    found = cited_moments(text)
    assert len(found) == len(routed) and resolves(kb.articles / "thinking-out-loud.md", text)
    assert text.count(f"[{name}]") == len(routed)  # one footnote per moment, one note
    assert check.check_kb(kb).errors == []


def test_an_invented_moment_outside_the_recording_is_shown_on_retry(
    server: OpenAIServer,
    kb: KnowledgeBase,
    settings: Settings,
    client: LLMClient,
    long_note: LongNote,
) -> None:
    name = file_long_note(kb, long_note)
    server.on(ROUTE, route(decision(["S1"], "create", title="Whole")))
    server.on(WRITE, written("Said[^S1@80:00-81:00]."), written("Said[^S1@0:06-0:40]."))

    report = run_pass(settings, client=client)

    assert report.ok
    retry = server.requests_for(WRITE)[1].messages[-1]["content"]
    assert "[^S1@80:00-81:00] is outside the recording of S1 (0:00-3:01)" in retry
    text = (kb.articles / "whole.md").read_text(encoding="utf-8")
    assert f"[{name}](../inbox/used/{name}) at 0:06\u20130:40, [audio](" in text


# --- stopping, large answers, a full disk ------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "problem"), [(150_000, "not JSON"), (5_000_000, "5000001 characters long")]
)
def test_a_large_invalid_answer_is_not_resent_on_each_retry(
    server: OpenAIServer,
    kb: KnowledgeBase,
    settings: Settings,
    client: LLMClient,
    size: int,
    problem: str,
) -> None:
    file_examples(kb, [MSG1859])
    server.on(ROUTE, route(decision(["S1"], "create", title="Data Engineers")))
    server.always(WRITE, answer("{" + "x" * size))
    report = run_pass(settings, client=client)
    [failed] = report.failed
    assert problem in failed.reason
    sizes = [request.prompt_chars for request in server.requests_for(WRITE)]
    assert len(sizes) == MAX_ATTEMPTS
    assert sizes[2] - sizes[0] < 20_000, sizes


def test_a_huge_valid_answer_is_not_written(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    file_examples(kb, [MSG1859])
    server.on(ROUTE, route(decision(["S1"], "create", title="Data Engineers")))
    server.always(WRITE, written("Data engineers move into AI[^S1]. " * 200_000))
    before = snapshot(kb.root)
    report = run_pass(settings, client=client)
    assert "characters long; at most 200000 are accepted" in report.failed[0].reason
    assert snapshot(kb.root) == before


def test_a_run_log_that_cannot_be_written_is_one_warning_after_the_work(
    server: OpenAIServer,
    kb: KnowledgeBase,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (kb.state / runlog.RUNS_FOLDER).write_text("")  # any OSError: a file where a folder goes
    new_article_of_one_note(kb, server, "Data engineers move into AI[^S1].")

    status = run_command(argparse.Namespace(dry_run=False), settings)

    out, err = capsys.readouterr()
    assert status == 0
    assert out.startswith("Drafting pass: 1 created")
    assert [line for line in out.splitlines() if "run log" in line] == [
        "warning: run log not written: file exists"
    ]
    assert "Traceback" not in err
    assert (kb.used / MSG1859).is_file()


def test_a_pass_stopped_before_its_commit_is_committed_by_the_next(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    """A live git holds index.lock: no commit now, and the journal keeps the work for later."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(kb.root)], check=True)
    new_article_of_one_note(kb, server, "Data engineers move into AI[^S1].")
    held = kb.root / ".git/index.lock"
    held.write_bytes(b"")  # fresh: it may belong to a git that runs right now

    first = run_pass(settings, client=client)

    assert first.commit is None
    assert any("left alone" in w for w in first.warnings)
    assert intentions.journal_path(kb).is_file()
    held.unlink()
    second = run_pass(settings, client=client)
    assert second.commit is not None
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--", "articles", "inbox"],
        cwd=kb.root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout == ""
    assert not intentions.journal_path(kb).exists()
    records = runlog.runs(kb)
    assert records[-2].created == ["articles/data-engineers.md"]
    assert records[-2].commit == second.commit
    assert "did not complete" in records[-2].errors[0]
