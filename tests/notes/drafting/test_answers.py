"""The answer models: strict JSON schemas for the three calls of the LLM contract."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from notes.drafting.answers import (
    Decision,
    ProposedEdit,
    ReviseAnswer,
    RouteAnswer,
    UpdateAnswer,
    WriteAnswer,
)
from notes.llm.client import strict_schema


def objects(schema: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            found.append(schema)
        for value in schema.values():
            found += objects(value)
    elif isinstance(schema, list):
        for value in schema:
            found += objects(value)
    return found


@pytest.mark.parametrize("model", [RouteAnswer, WriteAnswer, UpdateAnswer, ReviseAnswer])
def test_every_object_is_closed_with_every_field_required(model: type[BaseModel]) -> None:
    schema = strict_schema(model)
    for item in objects(schema):
        assert item["additionalProperties"] is False
        assert sorted(item["required"]) == sorted(item["properties"])
        assert all("default" not in field for field in item["properties"].values())


def test_the_contract_fields() -> None:
    assert list(Decision.model_fields) == [
        "sources",
        "action",
        "article",
        "title",
        "tags",
        "folder",
        "reason",
    ]
    assert list(WriteAnswer.model_fields) == ["title", "tags", "description", "body", "figures"]
    assert list(UpdateAnswer.model_fields) == ["tags", "description", "insertions", "figures"]
    with pytest.raises(ValidationError):
        Decision.model_validate(
            {
                "sources": ["S1"],
                "action": "delete",
                "article": None,
                "title": None,
                "tags": [],
                "folder": None,
                "reason": "",
            }
        )


def test_the_revise_contract_fields() -> None:
    assert list(ReviseAnswer.model_fields) == ["edits", "summary"]
    assert list(ProposedEdit.model_fields)[:4] == ["op", "anchor", "text", "target"]
    edit = {"op": "rewrite", "anchor": "# A", "text": "", "target": "", "article": ""}
    with pytest.raises(ValidationError):
        ReviseAnswer.model_validate({"edits": [edit], "summary": "x"})
