"""YAML front matter: split it off a document exactly, byte for byte."""

from __future__ import annotations

from typing import Any

import yaml

FENCE = "---"


class FrontMatterError(ValueError):
    pass


def split(document: str) -> tuple[str, str]:
    """Return (yaml text, rest) for a document opening with a `---` fenced block.

    `rest` is everything after the closing fence line, untouched.
    """
    if not document.startswith(FENCE + "\n"):
        raise FrontMatterError("no front matter: the file does not start with '---'")
    end = document.find("\n" + FENCE + "\n", len(FENCE))
    if end == -1:
        if document.endswith("\n" + FENCE):
            end = len(document) - len(FENCE) - 1
        else:
            raise FrontMatterError("front matter is not closed by a '---' line")
    yaml_text = document[len(FENCE) + 1 : end + 1]
    rest = document[end + len(FENCE) + 2 :]
    return yaml_text, rest


def load(yaml_text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(yaml_text) if yaml_text.strip() else {}
    except yaml.YAMLError as error:
        raise FrontMatterError(f"front matter is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise FrontMatterError("front matter is not a mapping of keys to values")
    return data


def lenient(document: str) -> dict[str, Any]:
    """The mapping of `document`'s front matter; empty when it has none or it cannot be read.

    For readers that show what they can (titles, dates, summaries) and never fail on one odd file.
    """
    try:
        return load(split(document)[0])
    except FrontMatterError:
        return {}


def scalar(value: Any) -> str:
    """One YAML scalar on one line, quoted only where YAML needs it."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9)
    return str(dumped).removesuffix("\n...\n").strip()
