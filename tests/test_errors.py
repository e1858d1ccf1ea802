"""The error map and the one wording of an error for people."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

from notes import errors
from notes.errors import explain
from notes.llm.client import LLMError
from transcribe import AudioError

ROOT = Path(__file__).resolve().parent.parent


def test_an_os_error_says_its_reason() -> None:
    assert explain(FileExistsError(17, "File exists")) == "file exists"
    assert explain(OSError("no errno")) == "no errno"


def test_the_first_line_with_its_blanks_collapsed() -> None:
    assert explain(ValueError("\n  bad   thing \nsecond line")) == "bad thing"
    assert explain(RuntimeError()) == "RuntimeError"
    assert explain(None) == "unknown error"


def test_named_puts_the_type_before_errors_that_are_not_voicenotes_own() -> None:
    assert explain(ValueError("bad\nsecond line"), named=True) == "ValueError: bad"
    assert explain(KeyError("x"), named=True) == "KeyError: 'x'"
    assert explain(AudioError("not audio"), named=True) == "not audio"
    assert explain(LLMError("the LLM server failed"), named=True) == "the LLM server failed"


def test_the_map_names_every_exception_the_program_defines() -> None:
    assert errors.__doc__ is not None
    defined = set()
    for package in ("bot", "notes", "transcribe"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and any(
                    isinstance(base, ast.Name)
                    and (base.id.endswith(("Error", "Exception")) or base.id in defined)
                    for base in node.bases
                ):
                    defined.add(node.name)
    missing = sorted(name for name in defined if name not in errors.__doc__)
    assert missing == []


def test_no_module_keeps_its_own_copy_of_the_wording() -> None:
    pattern = r"def \w+\((self, )?error: (BaseException|Exception|OSError)\b"
    found = subprocess.run(
        ["grep", "-rlE", pattern, "bot", "notes", "transcribe"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert found.splitlines() == ["transcribe/base.py"]
