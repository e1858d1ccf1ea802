"""`voicenotes eval routing --kb DIR`: how well routing does on a KB's own history.

Prints candidate recall and route prompt sizes (no model needed), then, against the LLM
server configured for the KB, decision accuracy, tokens and cost per note; as a table, or
as JSON with `--json`. The KB is only read.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from notes.evaluation import decisions, history, rankings
from notes.llm.client import LLMClient, LLMError
from notes.settings import Settings


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.what == "revisions":
        from notes.evaluation import revisions_command

        return revisions_command.run_command(args, settings)
    try:
        kb_history = history.load(settings.kb)
    except (history.HistoryError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    report: dict[str, Any] = {
        "kb": str(settings.kb),
        "history": kb_history.source,
        "runs": len(kb_history.runs),
        "recall": [],
        "decisions": None,
        "model": None,
    }
    report["recall"], report["embeddings"] = rankings.measure_all(settings, kb_history, args.scale)
    status = 0
    if args.no_llm:
        report["decisions_skipped"] = "--no-llm"
    else:
        status = _decisions(args, settings, kb_history, report)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(table(report))
    return status


def _decisions(
    args: argparse.Namespace,
    settings: Settings,
    kb_history: history.History,
    report: dict[str, Any],
) -> int:
    if settings.openai_api_key is None:
        report["decisions_skipped"] = "no OPENAI_API_KEY configured"
        return 0
    report["model"] = settings.llm_model

    def say(line: str) -> None:
        if not args.json:
            print(line, file=sys.stderr, flush=True)

    with LLMClient.from_settings(settings) as client:
        try:
            found = decisions.measure(
                kb_history,
                client,
                language=settings.article_language,
                last=args.last,
                progress=say,
            )
        except LLMError as error:
            report["decisions_skipped"] = str(error)
            print(f"error: {error}", file=sys.stderr)
            return 1
    report["decisions"] = found.as_dict(args.price_in, args.price_out)
    report["decisions"]["prices_per_million"] = [args.price_in, args.price_out]
    report["wrong"] = found.wrong
    return 0


def table(report: dict[str, Any]) -> str:
    """The report for people: one line per measure."""
    rows: list[tuple[str, str]] = []
    for item in report["recall"]:
        mode = "" if item.get("ranking", "lexical") == "lexical" else f"{item['ranking']}: "
        rows.append(
            (
                f"{'  ' if mode else ''}{mode}candidate recall ({item['articles']} articles)",
                f"{item['found']}/{item['notes']} = {item['recall']:.3f}",
            )
        )
        rows.append(
            (
                "  route prompt chars median/p95/max",
                f"{item['prompt_chars_median']:,} / {item['prompt_chars_p95']:,} / "
                f"{item['prompt_chars_max']:,}",
            )
        )
    if report.get("embeddings"):
        rows.append(("embeddings and hybrid rankings", report["embeddings"]))
    found = report["decisions"]
    if found is None:
        rows.append(("decision accuracy", f"not measured: {report.get('decisions_skipped')}"))
    else:
        rows += [
            (
                f"decision accuracy ({report['model']})",
                f"{found['update_right'] + found['create_right']}/{found['scored']}"
                f" = {found['accuracy']:.3f}",
            ),
            ("  update the author's article", f"{found['update_right']}/{found['update_total']}"),
            ("  create when the author did", f"{found['create_right']}/{found['create_total']}"),
            ("  batches with no usable answer", str(found["failed_batches"])),
            (
                "tokens per note in/out",
                f"{found['tokens_in_per_note']:,} / {found['tokens_out_per_note']:,}",
            ),
            ("cost per note (USD)", _cost(found)),
        ]
    width = max(len(name) for name, _ in rows)
    head = f"Routing replay of {report['runs']} runs ({report['history']})"
    return "\n".join([head] + [f"{name:<{width}}  {value}" for name, value in rows])


def _cost(found: dict[str, Any]) -> str:
    if not any(found["prices_per_million"]):
        return "n/a (give --price-in/--price-out per million tokens)"
    return f"{found['cost_per_note']:.6f}"
