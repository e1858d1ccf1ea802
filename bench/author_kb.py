"""voicenotes on a real knowledge base: which notes it reads, what `check` finds there.

Works on a copy of the KB in a temporary folder (the KB itself is only read):

1. Notes read and unread, by format: every file under `inbox/raw/` and `inbox/used/`
   (subfolders included) that is a note by its name, read with notes.intake.noteformats. The
   `before` column is the earlier reader (voicenotes' own `_transcript.txt` and `_text.txt`
   files, strictly parsed), run on the same files.
2. `check` findings by kind, then again after `check --fix` has rewritten the links to notes
   that now sit at another path.

    python bench/author_kb.py KB_DIR
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from notes.intake import noteformats, transcripts  # noqa: E402
from notes.kb import KnowledgeBase, names  # noqa: E402
from notes.upkeep import check  # noqa: E402

_EARLIER_SUFFIXES = ("_transcript.txt", "_text.txt")


def note_files(kb: KnowledgeBase) -> tuple[list[Path], Counter[str]]:
    """Every note-named file in the inbox, and a count of the other files by extension."""
    found: list[Path] = []
    others: Counter[str] = Counter()
    for folder, subfolders, files in os.walk(kb.inbox):
        subfolders[:] = [sub for sub in subfolders if not sub.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            path = Path(folder) / name
            if path.parent.name == "summaries":
                others["summaries/*.md (the old tool's reports)"] += 1
            elif names.is_note_name(name):
                found.append(path)
            else:
                others[f"*{path.suffix} (attachments)"] += 1
    return sorted(found), others


def read_earlier(path: Path) -> bool:
    if not path.name.endswith(_EARLIER_SUFFIXES):
        return False
    try:
        transcripts.parse(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return False
    return True


def notes_table(kb: KnowledgeBase) -> list[str]:
    files, others = note_files(kb)
    rows: dict[str, list[int]] = {}
    problems: list[str] = []
    for path in files:
        try:
            label = noteformats.read(path).format
            read = 1
        except transcripts.NoteFormatError as error:
            label = f"NAME{names.suffix_of(path.name)}"
            read = 0
            problems.append(f"  {path.relative_to(kb.root)}: {error}")
        row = rows.setdefault(label, [0, 0, 0, 0])
        row[0] += 1
        row[1] += read
        row[2] += 1 - read
        row[3] += read_earlier(path)
    total = [sum(row[i] for row in rows.values()) for i in range(4)]
    lines = [
        "| note format | files | read | unread | read before |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, row in sorted(rows.items(), key=lambda item: -item[1][0]):
        lines.append(f"| {label} | {row[0]} | {row[1]} | {row[2]} | {row[3]} |")
    lines.append(f"| **all notes** | {total[0]} | {total[1]} | {total[2]} | {total[3]} |")
    lines += [f"| {label} | {count} | not notes | | |" for label, count in sorted(others.items())]
    return lines + problems


def findings_table(before: check.Report, after: check.Report) -> list[str]:
    kinds = sorted(set(before.by_kind()) | set(after.by_kind()))
    lines = [
        "| finding | kind | on the KB | after check --fix |",
        "| --- | --- | ---: | ---: |",
    ]
    for severity, kind in kinds:
        lines.append(
            f"| {severity} | {kind} | {before.by_kind()[(severity, kind)]} "
            f"| {after.by_kind()[(severity, kind)]} |"
        )
    moved = sum(1 for f in before.errors if "(the note is at " in f.message)
    lines.append(f"| (of the broken links: to a note now at another path) | | {moved} | |")
    lines.append(f"| links rewritten by --fix | | | {len(after.fixes)} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kb", type=Path, help="the knowledge base (only read: a copy is used)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "kb"
        shutil.copytree(args.kb, copy)
        for folder, subfolders, files in os.walk(copy):
            for name in subfolders + files:
                os.chmod(Path(folder) / name, 0o755 if name in subfolders else 0o644)
        kb = KnowledgeBase(copy)
        print(f"# {args.kb}\n")
        print("\n".join(notes_table(kb)) + "\n")
        started = time.perf_counter()
        before = check.check_kb(kb)
        seconds = time.perf_counter() - started
        after = check.check_kb(kb, fix=True)
        print(f"check: {before.summary()} ({seconds:.1f} s)")
        print(f"after --fix: {check.check_kb(kb).summary()}\n")
        print("\n".join(findings_table(before, after)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
