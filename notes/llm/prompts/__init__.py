"""Versioned prompt files for the LLM.

A released prompt file is never edited: a change is a new file with the next version, and
`CURRENT` points at it. Each run records the versions it used.

A line `@include NAME` in a prompt file is replaced by the text of the file `NAME.md` beside it
(a small rule kept apart, such as the weekly-log rule, itself versioned in its name and never
edited once released); an included file includes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from string import Template

CURRENT = {
    "route": "route_v7",
    "write": "write_v6",
    "update": "update_v6",
    "revise": "revise_v1",
}

ASK = "ask_v1"
"""The prompt of `voicenotes ask` and `/ask`: no drafting pass uses or records it."""

_INCLUDE = re.compile(r"^@include ([a-z0-9_]+)$", re.MULTILINE)


@dataclass(frozen=True)
class Prompt:
    version: str
    text: str

    def render(self, **values: str) -> str:
        """The prompt with `$name` placeholders filled in."""
        return Template(self.text).substitute(values)


def load(kind: str) -> Prompt:
    """The current prompt for `kind` (route, write, update, revise)."""
    return load_version(CURRENT[kind])


def load_version(version: str) -> Prompt:
    """The prompt file `version` with its `@include` lines filled in."""
    text = _read(version)
    return Prompt(version, _INCLUDE.sub(lambda match: _read(match[1]).strip("\n"), text))


def _read(name: str) -> str:
    return resources.files(__name__).joinpath(f"{name}.md").read_text(encoding="utf-8")
