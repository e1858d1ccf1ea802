"""Route answers for the tests that script the routing call."""

from __future__ import annotations


def decision(source: str, target: str | None) -> dict[str, object]:
    """The route answer's decision filing `source` into `target`, or a new article if None."""
    if target is None:
        return {
            "sources": [source],
            "action": "create",
            "article": None,
            "title": "New",
            "tags": [],
            "folder": "",
            "reason": "new",
        }
    return {
        "sources": [source],
        "action": "update",
        "article": target,
        "title": None,
        "tags": [],
        "folder": None,
        "reason": "fits",
    }
