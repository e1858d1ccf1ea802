"""The context size the author's KB needs: measured from the prompts it would send.

The largest prompt of a pass writes into the largest article: the released prompt, the
article whole, and one part of a note (long notes are cut into parts of at most
`PART_CHARS`); the answer may be as long as that part. Calls the run log recorded count too,
and the larger wins. Tokens are estimated as characters / 3: Russian text takes more tokens a
character than English, so this errs on the side of room.
"""

from __future__ import annotations

from pathlib import Path

from notes.doctor.result import Check, passed
from notes.drafting.moments import PART_CHARS
from notes.kb import KnowledgeBase, runlog

CHARS_PER_TOKEN = 3
PROMPTS = Path(__file__).resolve().parents[1] / "llm" / "prompts"


def needed_tokens(kb: KnowledgeBase) -> tuple[int, str]:
    """Tokens the largest call needs, and what it was measured from."""
    prompt = max((len(p.read_text(encoding="utf-8")) for p in PROMPTS.glob("*.md")), default=0)
    largest, article = 0, "no article yet"
    for path in kb.articles.rglob("*.md") if kb.articles.is_dir() else ():
        size = len(path.read_text(encoding="utf-8", errors="replace"))
        if size > largest:
            largest, article = size, path.relative_to(kb.root).as_posix()
    estimate = (prompt + largest + 2 * PART_CHARS) // CHARS_PER_TOKEN
    recorded = max(
        (
            int(call.get("tokens_in", 0)) + int(call.get("tokens_out", 0))
            for record in runlog.runs(kb)
            for call in record.calls
        ),
        default=0,
    )
    need = _round_up(max(estimate, recorded))
    basis = f"largest article {article} ({largest} chars)"
    if recorded:
        basis += f", largest call logged {recorded} tokens"
    return need, basis


def context(kb: KnowledgeBase) -> Check:
    need, basis = needed_tokens(kb)
    return passed(
        "context size",
        f"this KB needs about {need} tokens of context ({basis}); give a local server at "
        f"least that (Ollama: num_ctx, llama.cpp: -c {need})",
    )


def _round_up(tokens: int, step: int = 1024) -> int:
    return -(-tokens // step) * step
