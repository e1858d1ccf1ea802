"""An article's front matter checked: the required keys, what is wrong with their values,
and the file line of each key (pure text, as notes.markdown.articles reads the format)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml

from notes.markdown import frontmatter, parser

REQUIRED_KEYS = ("title", "created", "updated", "tags", "status")


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with the front matter; `key` is the field it concerns."""

    key: str
    message: str


def meta_problems(data: dict[str, Any]) -> list[FieldProblem]:
    """What is wrong with an article's front matter mapping (empty list: valid)."""
    found = [FieldProblem(key, f"{key} is missing") for key in REQUIRED_KEYS if key not in data]
    title = data.get("title")
    if "title" in data and (not isinstance(title, str) or not title.strip()):
        found.append(FieldProblem("title", "title must be non-empty text"))
    elif isinstance(title, str) and len(parser.Lines(title)) > 1:
        found.append(FieldProblem("title", "title must be one line"))
    for key in ("created", "updated"):
        if key in data and as_date(data[key]) is None:
            found.append(FieldProblem(key, f"{key} must be a date YYYY-MM-DD, not {data[key]!r}"))
    created, updated = as_date(data.get("created")), as_date(data.get("updated"))
    if created is not None and updated is not None and updated < created:
        found.append(FieldProblem("updated", f"updated {updated} is before created {created}"))
    tags = data.get("tags")
    if "tags" in data and (
        not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags)
    ):
        found.append(FieldProblem("tags", "tags must be a list of text items, like [a, b]"))
    if "status" in data and (not isinstance(data["status"], str) or not data["status"].strip()):
        found.append(FieldProblem("status", "status must be non-empty text"))
    return found


def key_lines(text: str) -> dict[str, int]:
    """1-based file line of each top-level front matter key (empty if it cannot be read)."""
    try:
        yaml_text, _ = frontmatter.split(text)
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
    except (frontmatter.FrontMatterError, yaml.YAMLError):
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(key.value): key.start_mark.line + 2
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }


def as_date(value: Any) -> date | None:
    """A front matter value as a date: a `YYYY-MM-DD` date or text, else None."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            return None
    return None
