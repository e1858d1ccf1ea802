"""The author's revision cases (before.md, notes/, after.md), beside the repository.

They live in `../shared/author-kb-revisions/` relative to the repository root;
`$VOICENOTES_REVISION_CASES` names another folder in that form. Tests using them skip when
the folder is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(
    os.environ.get("VOICENOTES_REVISION_CASES") or ROOT.parent / "shared" / "author-kb-revisions"
)


def case_names() -> list[str]:
    """The cases' folder names, sorted (empty when the folder is absent)."""
    if not (CASES / "cases.json").is_file():
        return []
    return sorted(p.name for p in CASES.iterdir() if (p / "before.md").is_file())


def require_cases() -> Path:
    """The cases folder; skips the test when it is absent."""
    if not case_names():
        pytest.skip(f"no revision cases at {CASES}")
    return CASES
