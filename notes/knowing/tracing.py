"""`voicenotes trace NOTE|DATE|ARTICLE`: where a note went, a day's notes, an article's notes.

Reads the articles, the inbox's file names and the run log once (no note is opened), so it
answers in well under two seconds on a KB of thousands of notes. Only reads.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date
from pathlib import Path

from notes.kb import KnowledgeBase, names, runlog
from notes.knowing.trace import Tracer, aside_reasons
from notes.settings import Settings
from notes.upkeep.removal import article_path

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SET_ASIDE = "set aside by a drafting pass"


def load(kb: KnowledgeBase) -> Tracer:
    """The tracer of `kb`: its documents under `articles/`, its notes, its run log."""
    articles: dict[str, str] = {}
    for path in _files(kb.articles, ".md"):
        rel = path.relative_to(kb.root).as_posix()
        try:
            articles[rel] = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
    notes: dict[str, str] = {}
    for path in _files(kb.inbox, ""):
        if names.is_note_name(path.name):
            notes.setdefault(path.name, path.parent.relative_to(kb.root).as_posix())
    aside: dict[str, str] = {}
    for record in runlog.runs(kb):
        aside.update(dict.fromkeys(record.set_aside, SET_ASIDE))
        aside.update(aside_reasons(record.decisions))
    return Tracer(articles, notes, aside)


def _files(root: Path, suffix: str) -> list[Path]:
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        found += [
            Path(folder) / name
            for name in sorted(files)
            if name.endswith(suffix) and not name.startswith(".")
        ]
    return found


def answer(kb: KnowledgeBase, given: str) -> tuple[list[str], bool]:
    """The lines `trace` prints for `given`, and whether it named something known."""
    tracer = load(kb)
    given = given.strip()
    if _DATE.match(given):
        try:
            day = date.fromisoformat(given)
        except ValueError:
            return [f"{given} is not a date (YYYY-MM-DD)"], False
        fates = tracer.day(day)
        if not fates:
            return [f"no notes of {given}"], True
        return [line for fate in fates for line in fate.lines()], True
    if given.endswith(".md") or given.startswith("articles/"):
        path = article_path(kb, given)
        if path in tracer.articles:
            return _article_lines(tracer, path), True
    found = tracer.find(given)
    if found:
        return [line for name in found for line in tracer.note(name).lines()], True
    path = article_path(kb, given)
    if path in tracer.articles:
        return _article_lines(tracer, path), True
    return [f"{given}: no note, date (YYYY-MM-DD) or article of that name"], False


def _article_lines(tracer: Tracer, path: str) -> list[str]:
    notes = tracer.article(path)
    if not notes:
        return [f"{path} cites no notes"]
    lines = [f"{path}: {len(notes)} note(s)"]
    day = ""
    for when, name, cited in notes:
        if when != day:
            lines.append(when)
            day = when
        where = ", ".join(f"[^{c.label}] line {c.line}" for c in cited)
        lines.append(f"  {name} -> {where}")
    return lines


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """`voicenotes trace WHAT`: prints the answer; exit status 1 if WHAT names nothing."""
    lines, known = answer(KnowledgeBase(settings.kb), args.what)
    for line in lines:
        print(line, file=sys.stdout if known else sys.stderr)
    return 0 if known else 1
