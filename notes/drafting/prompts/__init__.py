"""Versioned prompt files for the LLM.

A released prompt file is never edited: a change is a new file with the next version, and
`CURRENT` points at it. Each run records the versions it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from string import Template

CURRENT = {"route": "route_v5", "write": "write_v4", "update": "update_v4"}

ASK = "ask_v1"
"""The prompt of `voicenotes ask` and `/ask`: no drafting pass uses or records it."""


@dataclass(frozen=True)
class Prompt:
    version: str
    text: str

    def render(self, **values: str) -> str:
        """The prompt with `$name` placeholders filled in."""
        return Template(self.text).substitute(values)


def load(kind: str) -> Prompt:
    """The current prompt for `kind` (route, write, update)."""
    return load_version(CURRENT[kind])


def load_version(version: str) -> Prompt:
    text = resources.files(__name__).joinpath(f"{version}.md").read_text(encoding="utf-8")
    return Prompt(version, text)
