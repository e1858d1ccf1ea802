"""The author's style in numbers: his checker over a folder of articles, and what the gate costs.

1. Baseline: every `*.md` under FOLDER (his KB's `articles/`, say) checked with stylint in
   memory (notes.upkeep.stylecheck): findings per 1,000 words (whitespace-separated words, as his
   own figure counts them) and the commonest tags.
2. A drafting pass against the local scripted OpenAI-compatible server (tests/support), once
   with the gate off and once with the default gate. The pass drafts DRAFTS notes, each its
   own batch, each routed to a new article. The scripted model's first answer for an article
   is the body of one of FOLDER's articles (local links and footnote definitions dropped, his
   references cited as the note) with the faults a model typically adds: a bold phrase, an
   em dash, "delve" and a heading "Why This Matters". When the gate sends an answer back, the
   scripted model fixes exactly the findings named (strips the markers, swaps the dash,
   drops banned words and phrases, rewrites the heading, cuts long sentences at about 18
   words); so the retries measured are those of a model that does what it is told. The
   table gives, per pass, the words the drafts hold, findings per 1,000 words of them, gated
   findings left, write calls, retries, and tokens (characters / 4, as the server counts).

    python bench/style.py FOLDER [--drafts 10]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from notes import drafting  # noqa: E402
from notes.drafting.answers import ROUTE, WRITE  # noqa: E402
from notes.intake import transcripts  # noqa: E402
from notes.intake.transcripts import Note, NoteHeader  # noqa: E402
from notes.kb import KnowledgeBase  # noqa: E402
from notes.markdown import citations, frontmatter  # noqa: E402
from notes.upkeep import stylecheck  # noqa: E402
from tests.support.openai_server import OpenAIServer, Reply, Request, answer, settings_for  # noqa: E402

FINDING = re.compile(r"^- line (\d+): \[([\w-]+)\] (.*)$")
LOCAL_LINK = re.compile(r"\]\((?!https?:)[^)]*\)")
WORDS_PER_SENTENCE = 18


@dataclass(frozen=True)
class PassFigures:
    gate: str
    drafts: int
    words: int
    findings: int
    left: int
    write_calls: int
    tokens_in: int
    tokens_out: int

    @property
    def retries(self) -> int:
        return self.write_calls - self.drafts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder of Markdown articles")
    parser.add_argument("--drafts", type=int, default=10, help="articles the pass drafts")
    args = parser.parse_args()
    files = sorted(args.folder.rglob("*.md"))
    baseline(files)
    bodies = [body for body in (draft_body(path) for path in files) if body][: args.drafts]
    rows = [run(bodies, gate) for gate in ("off", "default")]
    print()
    print(
        "| gate | drafts | words | findings / 1,000 words | gated left | write calls "
        "| retries | tokens in | tokens out |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        rate = stylecheck.per_thousand(row.findings, row.words)
        print(
            f"| {row.gate} | {row.drafts} | {row.words} | {rate} | {row.left} "
            f"| {row.write_calls} | {row.retries} | {row.tokens_in} | {row.tokens_out} |"
        )
    off, on = rows
    extra_in, extra_out = on.tokens_in - off.tokens_in, on.tokens_out - off.tokens_out
    print(
        f"\nthe gate's cost per pass: {on.retries} retries, {extra_in} tokens in and "
        f"{extra_out} out more ({extra_in / max(on.drafts, 1):.0f} in per article)"
    )
    return 0


def baseline(files: list[Path]) -> None:
    found: list[stylecheck.StyleFinding] = []
    words = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        found += stylecheck.lint(text)
        words += stylecheck.words(text)
    rate = stylecheck.per_thousand(len(found), words)
    print(f"{len(files)} files, {words} words, {len(found)} findings: {rate} per 1,000 words")
    top = Counter(finding.tag for finding in found).most_common(8)
    print("top tags: " + ", ".join(f"{tag} {count}" for tag, count in top))


def draft_body(path: Path) -> str:
    """One of his articles as a model's first answer: his prose, typical faults added."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if text.startswith("---\n"):
        try:
            text = frontmatter.split(text)[1]
        except frontmatter.FrontMatterError:
            return ""
    text = re.split(r"^## Sources\s*$", text, flags=re.MULTILINE)[0]
    kept = [
        line
        for line in text.splitlines()
        if not (line.startswith(("# ", "[^", "<", "![", "|")) or LOCAL_LINK.search(line))
    ]
    body = citations.MARKER.sub("[^S1]", "\n".join(kept)).strip()
    paragraphs = body.split("\n\n")
    if len(body.split()) < 150 or len(paragraphs) < 3:
        return ""
    first = paragraphs[0].rstrip()
    paragraphs[0] = f"We **delve** into it here — as I see it{'' if '[^S1]' in body else '[^S1]'}. "
    paragraphs[0] += first
    paragraphs.insert(2, "## Why This Matters")
    return "\n\n".join(paragraphs) + "\n"


