"""Versioned prompt files: loaded from the package, never edited once released."""

from __future__ import annotations

import hashlib
from importlib import resources

import pytest

from notes.drafting import prompts

RELEASED = {
    "route_v1": "343ae24064f17f270728dc194b7f80d30846cad69ddfc693f450c1f6ac33aae6",
    "route_v2": "d56e3552eed77a9b24879f6b9060c5c476780a8c53b1de812a50a64bb67716d4",
    "write_v1": "a9726a05d3bdbb2a2e2df1d765b516ff1536a18c44e888e8ba3debf14b86c6ae",
    "update_v1": "71cdc23afe6da9d5e3489363a5f6401085631a765c8fce6c7fa5561879946caf",
}
"""SHA-256 of every released prompt file. A change to a prompt is a new file (`route_v2.md`)."""


@pytest.mark.parametrize("version", sorted(RELEASED))
def test_released_prompts_are_never_edited(version: str) -> None:
    text = resources.files("notes.drafting.prompts").joinpath(f"{version}.md").read_bytes()
    assert hashlib.sha256(text).hexdigest() == RELEASED[version]


def test_the_current_prompts_load_with_their_version() -> None:
    assert prompts.CURRENT == {"route": "route_v2", "write": "write_v1", "update": "update_v1"}
    for kind, version in prompts.CURRENT.items():
        prompt = prompts.load(kind)
        assert prompt.version == version
        assert prompt.text.strip()


def test_the_language_is_filled_in() -> None:
    for kind in prompts.CURRENT:
        rendered = prompts.load(kind).render(language="Russian")
        assert "Russian" in rendered and "$" not in rendered


def test_an_unknown_version_is_an_error() -> None:
    with pytest.raises(FileNotFoundError):
        prompts.load_version("route_v999")
