"""Candidate recall of the lexical, embeddings and hybrid rankings side by side, at each scale.

The lexical ranking is always measured (no server needed); the embeddings and hybrid ones
when VOICENOTES_EMBEDDING_MODEL names a model on the configured server. Vectors are kept in
memory for the replay: the KB is only read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from notes.evaluation import recall
from notes.evaluation.history import History
from notes.llm.client import LLMClient, LLMError
from notes.settings import Settings


def measure_all(
    settings: Settings, kb_history: History, scales: Sequence[int]
) -> tuple[list[dict[str, Any]], str]:
    """Each scale's rows (lexical, then embeddings and hybrid when measured), and a note on
    the embeddings (why they were not measured; empty when they were)."""
    model = settings.embedding_model
    skipped = ""
    if not model:
        skipped = "not measured: no VOICENOTES_EMBEDDING_MODEL"
    elif settings.openai_api_key is None:
        skipped = "not measured: no OPENAI_API_KEY configured"
    rows: list[dict[str, Any]] = []
    client = LLMClient.from_settings(settings) if not skipped else None
    try:
        for scale in [0, *scales]:
            rows.append(recall.measure(kb_history, scale=scale).as_dict())
            if client is None or model is None:
                continue

            def embed(
                texts: Sequence[str], model: str = model, bound: LLMClient = client
            ) -> list[list[float]]:
                return bound.embed(model, texts)

            try:
                for mode in ("embeddings", "hybrid"):
                    found = recall.measure(kb_history, scale=scale, mode=mode, embed=embed)
                    rows.append(found.as_dict())
            except LLMError as error:
                skipped = f"not measured: {error}"
                client.close()
                client = None
    finally:
        if client is not None:
            client.close()
    return rows, skipped
