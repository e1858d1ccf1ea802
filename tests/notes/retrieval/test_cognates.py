"""His loanwords meet the English stems they come from; native words do not by chance."""

from __future__ import annotations

import pytest

from notes.drafting.relevance import stems
from notes.retrieval.cognates import Cognates, key

ENGLISH = stems(
    "docker workshop experiments testing interview deploy python agents course "
    "period handle product"
)


def _of(word: str) -> list[str]:
    (stem,) = stems(word)
    return Cognates(ENGLISH).of(stem)


@pytest.mark.parametrize(
    ("russian", "english"),
    [
        ("докер", "docker"),
        ("воркшопа", "workshop"),
        ("экспериментировал", "experi"),
        ("тестирование", "test"),
        ("интервью", "interview"),
        ("деплой", "deploy"),
        ("питон", "python"),
        ("агентов", "agent"),
        ("продукт", "product"),
    ],
)
def test_a_loanword_stands_for_its_english_term(russian: str, english: str) -> None:
    assert english in _of(russian)


@pytest.mark.parametrize("russian", ["работал", "представлять", "сделать", "нуля"])
def test_a_native_word_stands_for_nothing(russian: str) -> None:
    assert _of(russian) == []


def test_both_spellings_reduce_to_one_key() -> None:
    assert key("докер") == key("docker") == "dkr"
    assert key("джава") == key("java")
    assert key("чат") == key("chat")


def test_english_words_and_short_keys_are_not_looked_up() -> None:
    cognates = Cognates(["docker", "api", "go"])
    assert cognates.of("docker") == []
    assert "api" not in {s for found in cognates.by_key.values() for s in found}
