"""`voicenotes lint [ARTICLE...]`: the author's style checker over the KB's articles.

Every article (`articles/**/*.md` without the `_` documents and `_` folders, as the index
lists them), or the ones given, is read and checked in memory (notes.upkeep.stylecheck); nothing is
written. Each finding prints as `path:line: [tag] message`, then the count of each tag (a
`*` marks the tags that gate, from `VOICENOTES_STYLE_GATE`) and the findings per 1,000 words.
Exit status 1 when a gated finding is left, 2 for bad input (an unknown article or tag).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from notes.errors import explain
from notes.kb import KnowledgeBase, articlefiles
from notes.settings import Settings
from notes.upkeep import stylecheck
from notes.upkeep.stylecheck import StyleFinding


@dataclass
class LintReport:
    """The findings of a set of documents, by KB path, and the words they hold."""

    findings: dict[str, list[StyleFinding]] = field(default_factory=dict)
    words: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    """(KB path, why) of each file that could not be read."""

    @property
    def all(self) -> list[StyleFinding]:
        return [finding for found in self.findings.values() for finding in found]

    def lines(self, gate: frozenset[str]) -> list[str]:
        """The findings as `path:line: [tag] message`, then per-tag counts and the rate."""
        out = [
            f"{path}:{finding.line}: [{finding.tag}] {finding.message}"
            for path, found in self.findings.items()
            for finding in found
        ]
        out += [f"{path}: cannot read: {problem}" for path, problem in self.unreadable]
        counts = stylecheck.counts(self.all)
        width = max((len(tag) for tag in counts), default=0)
        out += [
            f"{'*' if tag in gate else ' '} {tag:<{width}}  {count}"
            for tag, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        gated = len(stylecheck.gated(self.all, gate))
        rate = stylecheck.per_thousand(len(self.all), self.words)
        out.append(
            f"{len(self.all)} findings in {len(self.findings)} document(s), {self.words} words: "
            f"{rate} per 1,000 words; {gated} gated (*)"
        )
        return out


def lint_paths(kb: KnowledgeBase, paths: list[Path]) -> LintReport:
    """Check each of `paths` (files of `kb`); one that cannot be read is listed, not fatal."""
    report = LintReport()
    for path in paths:
        rel = _shown(kb, path)
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            report.unreadable.append((rel, explain(error)))
            continue
        report.findings[rel] = stylecheck.lint(text)
        report.words += stylecheck.words(text)
    return report


def chosen_paths(kb: KnowledgeBase, names: list[str]) -> list[Path]:
    """The files `names` name (a path, or one relative to the KB), else every article.

    Raises FileNotFoundError naming the first that is not a file.
    """
    if not names:
        return articlefiles.iter_articles(kb)
    found = []
    for name in names:
        candidates = [Path(name), kb.root / name, kb.articles / name]
        path = next((c for c in candidates if c.is_file()), None)
        if path is None:
            raise FileNotFoundError(f"no article {name}")
        found.append(path)
    return found


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes lint [--kb DIR] [ARTICLE...]`."""
    kb = KnowledgeBase(settings.kb)
    try:
        gate = stylecheck.parse_gate(settings.style_gate)
        paths = chosen_paths(kb, list(args.articles))
    except (stylecheck.GateError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = lint_paths(kb, paths)
    for line in report.lines(gate):
        print(line)
    return 1 if stylecheck.gated(report.all, gate) else 0


def _shown(kb: KnowledgeBase, path: Path) -> str:
    try:
        return path.resolve().relative_to(kb.root).as_posix()
    except ValueError:
        return str(path)
