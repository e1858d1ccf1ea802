"""The code stays lint- and type-clean: the same checks a reviewer runs, as part of the suite."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.timeout(300)
def test_ruff_finds_nothing() -> None:
    lint = _run("ruff", "check", ".")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    style = _run("ruff", "format", "--check", ".")
    assert style.returncode == 0, style.stdout + style.stderr


@pytest.mark.timeout(600)
def test_mypy_strict_finds_nothing() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def _declared() -> dict[str, SpecifierSet]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        found[canonicalize_name(requirement.name)] = requirement.specifier
    return found


def _used_modules() -> set[str]:
    """Top-level modules the code imports, or names as a string (data packages)."""
    used: set[str] = set()
    for package in ("bot", "notes", "transcribe"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    used |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    used.add(node.module.split(".")[0])
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    used.add(node.value)
    return used


def test_every_declared_dependency_is_used() -> None:
    modules: dict[str, set[str]] = {}
    for module, distributions in metadata.packages_distributions().items():
        for distribution in distributions:
            modules.setdefault(canonicalize_name(distribution), set()).add(module)
    used = _used_modules()
    unused = sorted(name for name in _declared() if not modules.get(name, set()) & used)
    assert unused == []


def test_dependency_floors_have_the_features_the_code_uses() -> None:
    # `always_match_refs` (notes/markdown/parser.py) came in mdit-py-plugins 0.4.1.
    assert "0.4.0" not in _declared()["mdit-py-plugins"]
