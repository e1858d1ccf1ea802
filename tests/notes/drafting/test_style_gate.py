"""The author's style in drafting, against the local OpenAI-compatible server: his rules in the
prompts, his checker as the gate on the model's new text, and the KB's own style document."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot import passes
from bot.serve import pass_notice
from notes.cli import main
from notes.drafting import MAX_ATTEMPTS, ArticleChange, PassReport, run_pass
from notes.drafting.answers import ROUTE, UPDATE, WRITE
from notes.drafting.style import StyleCheck
from notes.kb import KnowledgeBase, articlefiles, runlog
from notes.llm.client import LLMClient
from notes.settings import Settings
from notes.upkeep import check, removal
from tests.notes.drafting.test_drafting import (
    ARTICLE,
    MSG1859,
    NAMES,
    TITLE,
    decision,
    file_examples,
    hand_edited_example,
    inserted,
    route,
    written,
)
from tests.support.openai_server import OpenAIServer, settings_for
from tests.support.updates import unexpected_changes

pytestmark = [pytest.mark.timeout(120), pytest.mark.usefixtures("no_user_git_config")]

BAD = (
    "## Why This Matters\n\n"
    "We **delve** into the role[^S1] — it is new[^S2].\n\n"
    "Data engineers are close[^S3], and LLMOps is about platforms[^S4].\n"
)
GOOD = (
    "## The Role Today\n\n"
    "We look at the role[^S1]. It is new[^S2].\n\n"
    "Data engineers are close[^S3], and LLMOps is about platforms[^S4].\n"
)
FINDINGS = (
    "line 1: [heading-question-word] avoid question-word headings",
    "line 3: [banned-word] 'delve'",
    "line 3: [bold] bold markdown is not used",
    "line 3: [em-dash] use a hyphen instead of an em dash",
)
FINDINGS_IN_FULL = (
    FINDINGS[0],
    FINDINGS[1] + " - use 'look at' / 'dig into' / 'explore'",
    *FINDINGS[2:],
)
AUTHOR_LINE = "I **really** want to delve into this — it matters[^2]."
KB_RULES = "House rules: write like a colleague, and never use the word 'synergy'."


def create_all(server: OpenAIServer) -> None:
    server.on(ROUTE, route(decision(["S1", "S2", "S3", "S4"], "create", title=TITLE, folder="")))


def test_an_answer_against_his_style_is_sent_back_with_its_findings_and_the_repair_written(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    file_examples(kb)
    create_all(server)
    server.on(WRITE, written(BAD), written(GOOD))

    report = run_pass(settings, client=client)

    first, second = server.requests_for(WRITE)
    assert "No bold and no italic" in first.system  # the built-in rules
    assert "$style" not in first.system
    for finding in FINDINGS:
        assert finding in second.user
    text = (kb.root / ARTICLE).read_text(encoding="utf-8")
    assert "## The Role Today\n\nWe look at the role[^1]. It is new[^2].\n" in text
    assert "delve" not in text and "**" not in text and "—" not in text
    assert report.ok and report.style.left == []
    assert report.summary().splitlines()[2].startswith("Style: 0.0 findings per 1,000 words")
    record = runlog.last_run(kb)
    assert record is not None and record.prompts["style"] == "style_v1"
    assert record.style["left"] == [] and record.style["words"] == len(GOOD.split())
    assert record.errors == [f"{WRITE} attempt 1: " + "; ".join(FINDINGS_IN_FULL)]


def test_an_answer_still_against_his_style_after_the_last_try_is_written_and_reported(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings
) -> None:
    file_examples(kb)
    create_all(server)
    server.on(WRITE, *[written(BAD)] * MAX_ATTEMPTS)

    answer = passes.run_pass(settings)  # what the bot answers

    assert len(server.requests_for(WRITE)) == MAX_ATTEMPTS
    text = (kb.root / ARTICLE).read_text(encoding="utf-8")
    assert "We **delve** into the role[^1] — it is new[^2]." in text  # the notes are not lost
    assert sorted(p.name for p in kb.used.iterdir()) == NAMES
    for finding in FINDINGS:
        assert f"! style left: {ARTICLE}: {finding}" in answer
    assert "4 gated finding(s) left" in answer
    record = runlog.last_run(kb)
    assert record is not None
    assert len(record.style["left"]) == 4
    assert record.style["left"][1].startswith(f"{ARTICLE}: {FINDINGS[1]}")
    assert record.style["per_1000_words"] > 100
    assert "(4 gated left)" in passes.last_run(kb)  # what /status shows


def test_the_notice_of_a_pass_he_did_not_ask_for_lists_the_findings_left() -> None:
    report = PassReport(created=[ArticleChange(ARTICLE, TITLE, (MSG1859,))])
    report.style.add(ARTICLE, StyleCheck(10, 1, ("line 3: [bold] bold markdown is not used",)))
    assert pass_notice(report) == (
        f"Drafted from the inbox:\n• new: <b>{TITLE}</b> — <code>{ARTICLE}</code>\n"
        f"• style left: {ARTICLE}: line 3: [bold] bold markdown is not used"
    )


def test_the_author_s_own_lines_are_never_checked_or_changed(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    hand_edited_example(kb)
    path = kb.root / ARTICLE
    before = path.read_text(encoding="utf-8").replace(
        "I rewrote this line myself[^2], keep it.", AUTHOR_LINE
    )
    path.write_text(before, encoding="utf-8")
    file_examples(kb, [MSG1859])
    server.on(ROUTE, route(decision(["S1"], "update", article=ARTICLE)))
    bad = "We delve into data engineering next[^S1]."
    good = "Data engineers move into the role first[^S1]."
    section = "Key Differentiators"
    server.on(
        UPDATE,
        inserted({"section": section, "heading": None, "markdown": bad}),
        inserted({"section": section, "heading": None, "markdown": good}),
    )

    report = run_pass(settings, client=client)

    assert report.ok and report.style.left == []
    first, second = server.requests_for(UPDATE)
    assert AUTHOR_LINE.replace("[^2]", "[^E1]") in first.user  # shown to the model, as it is
    problems = [line for line in second.user.splitlines() if line.startswith("- ")]
    assert problems == [
        "- insertion 1, line 1: [banned-word] 'delve' - use 'look at' / 'dig into' / 'explore'"
    ]
    after = path.read_text(encoding="utf-8")
    expected = {good.replace("[^S1]", "[^4]"), f"[^4]: [{MSG1859}](../inbox/used/{MSG1859})"}
    assert unexpected_changes(before, after, expected, today=date.today()) == []
    assert AUTHOR_LINE in after and "## What AI Engineers Don't Focus On" in after


def test_an_insertion_s_heading_is_checked_and_named(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    hand_edited_example(kb)
    file_examples(kb, [MSG1859])
    server.on(ROUTE, route(decision(["S1"], "update", article=ARTICLE)))
    body = {"section": None, "markdown": "Data engineers move into the role first[^S1]."}
    server.on(
        UPDATE,
        inserted({**body, "heading": "How Data Engineers Move In"}),
        inserted({**body, "heading": "From Data Engineering"}),
    )

    run_pass(settings, client=client)

    second = server.requests_for(UPDATE)[1]
    assert "- insertion 1 heading, line 1: [heading-question-word]" in second.user
    assert "## From Data Engineering\n" in (kb.root / ARTICLE).read_text(encoding="utf-8")


def test_the_gate_off_writes_the_first_answer(server: OpenAIServer, kb: KnowledgeBase) -> None:
    settings = settings_for(server, kb.root, VOICENOTES_STYLE_GATE="off")
    file_examples(kb)
    create_all(server)
    server.on(WRITE, written(BAD))

    report = passes.run_pass(settings)

    assert len(server.requests_for(WRITE)) == 1
    assert "delve" in (kb.root / ARTICLE).read_text(encoding="utf-8")
    assert "style left" not in report and "Style: " in report


def test_a_gate_of_chosen_tags_sends_back_only_those(
    server: OpenAIServer, kb: KnowledgeBase
) -> None:
    settings = settings_for(server, kb.root, VOICENOTES_STYLE_GATE="em-dash")
    file_examples(kb)
    create_all(server)
    server.on(WRITE, written(BAD), written(BAD.replace(" — ", ". It ")))

    passes.run_pass(settings)

    second = server.requests_for(WRITE)[1]
    assert "line 3: [em-dash]" in second.user and "[bold]" not in second.user
    assert "**delve**" in (kb.root / ARTICLE).read_text(encoding="utf-8")


def test_the_kb_s_style_document_replaces_the_built_in_rules_and_is_left_alone(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    style = kb.articles / "_meta" / "style.md"
    style.parent.mkdir()
    style.write_text(f"# His style\n\n{KB_RULES}\n", encoding="utf-8")
    original = style.read_bytes()
    file_examples(kb)
    create_all(server)
    server.on(WRITE, written(GOOD))

    report = run_pass(settings, client=client)

    [request] = server.requests_for(WRITE)
    assert KB_RULES in request.system and "No bold and no italic" not in request.system
    [routed] = server.requests_for(ROUTE)
    assert "_meta" not in routed.user and "His style" not in routed.user
    assert report.prompts["style"] == "articles/_meta/style.md"
    assert style.read_bytes() == original
    assert style not in articlefiles.iter_articles(kb)
    assert "_meta" not in (kb.articles / "_index.md").read_text(encoding="utf-8")
    found = check.check_kb(kb)
    assert not [f for f in found.errors + found.warnings if "_meta" in str(f)]
    with pytest.raises(FileNotFoundError):
        removal.remove(kb, "articles/_meta/style.md")
    assert main(["cleanup", "--kb", str(kb.root), "--delete"]) == 0
    assert main(["check", "--kb", str(kb.root), "--fix"]) == 0
    assert style.read_bytes() == original


def test_his_posts_lend_their_voice_to_the_write_prompt(
    server: OpenAIServer, kb: KnowledgeBase, tmp_path: Path
) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    engineering = " ".join(["AI engineers integrate models into products every day."] * 40)
    gardening = " ".join(["Tomatoes need sun and water in the garden."] * 40)
    (posts / "ai-engineering.md").write_text(
        f"---\ntitle: AI engineering\n---\n\n# AI engineering\n\n{engineering}\n",
        encoding="utf-8",
    )
    (posts / "garden.md").write_text(f"# Garden\n\n{gardening}\n", encoding="utf-8")
    (posts / "broken.md").write_bytes(b"\xff\xfe not text")
    settings = settings_for(server, kb.root, VOICENOTES_STYLE_EXAMPLES=str(posts))
    file_examples(kb)
    create_all(server)
    server.on(WRITE, written(GOOD))

    passes.run_pass(settings)

    [request] = server.requests_for(WRITE)
    user = request.user
    assert user.index('<voice_example post="ai-engineering.md">') < user.index(
        '<voice_example post="garden.md">'
    )
    examples = user[: user.index("Working title:")]
    assert len(examples) < 4_000 + 300
    assert "AI engineers integrate models" in examples
    assert "voice only (not content)" in examples
    assert "<voice_example" in request.system  # the prompt frames them as voice


def test_an_answer_wrong_only_in_style_is_kept_when_the_later_ones_are_unusable(
    server: OpenAIServer, kb: KnowledgeBase, settings: Settings, client: LLMClient
) -> None:
    file_examples(kb)
    create_all(server)
    unusable = written(GOOD.replace("[^S4]", "[^S9]"))
    server.on(WRITE, written(BAD), unusable, unusable)

    report = run_pass(settings, client=client)

    assert report.ok and [change.path for change in report.created] == [ARTICLE]
    assert "We **delve** into the role[^1]" in (kb.root / ARTICLE).read_text(encoding="utf-8")
    assert len(report.style.left) == 4
