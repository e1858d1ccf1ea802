"""Notes a drafting run filed that no document links to any more (`voicenotes check` warns).

Read from the run log: what each run filed into `inbox/used/` and what it set aside. An
unreadable run log is a warning and counts as no history, so nothing is called an orphan.
"""

from __future__ import annotations

import logging
from pathlib import PurePosixPath

from notes.kb import KnowledgeBase, names, runlog

log = logging.getLogger(__name__)


def run_history(kb: KnowledgeBase) -> tuple[set[str], set[str]]:
    """(names of the notes drafting runs filed, names of those they set aside)."""
    try:
        records = runlog.runs(kb)
    except (OSError, ValueError) as error:
        log.warning("cannot read the run log: %s", error)
        return set(), set()
    done = {_name(n) for record in records for n in record.filed if isinstance(n, str)}
    aside = {_name(n) for record in records for n in record.set_aside if isinstance(n, str)}
    return done, aside


def _name(listed: str) -> str:
    return PurePosixPath(listed).name


def orphans(kb: KnowledgeBase, cited: set[str], set_aside: set[str], filed: set[str]) -> list[str]:
    """KB paths of notes a drafting run filed into `inbox/used/` that nothing links to now.

    A note set aside is not article material, so not an orphan. Notes filed some other way
    (by hand, or by an older tool that moved every note it read into `inbox/used/`, cited or
    not) are the author's business: only what voicenotes filed is its to warn about.
    """
    if not kb.used.is_dir():
        return []
    return sorted(
        f"inbox/used/{name}"
        for name in filed - set_aside - cited
        if names.is_note_name(name) and (kb.used / name).is_file()
    )
