"""Candidate recall on a KB's own history, and route prompt sizes, as the KB grows.

Replays the KB's history (`filings.jsonl`, or its git log) and counts, over the notes whose
article existed at their run, how often that article was among those the route prompt shows.
Rows: the KB as it is (up to its own size), then with synthetic articles (real articles'
titles and paragraphs remixed, see notes.evaluation.replay.synthesize) up to 300 and 1,000.
The baseline row is the word matcher routing used before (title, tags, description and path
words cut to 5 letters; the 15 best and the 5 newest shown), replayed in the same process.

    python bench/routing_recall.py KB_DIR [--scales 300,1000]

The KB is only read. No model is called.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from notes.drafting import messages, routeprompt  # noqa: E402
from notes.evaluation import history, recall  # noqa: E402
from notes.evaluation.replay import steps  # noqa: E402
from notes.llm import prompts  # noqa: E402
from notes.retrieval.relevance import Candidate  # noqa: E402

_WORD = re.compile(r"[^\W_]{2,}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kb", type=Path)
    parser.add_argument("--scales", default="300,1000")
    args = parser.parse_args()
    kb_history = history.load(args.kb)
    print(
        f"{len(kb_history.runs)} runs from {kb_history.source}; "
        f"route prompt budget {routeprompt.BUDGET:,} characters"
    )
    print(
        f"{'router':<22} {'articles':>8} {'notes':>6} {'recall':>7} {'x base':>7} "
        f"{'shown':>6} {'median':>7} {'p95':>7} {'max':>7} {'<=32k':>6} {'secs':>5}",
        flush=True,
    )
    name, base, seconds = baseline(kb_history)
    _row(name, base, seconds, base.recall or 1.0)
    for scale in [0] + [int(s) for s in args.scales.split(",") if s]:
        started = time.monotonic()
        found = recall.measure(kb_history, scale=scale)
        name = "voicenotes" if scale == 0 else "voicenotes +synthetic"
        _row(name, found, time.monotonic() - started, base.recall or 1.0)
    return 0


def _row(name: str, found: recall.Recall, seconds: float, base: float) -> None:
    data = found.as_dict()
    print(
        f"{name:<22} {found.articles:>8} {found.notes:>6} {found.recall:>7.3f} "
        f"{found.recall / base:>7.2f} {data['shown_median']:>6} "
        f"{data['prompt_chars_median']:>7,} {data['prompt_chars_p95']:>7,} "
        f"{data['prompt_chars_max']:>7,} {found.within(routeprompt.BUDGET):>6.0%} "
        f"{seconds:>5.0f}",
        flush=True,
    )


def baseline(kb_history: history.History) -> tuple[str, recall.Recall, float]:
    """The previous router: the word matcher over titles and descriptions, 15 + 5 shown."""
    started = time.monotonic()
    prompt = prompts.load_version("route_v1")
    found = recall.Recall(articles=0)
    for step in steps(kb_history):
        found.articles = max(found.articles, len(step.candidates))
        for case in step.cases:
            sources = recall.sources_of(case)
            shown = old_select(step.candidates, " ".join(s.text for s in sources))
            chat = messages.route_messages(prompt, "English", sources, [c.summary for c in shown])
            found.prompts.append(sum(len(m.content) for m in chat))
            found.shown.append(len(shown))
            paths = {c.path for c in shown}
            for expected in case.expected.values():
                if expected:
                    found.notes += 1
                    found.found += bool(expected & paths)
    return "word matcher (before)", found, time.monotonic() - started


def _old_stems(text: str) -> list[str]:
    return [w.lower()[:5] for w in _WORD.findall(text)]


def old_select(articles: list[Candidate], query: str) -> list[Candidate]:
    if len(articles) <= 20:
        return list(articles)
    docs = []
    for a in articles:
        path_words = a.path.removeprefix("articles/").removesuffix(".md").replace("/", " ")
        head = (a.title, a.summary.description, " ".join(a.summary.tags), path_words)
        docs.append(set(_old_stems(" ".join(head))))
    frequency: Counter[str] = Counter(s for d in docs for s in d)
    wanted = Counter(_old_stems(query))
    weights = {
        s: math.log(1 + len(docs) / frequency[s]) * (1 + math.log(c))
        for s, c in wanted.items()
        if frequency[s]
    }
    scores = [sum(w for s, w in weights.items() if s in d) for d in docs]
    order = sorted(range(len(articles)), key=lambda i: (-scores[i], articles[i].updated))
    chosen = [i for i in order[:15] if scores[i] > 0]
    newest = sorted(range(len(articles)), key=lambda i: articles[i].updated, reverse=True)
    chosen += [i for i in newest if i not in chosen][:5]
    return [articles[i] for i in chosen]


if __name__ == "__main__":
    raise SystemExit(main())
