"""`voicenotes eval revisions DIR [--oracle] [--json]`: revisions scored against the author's.

Per case and in total: the share of the author's changed lines the edits reproduce, the
lines changed where he changed none, answers rejected, tokens and cost. With `--oracle` the
edits come from each case's own diff (and must score 100%); else from the model configured
for the KB. Progress goes to stderr; the report to stdout, as a table or as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from notes.evaluation import revisions
from notes.llm.client import LLMClient, LLMError
from notes.settings import Settings


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.dir is None:
        print(
            "error: eval revisions needs the folder of cases: eval revisions DIR", file=sys.stderr
        )
        return 2
    try:
        cases = revisions.load_cases(Path(args.dir))
    except revisions.CasesError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.last:
        cases = cases[-args.last :]

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    report = revisions.Report("oracle" if args.oracle else settings.llm_model)
    try:
        _run(report, cases, args.oracle, settings, say)
    except LLMError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    found = report.as_dict(args.price_in, args.price_out)
    print(json.dumps(found, indent=2, ensure_ascii=False) if args.json else table(found))
    return 0


def _run(
    report: revisions.Report,
    cases: list[revisions.Case],
    oracle: bool,
    settings: Settings,
    say: revisions.Say,
) -> None:
    client = None if oracle else LLMClient.from_settings(settings)
    try:
        for number, case in enumerate(cases, start=1):
            if client is None:
                result = revisions.oracle_case(case)
            else:
                result = revisions.model_case(case, client, settings.article_language, say)
            report.results.append(result)
            say(f"[{number}/{len(cases)}] {case.name}: {_line(result.as_dict())}")
    finally:
        if client is not None:
            client.close()


def _line(item: dict[str, Any]) -> str:
    text = (
        f"{item['reproduced']}/{item['author_lines']} of the author's lines"
        f" ({item['share']:.1%}), {item['changed_where_author_did_not']} changed where he"
        f" changed none, {item['rejected']} rejected"
    )
    return text + (f", failed: {item['failed']}" if item.get("failed") else "")


def table(found: dict[str, Any]) -> str:
    """The report for people: a line per case, then the totals."""
    rows = [f"{item['case']:<45} {_line(item)}" for item in found["per_case"]]
    cost = f"{found['cost']:.6f} USD" if found["cost"] else "n/a (give --price-in/--price-out)"
    rows += [
        "",
        f"Revisions ({found['mode']}) over {found['cases']} cases:",
        f"  author's changed lines reproduced    {found['reproduced']}/{found['author_lines']}"
        f" = {found['share']:.1%}",
        f"  cases giving after.md byte for byte  {found['exact']}/{found['cases']}",
        f"  lines changed where he changed none  {found['changed_where_author_did_not']}",
        f"  answers rejected                     {found['rejected']}",
        f"  cases with no usable answer          {found['failed']}",
        f"  tokens in/out                        {found['tokens_in']:,} / {found['tokens_out']:,}",
        f"  cost                                 {cost}",
    ]
    return "\n".join(rows)
