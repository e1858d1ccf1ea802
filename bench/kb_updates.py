"""Simulated updates of every article of a real KB: does an update only add lines?

The KB is copied to a temporary folder. Every Markdown file under its `articles/` (the `_`
documents too) gets one insertion citing a new note, twice: into its last section, and as a
new section at the end (see tests/support/updates.py). An update passes when a line diff
against the original shows only the inserted lines and the new definition added (and the
`updated:` date changed); a refused update or any other change fails it. Files without front
matter are not articles to the tool (it never routes notes to them): their updates are
refused, counted apart.

    python bench/kb_updates.py KB [--show N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.updates import MODES, simulate  # noqa: E402


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("kb", type=Path)
    options.add_argument("--show", type=int, default=10, help="failures listed (default 10)")
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        copy = Path(temp) / "kb"
        shutil.copytree(args.kb / "articles", copy / "articles")
        files = sorted(copy.glob("articles/**/*.md"))
        results = {mode: Counter[str]() for mode in MODES}
        failures: list[str] = []
        passed_all = 0
        for file in files:
            path = file.relative_to(copy).as_posix()
            text = file.read_bytes().decode("utf-8")
            ok = True
            for mode in MODES:
                outcome = simulate(path, text, mode)
                kind = _kind(text, outcome.after, outcome.problems)
                results[mode][kind] += 1
                if kind != "pass":
                    ok = False
                    failures.append(f"{path} [{mode}] {outcome.problems[0]}")
            passed_all += ok
    print(f"{len(files)} files under articles/ of {args.kb}\n")
    kinds = ["pass", "no front matter", "refused", "changed the author's lines", "wrong additions"]
    print(f"| {'insertion':<12} | " + " | ".join(kinds) + " |")
    print(f"|{'-' * 14}|" + "|".join("-" * (len(k) + 2) for k in kinds) + "|")
    for mode in MODES:
        row = " | ".join(f"{results[mode][k]:>{len(k)}}" for k in kinds)
        print(f"| {mode:<12} | {row} |")
    print(f"\nfiles passing both: {passed_all} of {len(files)}")
    for line in failures[: args.show]:
        print("  " + line[:160])
    return 0


def _kind(text: str, after: str | None, problems: list[str]) -> str:
    if after is None:
        return "refused" if text.startswith("---\n") else "no front matter"
    if not problems:
        return "pass"
    if any("changed or removed" in problem for problem in problems):
        return "changed the author's lines"
    return "wrong additions"


if __name__ == "__main__":
    raise SystemExit(main())
