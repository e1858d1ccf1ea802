"""The size line is held by the suite, not by review.

No module of `bot/`, `notes/` or `transcribe/` is over 400 lines, no class over 150, no function
over 60. A class or function is measured from its first decorator to its last line, nested ones
included (a method counts on its own and inside its class). Branching is ruff's `C90` rule
(`max-complexity` in pyproject.toml).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "notes", "transcribe")
MODULE_LINES = 400
CLASS_LINES = 150
FUNCTION_LINES = 60


def _units(tree: ast.AST, prefix: str = "") -> list[tuple[str, int, int, bool]]:
    """(qualified name, first line, length, is a class) of each class and function in `tree`."""
    found = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            length = (node.end_lineno or node.lineno) - start + 1
            name = prefix + node.name
            found.append((name, start, length, isinstance(node, ast.ClassDef)))
            found += _units(node, name + ".")
        else:
            found += _units(node, prefix)
    return found


def oversized(source: str, where: str) -> list[str]:
    """One line per unit of `source` (the text of file `where`) over its limit."""
    found = []
    lines = source.count("\n")
    if lines > MODULE_LINES:
        found.append(f"{where}: module of {lines} lines (limit {MODULE_LINES})")
    for name, start, length, is_class in _units(ast.parse(source)):
        kind, limit = ("class", CLASS_LINES) if is_class else ("function", FUNCTION_LINES)
        if length > limit:
            found.append(f"{where}:{start} {kind} {name} of {length} lines (limit {limit})")
    return found


def test_the_measure_counts_decorators_and_nested_units() -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(FUNCTION_LINES - 2))
    body = body.replace("    ", "        ")
    source = f"class Box:\n    @staticmethod\n    def big() -> None:\n{body}"
    assert oversized(source, "box.py") == []
    source += "        y = 0\n"
    assert oversized(source, "box.py") == [
        f"box.py:2 function Box.big of {FUNCTION_LINES + 1} lines (limit {FUNCTION_LINES})"
    ]


def test_no_module_class_or_function_is_over_its_limit() -> None:
    found = [
        problem
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for problem in oversized(
            path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix()
        )
    ]
    assert found == [], "\n".join(found)
