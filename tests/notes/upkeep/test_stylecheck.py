"""The author's checker in memory, the rules the prompts carry, his posts as voice, `lint`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from notes.cli import main
from notes.drafting import style
from notes.drafting.answers import Insertion
from notes.kb import KnowledgeBase
from notes.llm import prompts
from notes.upkeep import stylecheck

TEXT = (
    "## Why This Matters\n"
    "\n"
    "We **delve** into the role — it is new.\n"
    "\n"
    "Sometimes a sentence just keeps going and going, with more and more words in it, until "
    "nobody remembers where it started.\n"
)


def test_findings_carry_their_line_in_the_text_and_stylint_s_tag() -> None:
    shown = [finding.shown() for finding in stylecheck.lint(TEXT)]

    assert shown[:5] == [
        "line 1: [heading-question-word] avoid question-word headings",
        "line 3: [banned-word] 'delve' - use 'look at' / 'dig into' / 'explore'",
        "line 3: [bold] bold markdown is not used",
        "line 3: [em-dash] use a hyphen instead of an em dash",
        "line 5: [long-clause-likely] sentence has 21 words and 2 commas: "
        "split it into 2-3 shorter sentences",
    ]
    assert stylecheck.lint("Short and plain. It reads well.\n") == []


def test_the_gate_setting() -> None:
    assert stylecheck.parse_gate("default") == stylecheck.DEFAULT_GATE
    assert stylecheck.parse_gate("") == stylecheck.DEFAULT_GATE
    assert stylecheck.parse_gate("off") == frozenset()
    assert stylecheck.parse_gate("all") == stylecheck.TAGS
    assert stylecheck.parse_gate(" Bold, em-dash ") == {"bold", "em-dash"}
    assert stylecheck.DEFAULT_GATE <= stylecheck.TAGS
    with pytest.raises(stylecheck.GateError, match="unknown style tag"):
        stylecheck.parse_gate("bold, shouting")


def test_the_gate_returns_only_the_gated_findings_of_the_new_block() -> None:
    tags = [finding.tag for finding in style.gate(TEXT, frozenset({"bold", "em-dash"}))]
    assert tags == ["bold", "em-dash"]
    assert style.gate(TEXT, frozenset()) == []


def test_insertions_are_checked_each_on_its_own() -> None:
    insertions = [
        Insertion(section="Context", heading=None, markdown="Plain words here."),
        Insertion(section=None, heading="What Comes Next", markdown="Line one.\n\nWe delve."),
    ]
    check = style.check_insertions(insertions, stylecheck.DEFAULT_GATE)
    assert check.gated == (
        "insertion 2 heading, line 1: [heading-question-word] avoid question-word headings",
        "insertion 2, line 3: [banned-word] 'delve' - use 'look at' / 'dig into' / 'explore'",
    )
    assert check.words == 3 + 4 + 4 and check.findings == 2


def test_the_rules_come_from_the_kb_when_it_has_them(tmp_path: Path) -> None:
    kb = KnowledgeBase(tmp_path).ensure()
    built_in = prompts.load_version("style_v1").text.strip()
    assert style.style_source(kb) == ("style_v1", built_in)
    document = kb.articles / "_meta" / "style.md"
    document.parent.mkdir()
    document.write_text("---\ntitle: Style\n---\n\nNo puns.\n", encoding="utf-8")
    assert style.style_source(kb) == ("articles/_meta/style.md", "No puns.")
    assert style.style_rules(kb) == "No puns."
    document.write_text("Rule one.\n\n" + "x" * style.KB_STYLE_LIMIT, encoding="utf-8")
    assert style.style_rules(kb) == "Rule one."
    document.write_bytes(b"\xff broken")
    assert style.style_rules(kb) == built_in


def kb_with_articles(root: Path) -> KnowledgeBase:
    kb = KnowledgeBase(root).ensure()
    (kb.articles / "clean.md").write_text("---\ntitle: Clean\n---\n\nPlain words.\n")
    (kb.articles / "bold.md").write_text("---\ntitle: Bold\n---\n\nA **loud** line.\n")
    (kb.articles / "_meta").mkdir()
    (kb.articles / "_meta" / "style.md").write_text("We **never** use bold.\n")
    return kb


def test_lint_prints_findings_counts_and_the_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = kb_with_articles(tmp_path / "kb")

    assert main(["lint", "--kb", str(kb.root)]) == 1

    out = capsys.readouterr().out.splitlines()
    assert out[0] == "articles/bold.md:5: [bold] bold markdown is not used"
    assert out[1] == "* bold  1"
    assert out[2] == "1 findings in 2 document(s), 13 words: 76.9 per 1,000 words; 1 gated (*)"
    assert main(["lint", "--kb", str(kb.root), "articles/clean.md"]) == 0


def test_lint_with_the_gate_off_or_a_bad_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = kb_with_articles(tmp_path / "kb")
    assert main(["lint", "--kb", str(kb.root), "missing.md"]) == 2
    assert capsys.readouterr().err == "error: no article missing.md\n"
    monkeypatch.setenv("VOICENOTES_STYLE_GATE", "off")
    assert main(["lint", "--kb", str(kb.root), "bold.md"]) == 0
    assert "  bold  1" in capsys.readouterr().out
    monkeypatch.setenv("VOICENOTES_STYLE_GATE", "shouting")
    assert main(["lint", "--kb", str(kb.root)]) == 2
    assert capsys.readouterr().err.startswith("error: unknown style tag(s) shouting;")


def test_the_installed_command_runs(tmp_path: Path) -> None:
    kb = kb_with_articles(tmp_path / "kb")
    shutil.rmtree(kb.articles / "_meta")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "voicenotes"), "lint", "--kb", str(kb.root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "articles/bold.md:5: [bold]" in result.stdout
