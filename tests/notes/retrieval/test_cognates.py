"""His loanwords meet the English stems they come from; native words do not by chance."""

from __future__ import annotations

import pytest

from notes.retrieval.cognates import Cognates, key
from notes.retrieval.relevance import stems

ENGLISH = [
    "docker",
    "workshop",
    "experiment",
    "experiments",
    "testing",
    "test",
    "interview",
    "deploy",
    "python",
    "agent",
    "agents",
    "course",
    "period",
    "handle",
    "needle",
    "product",
    "print",
    "situation",
    "cloud",
]


def _of(word: str) -> list[str]:
    (stem,) = stems(word)
    return Cognates(ENGLISH).of(stem)


@pytest.mark.parametrize(
    ("russian", "english"),
    [
        ("докер", "docker"),
        ("воркшопа", "workshop"),
        ("экспериментировал", "experi"),
        ("курсе", "cours"),
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


@pytest.mark.parametrize(
    "russian", ["работал", "представлять", "сделать", "нуля", "неделю", "принцип", "состояние"]
)
def test_a_native_word_stands_for_nothing(russian: str) -> None:
    assert _of(russian) == []


def test_both_spellings_reduce_to_one_key() -> None:
    assert key("докер") == key("docker") == "dVkVr"
    assert key("джава") == key("java")
    assert key("чат") == key("chat")


def test_english_words_and_short_keys_are_not_looked_up() -> None:
    cognates = Cognates(["docker", "api", "go"])
    assert cognates.of("docker") == []
    assert "api" not in {s for found in cognates.by_key.values() for s in found}


def test_a_stem_cut_short_still_finds_the_whole_word() -> None:
    (stem,) = stems("интервью")
    assert stem == "интерв" and Cognates(["interview"]).of(stem) == ["interview"]
