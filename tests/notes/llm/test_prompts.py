"""Versioned prompt files: loaded from the package, never edited once released."""

from __future__ import annotations

import hashlib
from importlib import resources

import pytest

from notes.llm import prompts

RELEASED = {
    "route_v1": "343ae24064f17f270728dc194b7f80d30846cad69ddfc693f450c1f6ac33aae6",
    "route_v2": "d56e3552eed77a9b24879f6b9060c5c476780a8c53b1de812a50a64bb67716d4",
    "write_v1": "a9726a05d3bdbb2a2e2df1d765b516ff1536a18c44e888e8ba3debf14b86c6ae",
    "update_v1": "71cdc23afe6da9d5e3489363a5f6401085631a765c8fce6c7fa5561879946caf",
    "route_v3": "323e8bdf25726126ca3ca6a17ee63f6105d5f1b68e4299332f5c13a40f3d5467",
    "write_v2": "2497a643580b6a691c014c88786e597b041fe6caf5abfacd82e38504a9209f84",
    "update_v2": "82ee582fa2de59dd03e10d5ab385c01b961c14a759a32a89295c44e7546b3ee4",
    "route_v4": "4e071b9de3bb8342c50b5ad1fd0e29766c2e93a32326e68ea6c940d533cef7f2",
    "write_v3": "21b65c2aeb7228a0fea1e39e525f3520bff97a8ad33c3ffc7bd20a56527a9b0c",
    "update_v3": "f6d58448e79db6779179957068a4f363268c03cf9f5ddef9e710ed118ebc1a2a",
    "route_v5": "aa94105c95b268331e21ee0d1a5466f5bba2cb2a7e7b3f70ea123a6233acd9c1",
    "write_v4": "831945b3f2600253f868861eaf5ac505e958fddc9f79c75fe72e087e8b5a4954",
    "update_v4": "59d93b000a09011709c775e11645bd54cb419695d1b2f4fb6edcdb18b7c31531",
    "route_v6": "3bfe058e7d49a6a3a365672861aae6a7cb027c8d7778f087ee3679ecb25c4349",
    "revise_v1": "59be356d9681640bad278c7a6aab082e1b2474bdcee19fb17db55ce7329a856b",
    "write_v5": "0cf1d9ce7f589a7b5437705f8f855f57c6f90b8edefb9db2905fb07ab1c4f488",
    "update_v5": "4cc2b34b130f067c35748c11004c006295c8871570bf6c0e5a388b411130ea76",
    "style_v1": "f95fac82868ebf49e6e2ba1821933f814b7a9bf7eb31951db2d9bd7ecafca98b",
    "route_v7": "907e7b22d4b519b46b8bed676bd6af2acd792ddaf53da9b69209428dda23b005",
    "route_weekly_log_v1": "e5fb71acefc82c817ce1e03250cdec0dd33967dfb9b748b139983b865b402adb",
    "write_v6": "13aa256133c49c2e2ef90829135a752407d0b60098f327a9785df51ec93a9656",
    "update_v6": "0f6de4b5f298dd428a310599fdde3194d866f418662d788693e98ddd71cde29a",
    "ask_v1": "42aea96714a4483cf5add79622497dedd9f6cc1222b7d01325135c95448b39d1",
}
"""SHA-256 of every released prompt file. A change to a prompt is a new file (`route_v2.md`)."""


@pytest.mark.parametrize("version", sorted(RELEASED))
def test_released_prompts_are_never_edited(version: str) -> None:
    text = resources.files("notes.llm.prompts").joinpath(f"{version}.md").read_bytes()
    assert hashlib.sha256(text).hexdigest() == RELEASED[version]


def test_the_current_prompts_load_with_their_version() -> None:
    assert prompts.CURRENT == {
        "route": "route_v7",
        "write": "write_v6",
        "update": "update_v6",
        "revise": "revise_v1",
    }
    for kind, version in prompts.CURRENT.items():
        prompt = prompts.load(kind)
        assert prompt.version == version
        assert prompt.text.strip()


def test_the_language_is_filled_in() -> None:
    for kind in prompts.CURRENT:
        rendered = prompts.load(kind).render(
            language="Russian", style="His rules.", style_rules="His rules."
        )
        assert "Russian" in rendered and "$" not in rendered


def test_an_unknown_version_is_an_error() -> None:
    with pytest.raises(FileNotFoundError):
        prompts.load_version("route_v999")


def test_the_route_prompt_includes_his_weekly_log_rule_once_filled_in() -> None:
    route = prompts.load("route")
    assert "@include" not in route.text and "never a\ncatch-all" in route.text
    assert route.text.count("weekly log") == 1  # no longer named as a catch-all elsewhere
    assert "@include" not in prompts.load_version("route_v7").render(language="English")
    assert "reports on the week" in prompts.load_version("route_v5").text  # released, as it was


def test_the_ask_prompt_loads_with_its_version() -> None:
    prompt = prompts.load_version(prompts.ASK)
    assert prompt.version == "ask_v1"
    rendered = prompt.render(language="English")
    assert "English" in rendered and "$" not in rendered
