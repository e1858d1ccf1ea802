"""Routing prompt cost per transcript as the knowledge base grows (10, 100, 1000 articles).

For each size a synthetic KB is built: articles on a mix of technical topics (title, tags,
a one-line description, a short body) and, in `inbox/raw/`, the four example transcripts
re-dated into one sitting, so they form one batch. A real drafting pass runs against the
local OpenAI-compatible test server, which answers the routing call by setting every note
aside; the routing request that the server received is what is measured.

Tokens are estimated as characters / 4 (tiktoken needs its encodings downloaded, which a
machine without network cannot do). The estimate undercounts Cyrillic text, but the same
transcripts are in every row, so the ratio column, against the 10-article KB, is what
matters: it must stay below 2.

    python bench/draft_cost.py [--sizes 10,100,1000]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from notes import drafting  # noqa: E402
from notes.drafting.answers import ROUTE  # noqa: E402
from notes.kb import KnowledgeBase, atomic  # noqa: E402
from notes.llm.client import LLMClient  # noqa: E402
from notes.markdown import articles  # noqa: E402
from tests.support.openai_server import OpenAIServer, Reply, Request, answer, settings_for  # noqa: E402

EXAMPLES = ROOT / "tests/data/examples/inbox/used"
TOPICS = (
    "RAG",
    "evals",
    "prompt engineering",
    "agents",
    "function calling",
    "LLMOps",
    "fine-tuning",
    "embeddings",
    "vector search",
    "data pipelines",
    "Kubernetes",
    "A/B tests",
    "monitoring",
    "observability",
    "hiring",
    "career",
    "teaching",
    "Python",
    "PostgreSQL",
    "feature stores",
    "data quality",
    "MLOps",
    "product analytics",
    "interviews",
)
KINDS = ("Notes on", "Why I like", "Pitfalls of", "A checklist for", "Teaching", "Costs of")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="article counts, comma-separated")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = [measure(size) for size in sizes]
    baseline = rows[0]["per_transcript"]
    print(
        f"{'articles':>8} {'shown':>5} {'prompt chars':>12} {'tokens~':>8} "
        f"{'tokens/transcript':>17} {'ratio':>6} {'pass s':>7}"
    )
    for row in rows:
        print(
            f"{row['articles']:>8} {row['shown']:>5} {row['chars']:>12} {row['tokens']:>8} "
            f"{row['per_transcript']:>17.0f} {row['per_transcript'] / baseline:>6.2f} "
            f"{row['seconds']:>7.2f}"
        )
    worst = max(row["per_transcript"] for row in rows) / baseline
    print(f"largest ratio to the {rows[0]['articles']}-article KB: {worst:.2f} (limit 2.00)")
    return 0 if worst <= 2 else 1


def measure(size: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder, OpenAIServer() as server:
        kb = KnowledgeBase(Path(folder) / "kb").ensure()
        build_articles(kb, size)
        notes = file_transcripts(kb)
        server.always(ROUTE, set_everything_aside)
        settings = settings_for(server, kb.root)
        started = time.perf_counter()
        with LLMClient.from_settings(settings, max_retries=0) as client:
            drafting.run_pass(settings, client=client)
        seconds = time.perf_counter() - started
        [request] = server.requests_for(ROUTE)
        chars = request.prompt_chars
        return {
            "articles": size,
            "shown": request.user.count("<article "),
            "chars": chars,
            "tokens": chars // 4,
            "per_transcript": chars / 4 / notes,
            "seconds": seconds,
        }


def set_everything_aside(request: Request) -> Reply:
    ids = re.findall(r'<source id="(S\d+)"', request.user)
    return answer(
        {
            "decisions": [
                {
                    "sources": ids,
                    "action": "skip",
                    "article": None,
                    "title": None,
                    "tags": [],
                    "folder": None,
                    "reason": "benchmark",
                }
            ]
        }
    )


def build_articles(kb: KnowledgeBase, size: int) -> None:
    pick = random.Random(size)
    for number in range(size):
        topic, other = pick.sample(TOPICS, 2)
        title = f"{pick.choice(KINDS)} {topic} and {other} ({number})"
        meta = articles.ArticleMeta(
            title=title,
            created=date(2025, 1, 1),
            updated=date(2025, 1, 1) + timedelta(days=pick.randrange(400)),
            tags=[topic.lower().replace(" ", "-"), other.lower().replace(" ", "-")],
            extra={
                "description": f"What I learned about {topic} when working on {other}, "
                f"with examples from projects and courses."
            },
        )
        body = f"Some thoughts on {topic} and {other}.\n\n## Details\n\nMore text.\n"
        folder = kb.articles / pick.choice(("", "ml", "career", "data"))
        text = articles.render_article(articles.Article(meta, body))
        atomic.write_text(folder / f"article-{number}.md", text)


def file_transcripts(kb: KnowledgeBase) -> int:
    paths = sorted(EXAMPLES.iterdir())
    for number, path in enumerate(paths):
        text = re.sub(
            r"^date: .*$",
            f"date: 2026-02-04T10:2{number}:00+00:00",
            path.read_text(encoding="utf-8"),
            count=1,
            flags=re.MULTILINE,
        )
        (kb.raw / path.name).write_text(text, encoding="utf-8")
    return len(paths)


if __name__ == "__main__":
    raise SystemExit(main())