def run(bodies: list[str], gate: str) -> PassFigures:
    with tempfile.TemporaryDirectory() as folder, OpenAIServer() as server:
        kb = KnowledgeBase(Path(folder) / "kb").ensure()
        start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
        for number in range(len(bodies)):
            when = start + timedelta(days=number)
            name = f"{when:%Y%m%d_%H%M%S}_AlexeyDTC_msg{number}_text.txt"
            note = Note(NoteHeader("telegram_text", when, 1, "AlexeyDTC"), f"Заметка {number}")
            (kb.raw / name).write_text(transcripts.render(note), encoding="utf-8")
        server.always(ROUTE, create)
        server.always(WRITE, ScriptedWriter(bodies))
        settings = settings_for(server, kb.root, VOICENOTES_STYLE_GATE=gate)
        report = drafting.run_pass(settings)
        writes = [call for call in report.calls if call.schema == WRITE]
        return PassFigures(
            gate,
            len(report.created),
            report.style.words,
            report.style.findings,
            len(report.style.left),
            len(writes),
            sum(call.tokens_in for call in writes),
            sum(call.tokens_out for call in writes),
        )


def create(request: Request) -> Reply:
    ids = re.findall(r'<source id="(S\d+)"', request.user)
    decision = {
        "sources": ids,
        "action": "create",
        "article": None,
        "title": f"Draft {len(request.user)}",
        "tags": [],
        "folder": "",
        "reason": "benchmark",
    }
    return answer({"decisions": [decision]})


class ScriptedWriter:
    """The scripted model of write calls: the next draft, or its last answer fixed.

    It keeps its last body itself: a retry shows the model only the start of a long answer.
    """

    def __init__(self, drafts: list[str]) -> None:
        self.drafts = iter(drafts)
        self.last = ""

    def __call__(self, request: Request) -> Reply:
        if request.user.startswith("Your answer could not be used"):
            self.last = fix(self.last, request.user.splitlines())
        else:
            self.last = next(self.drafts)
        value = {"title": "Draft", "tags": [], "description": "A draft.", "body": self.last}
        return answer({**value, "figures": []})


def fix(body: str, problems: list[str]) -> str:
    """`body` with each named finding fixed, last line first (fixes may join lines)."""
    lines = body.split("\n")
    named = [m for m in (FINDING.match(p) for p in problems) if m]
    for match in sorted(named, key=lambda m: -int(m.group(1))):
        number, tag, message = int(match.group(1)) - 1, match.group(2), match.group(3)
        if 0 <= number < len(lines):
            lines[number : number + 1] = fix_line(lines, number, tag, message)
    return "\n".join(lines)


def fix_line(lines: list[str], number: int, tag: str, message: str) -> list[str]:
    line = lines[number]
    quoted = re.match(r"'([^']+)'", message)
    if tag in ("bold", "italic"):
        return [re.sub(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])", "", line)]
    if tag == "em-dash":
        return [line.replace(" — ", " - ").replace("—", " - ")]
    if tag in ("banned-word", "banned-phrase") and quoted:
        swap = "to" if quoted.group(1) == "in order to" else ""
        pattern = r"\b" + re.escape(quoted.group(1)) + r"\b"
        return [re.sub(r"  +", " ", re.sub(pattern, swap, line, flags=re.IGNORECASE))]
    if tag == "heading-question-word":
        words = line.split()
        return [" ".join([words[0], *words[2:]]).rstrip("?") or line]
    if tag.startswith("long-"):
        return [cut_sentences(line)]
    return [line]


def cut_sentences(line: str) -> str:
    """Every sentence of `line` cut into pieces of at most WORDS_PER_SENTENCE words."""
    pieces = []
    for sentence in re.split(r"(?<=[.!?])\s+", line):
        words = sentence.split()
        while len(words) > WORDS_PER_SENTENCE + 2:
            head = " ".join(words[:WORDS_PER_SENTENCE]).rstrip(",;:")
            pieces.append(head + ".")
            words = words[WORDS_PER_SENTENCE:]
            words[0] = words[0][:1].upper() + words[0][1:]
        pieces.append(" ".join(words))
    return " ".join(pieces)


if __name__ == "__main__":
    raise SystemExit(main())
