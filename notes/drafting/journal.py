"""What a drafting pass is about to change, kept on disk until its commit is made.

A pass writes the journal (`.voicenotes/pass.json`, atomically) before each write or move,
naming every path it may touch, and removes it once its work is committed. A journal found
when a pass starts is the work of a pass that was killed (or could not commit): the new pass
commits those paths with its own, regenerates the index, and logs the old pass.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from notes import atomic, runlog
from notes.kb import KnowledgeBase

JOURNAL_NAME = "pass.json"


@dataclass
class Journal:
    time: str
    """When the pass started (its run log time)."""
    prompts: dict[str, str] = field(default_factory=dict)
    model: str = ""
    created: list[str] = field(default_factory=list)
    """Articles the pass writes new, relative to the KB root."""
    updated: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    """Every path the pass may have written, moved or removed, relative to the KB root."""

    def add(self, root: Path, paths: list[Path]) -> None:
        for path in paths:
            rel = (path if path.is_absolute() else root / path).relative_to(root).as_posix()
            if rel not in self.paths:
                self.paths.append(rel)


def journal_path(kb: KnowledgeBase) -> Path:
    return kb.state / JOURNAL_NAME


def save(kb: KnowledgeBase, journal: Journal) -> None:
    """Write the journal atomically (raises OSError when it cannot)."""
    text = json.dumps(asdict(journal), ensure_ascii=False, indent=1) + "\n"
    atomic.write_text(journal_path(kb), text, overwrite=True)


def load(kb: KnowledgeBase) -> Journal | None:
    """The journal of an unfinished pass; None when there is none or it cannot be read."""
    try:
        data = json.loads(journal_path(kb).read_text(encoding="utf-8"))
        journal = Journal(**data)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        return None
    journal.paths = [p for p in journal.paths if _inside(kb.root, p)]
    return journal


def clear(kb: KnowledgeBase) -> None:
    journal_path(kb).unlink(missing_ok=True)


def _inside(root: Path, rel: str) -> bool:
    """A path the journal may name: relative, below the KB root (never `..`)."""
    path = Path(rel)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def run_record(kb: KnowledgeBase, old: Journal, finisher: runlog.RunRecord) -> runlog.RunRecord:
    """The run log line of the unfinished pass `old`, committed by the pass of `finisher`."""
    used = [Path(p).name for p in old.paths if Path(p).parent == Path("inbox/used")]
    return runlog.RunRecord(
        time=old.time,
        prompts=old.prompts,
        model=old.model,
        created=[p for p in old.created if (kb.root / p).is_file()],
        updated=[p for p in old.updated if (kb.root / p).is_file()],
        filed=[name for name in used if (kb.used / name).is_file()],
        errors=[f"the pass did not complete; the pass of {finisher.time} committed it"],
        commit=finisher.commit,
    )
