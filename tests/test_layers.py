"""The layers the docstrings claim are the layers in the code.

Every import of `bot/`, `notes/` and `transcribe/` is read from the source (module level, inside
functions, under `TYPE_CHECKING`), so a lazy or type-only import counts as much as any other:

- the Markdown layer (`notes/markdown/`) imports nothing of the project but itself;
- `transcribe/` imports nothing of `notes/` or `bot/`;
- nothing outside `bot/` imports `bot/`, except the CLI's lazy table (`notes/cli.py`);
- no two modules import each other, directly or through others; importing a module inside a
  package runs the package's `__init__` first, so it counts as importing that too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "notes", "transcribe")
CLI_TABLE = "notes.cli"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _is_ours(name: str) -> bool:
    return name.split(".")[0] in PACKAGES


def _resolve(name: str, modules: set[str]) -> str:
    """The most specific module of ours that `name` (a module or a name in one) refers to."""
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def _imported(
    module: str, source: str, modules: set[str], *, is_package: bool = False
) -> Iterator[tuple[str, int]]:
    """Each module of ours that `module` (whose text is `source`) imports, with its line."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_ours(alias.name):
                    yield _resolve(alias.name, modules), node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if not _is_ours(base):
                continue
            for alias in node.names:
                yield _resolve(f"{base}.{alias.name}", modules), node.lineno


def _graph() -> dict[str, dict[str, int]]:
    """Module → {imported module: first line}, for every module of ours."""
    sources = _sources()
    modules = set(sources)
    graph: dict[str, dict[str, int]] = {}
    for module, path in sources.items():
        edges = graph.setdefault(module, {})
        text = path.read_text(encoding="utf-8")
        for target, line in _imported(module, text, modules, is_package=path.stem == "__init__"):
            for reached in (target, *_packages_entered(module, target, modules)):
                if reached != module:
                    edges.setdefault(reached, line)
    return graph


def _packages_entered(source: str, target: str, modules: set[str]) -> list[str]:
    """The packages whose `__init__` importing `target` runs first: those holding `target`
    but not `source` (Python runs a package's `__init__` before any module inside it)."""
    parts = target.split(".")
    packages = (".".join(parts[:end]) for end in range(1, len(parts)))
    return [p for p in packages if p in modules and not _inside(source, p)]


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _forbidden(source: str, target: str) -> str | None:
    """Why the edge `source` → `target` breaks a layer rule, or None if it keeps them."""
    if _inside(source, "notes.markdown") and not _inside(target, "notes.markdown"):
        return "the Markdown layer imports nothing of the project but itself"
    if _inside(source, "transcribe") and not _inside(target, "transcribe"):
        return "transcribe/ imports nothing of notes/ or bot/"
    if _inside(target, "bot") and not _inside(source, "bot") and source != CLI_TABLE:
        return "nothing outside bot/ imports bot/ but the CLI's table"
    return None


def _circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Each strongly connected group of two or more modules (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


_SAMPLE = """\
from typing import TYPE_CHECKING

import notes.kb.names
from . import citations
from .parser import parse

if TYPE_CHECKING:
    from notes.drafting.plan import BatchPlan


def later() -> None:
    from bot import app
"""


def test_the_reader_sees_every_kind_of_import() -> None:
    modules = set(_sources())
    found = dict(_imported("notes.markdown.sample", _SAMPLE, modules))
    assert found == {
        "notes.kb.names": 3,
        "notes.markdown.citations": 4,
        "notes.markdown.parser": 5,
        "notes.drafting.plan": 8,
        "bot.app": 12,
    }
    assert [why for target in found if (why := _forbidden("notes.markdown.sample", target))] == [
        "the Markdown layer imports nothing of the project but itself"
    ] * 3


def test_a_circle_through_three_modules_is_found() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert _circles(graph) == [["a", "b", "c"]]


def test_importing_a_module_of_another_package_runs_that_package_first() -> None:
    modules = set(_sources())
    entered = _packages_entered("notes.retrieval.kbindex", "notes.drafting.messages", modules)
    assert entered == ["notes.drafting"]
    assert _packages_entered("notes.drafting.run", "notes.drafting.messages", modules) == []


def test_no_import_breaks_a_layer_rule() -> None:
    graph = _graph()
    broken = [
        f"{_sources()[source].relative_to(ROOT)}:{line} {source} → {target}: {why}"
        for source, edges in sorted(graph.items())
        for target, line in sorted(edges.items())
        if (why := _forbidden(source, target)) is not None
    ]
    assert broken == [], "\n".join(broken)


def test_no_import_circle() -> None:
    circles = [" ↔ ".join(group) for group in _circles(_graph())]
    assert circles == [], "\n".join(circles)
