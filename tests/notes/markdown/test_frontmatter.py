from __future__ import annotations

import pytest

from notes.markdown import frontmatter


def test_split_is_exact():
    document = "---\na: 1\nb: x\n---\n\nbody\n---\nmore"
    yaml_text, rest = frontmatter.split(document)
    assert yaml_text == "a: 1\nb: x\n"
    assert rest == "\nbody\n---\nmore"
    assert frontmatter.load(yaml_text) == {"a": 1, "b": "x"}


def test_front_matter_only():
    assert frontmatter.split("---\na: 1\n---") == ("a: 1\n", "")


@pytest.mark.parametrize("document", ["a: 1\n", "---\na: 1\n"])
def test_missing_fences(document):
    with pytest.raises(frontmatter.FrontMatterError):
        frontmatter.split(document)


def test_load_refuses_a_list():
    with pytest.raises(frontmatter.FrontMatterError, match="mapping"):
        frontmatter.load("- a\n- b\n")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("AlexeyDTC", "AlexeyDTC"),
        ("123", "'123'"),
        ("a: b", "'a: b'"),
        (3.5, "3.5"),
        ("Юля", "Юля"),
    ],
)
def test_scalar(value, expected):
    assert frontmatter.scalar(value) == expected


@pytest.mark.parametrize(
    "document",
    ["no fences\n", "---\na: 1\n", "---\n- a list\n---\n", "---\na: [unclosed\n---\nbody\n"],
)
def test_lenient_reads_an_unreadable_front_matter_as_empty(document):
    assert frontmatter.lenient(document) == {}


def test_lenient_reads_what_load_reads():
    assert frontmatter.lenient("---\ntitle: T\ntags: [a]\n---\n# body\n") == {
        "title": "T",
        "tags": ["a"],
    }
